package io.netstack.stack;

import java.util.List;
import java.util.Map;

/**
 * A loaded stack file. Resources keep their file order; {@code digest} covers the file's bytes and
 * the variable values used, so a saved plan can tell whether it still matches the file.
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
        String digest) {

    public Location locate(String pointer) {
        return source.at(pointer);
    }

    public Location locateKey(String pointer) {
        return source.keyAt(pointer);
    }
}
