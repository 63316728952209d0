package io.netstack.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an expanded resource comes from (docs/stack-format.md, "Modules"): the module instances it
 * is inside, outermost first ({@code net}, or {@code net-x} for key {@code x} of a repeated module;
 * each is the prefix of its resources' ids), its own {@code forEach} key, and the location of the
 * template block it was written as. Plain v1 resources, and a stack's own unrepeated resources, have
 * none. Plans show it (text and {@code --json}) so that a reviewer sees which module made a change.
 *
 * @param modules    module instance ids, outermost first; empty for the stack's own resources
 * @param moduleKey  the {@code forEach} key of the innermost module instance, or null
 * @param forEachKey the resource's own {@code forEach} key, or null
 * @param template   the template block's key in its file (a module file for module resources)
 */
public record Origin(List<String> modules, String moduleKey, String forEachKey, Location template) {
    public Origin {
        modules = List.copyOf(modules);
    }

    /** The innermost module instance, or null for the stack's own (repeated) resources. */
    public String module() {
        return modules.isEmpty() ? null : modules.get(modules.size() - 1);
    }

    /** {@code module net, forEach key "b" at stacks/modules/vpc.json:20:5}: what the text plan shows. */
    public String text() {
        List<String> parts = new ArrayList<>();
        for (String m : modules) parts.add("module " + m);
        if (forEachKey != null) parts.add("forEach key \"" + forEachKey + "\"");
        return String.join(", ", parts) + " at " + template;
    }
}
