package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The machine-readable plan: {@code {"stack":…, "changes":[{"id","type","action","awsId",
 * "origin"?, "reasons":[…], "diff":[{"path","before","after"}]}]}} ({@code origin}: the module and
 * forEach key of a resource a template expanded, see {@link #origin}). NOOPs are omitted; write-only values are
 * {@code "(sensitive)"} — this is also what a saved plan file stores, so no secret reaches disk.
 */
public final class PlanJson {
    public static final String SENSITIVE = "(sensitive)";

    private PlanJson() {}

    public static ObjectNode render(Plan plan) {
        ObjectNode o = Json.object();
        o.put("stack", plan.stack());
        o.put("region", plan.region());
        o.put("destroy", plan.destroy());
        ArrayNode changes = o.putArray("changes");
        for (Change c : plan.actionable()) {
            ObjectNode j = changes.addObject();
            j.put("id", c.id());
            j.put("type", c.type());
            j.put("action", c.action().lower());
            if (c.awsId() != null) j.put("awsId", c.awsId());
            io.netstack.stack.Origin from = plan.origin(c.id());
            if (from != null) j.set("origin", origin(from));
            ArrayNode reasons = j.putArray("reasons");
            c.reasons().forEach(reasons::add);
            ArrayNode diff = j.putArray("diff");
            for (PropertyDiff d : c.diffs()) {
                ObjectNode dj = diff.addObject();
                dj.put("path", d.path());
                dj.set("before", value(d.before(), d.sensitive()));
                dj.set("after", value(d.after(), d.sensitive()));
                if (d.forcesReplace()) dj.put("forcesReplace", true);
            }
        }
        ObjectNode summary = o.putObject("summary");
        for (Action a : Action.values()) if (a != Action.NOOP) summary.put(a.lower(), plan.count(a));
        return o;
    }

    /**
     * {@code {"module": "net", "modules": ["net"], "moduleKey"?, "forEachKey"?, "file", "line", "column"}}:
     * the innermost module instance (the prefix of its resources' ids; absent for the stack's own
     * repeated resources), all of them outermost first, the module instance's and the resource's own
     * forEach keys, and where the template block is written.
     */
    static ObjectNode origin(io.netstack.stack.Origin from) {
        ObjectNode o = Json.object();
        if (from.module() != null) {
            o.put("module", from.module());
            ArrayNode all = o.putArray("modules");
            from.modules().forEach(all::add);
        }
        if (from.moduleKey() != null) o.put("moduleKey", from.moduleKey());
        if (from.forEachKey() != null) o.put("forEachKey", from.forEachKey());
        o.put("file", from.template().file());
        o.put("line", from.template().line());
        o.put("column", from.template().column());
        return o;
    }

    private static JsonNode value(JsonNode v, boolean sensitive) {
        if (v == null) return Json.MAPPER.nullNode();
        return sensitive ? TextNode.valueOf(SENSITIVE) : v;
    }
}
