package io.netstack.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code lintIgnore} entry of a stack file: {@code {"rule", "id"?, "reason"}}. It silences
 * the rule's findings in that file, for one resource when {@code id} is given. The loader has
 * checked the shape (a reason is required); an unknown rule is reported by {@link #unknownRules}.
 */
public record LintIgnore(String file, String rule, String id, String reason, String pointer) {

    static List<LintIgnore> read(List<StackFile> stacks) {
        List<LintIgnore> out = new ArrayList<>();
        for (StackFile s : stacks) {
            JsonNode arr = s.source().root().path("lintIgnore");
            for (int i = 0; i < arr.size(); i++) {
                JsonNode e = arr.get(i);
                Rules.Rule r = Rules.find(e.path("rule").asText(""));
                out.add(new LintIgnore(s.file(), r == null ? e.path("rule").asText("") : r.id(), e.path("id").asText(null),
                        e.path("reason").asText(""), "/lintIgnore/" + i));
            }
        }
        return out;
    }

    /** Entries naming no rule of {@link Rules}, as {@code file:line:col: …} warnings. */
    public static List<String> unknownRules(List<StackFile> stacks) {
        List<String> out = new ArrayList<>();
        for (StackFile s : stacks) {
            for (LintIgnore i : read(List.of(s))) {
                if (Rules.find(i.rule()) == null) out.add(s.locate(i.pointer() + "/rule") + ": warning: lintIgnore names unknown rule \"" + i.rule() + "\"");
            }
        }
        return out;
    }

    boolean silences(Finding f) {
        return f.location().file().equals(file) && f.rule().id().equals(rule) && (id == null || id.equals(f.id()));
    }
}
