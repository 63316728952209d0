package io.netstack.stack;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded stack file. Resources keep their file order; {@code digest} covers the file's bytes and
 * the variable values used, so a saved plan can tell whether it still matches the file.
 * {@code unsetVariables}: declared variables left without a value (only when loaded for {@code validate}).
 * {@code account}: where the stack runs ({@link Account}); null = the command's own credentials.
 */
public record StackFile(
        String file,
        String name,
        String region,
        Map<String, String> tags,
        Map<String, Variable> variables,
        Map<String, String> variableValues,
        Map<String, ResourceBlock> resources,
        Map<String, String> outputs,
        List<String> driftIgnore,
        LocatedJson source,
        String digest,
        Set<String> unsetVariables,
        Account account) {

    /** Whether {@code value} depends on a variable that has no value ({@code validate} only). */
    public boolean unknown(com.fasterxml.jackson.databind.JsonNode value) {
        if (unsetVariables.isEmpty() || value == null) return false;
        if (value.isTextual()) {
            String s = value.asText();
            for (String v : unsetVariables) if (s.contains("${var." + v + "}")) return true;
            return false;
        }
        for (var child : value) if (unknown(child)) return true;
        return false;
    }

    public Location locate(String pointer) {
        return source.at(pointer);
    }

    public Location locateKey(String pointer) {
        return source.keyAt(pointer);
    }
}
