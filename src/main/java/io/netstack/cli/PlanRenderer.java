package io.netstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanJson;
import io.netstack.engine.PropertyDiff;
import java.io.PrintStream;

/** Text rendering of a plan: one block per change, attribute diffs below it, a summary line. */
final class PlanRenderer {
    private PlanRenderer() {}

    /** Each expanded resource's change names where it comes from (module, forEach key, template location). */
    static void text(Plan plan, PrintStream out) {
        text(plan, out, id -> plan.origin(id) == null ? null : plan.origin(id).text());
    }

    /** {@code origin}: where a resource comes from (module, forEach key, template location), or null. */
    static void text(Plan plan, PrintStream out, java.util.function.Function<String, String> origin) {
        String legacy = legacySecretTags(plan);
        if (!plan.hasChanges()) {
            out.println("No changes. Stack " + plan.stack() + " (" + plan.region() + ") matches its file: " + plan.changes().size() + " resources.");
            if (legacy != null) out.println(legacy);
            return;
        }
        out.println((plan.destroy() ? "Destroy plan" : "Plan") + " for stack " + plan.stack() + " (" + plan.region() + "):");
        out.println();
        for (Change c : plan.actionable()) {
            StringBuilder head = new StringBuilder("  ").append(String.format("%-3s", c.action().symbol())).append(' ')
                    .append(c.id()).append(" (").append(c.type()).append(')');
            if (c.awsId() != null) head.append(' ').append(c.awsId());
            head.append("  ").append(c.action().lower());
            if (!c.reasons().isEmpty()) head.append(": ").append(String.join("; ", c.reasons()));
            String from = origin.apply(c.id());
            if (from != null) head.append("  [").append(from).append(']');
            out.println(head);
            if (c.action() == Action.DELETE) continue;
            for (PropertyDiff d : c.diffs()) out.println("        " + line(d));
        }
        out.println();
        out.println(summary(plan));
        String w = deletedByTagOnly(plan);
        if (w != null) out.println(w);
        if (legacy != null) out.println(legacy);
    }

    /**
     * Objects whose {@code netstack:secrets} tag is the old v1 digest (salted only with public
     * tags: a short key can be guessed back from it offline). Still compared, so an upgrade
     * replaces nothing; the plan says which ones to re-key.
     */
    static String legacySecretTags(Plan plan) {
        if (plan.destroy()) return null;
        java.util.List<String> ids = plan.live().values().stream()
                .filter(l -> io.netstack.engine.Secrets.legacy(l.attributes().get(io.netstack.spi.ResourceSpec.SECRETS_TAG)))
                .map(l -> l.id() + " (" + l.awsId() + ")").sorted().toList();
        if (ids.isEmpty()) return null;
        return "Warning: the netstack:secrets tag of " + String.join(", ", ids) + " is an old v1 digest, from which a short key can be guessed offline:"
                + " give it a new key (it is replaced, and the new object gets a slow v2 digest) (README, Security).";
    }

    /**
     * The deletions that only the ownership tags justify: objects the file does not name. Tags are
     * not proof (anyone allowed to call ec2:CreateTags can make any object look like this stack's,
     * README "Security"), so the plan says so where a reviewer will read it.
     */
    static String deletedByTagOnly(Plan plan) {
        if (plan.destroy()) return null;
        java.util.List<String> objs = plan.actionable().stream()
                .filter(c -> c.action() == Action.DELETE && c.reasons().contains("no longer in the stack file"))
                .map(c -> c.id() + " (" + c.type() + (c.awsId() == null ? "" : " " + c.awsId()) + ")").toList();
        if (objs.isEmpty()) return null;
        return "Warning: " + (objs.size() == 1 ? "1 object is" : objs.size() + " objects are") + " deleted only because tags say stack " + plan.stack()
                + " owns it and the file no longer names it: " + String.join(", ", objs)
                + ". netstack cannot tell an object it made from one someone else tagged netstack:stack/netstack:id: check these are yours (README, Security).";
    }

    static String line(PropertyDiff d) {
        String b = show(d.before(), d.sensitive()), a = show(d.after(), d.sensitive());
        if (d.modifiedElement()) return d.path() + " ~ " + b + " → " + a + (d.forcesReplace() ? "  (forces replacement)" : "");
        if (d.element()) return d.path() + (d.before() == null ? " + " + a : " - " + b + "  (not in the file: made outside netstack, or removed from the file)");
        if (d.before() == null) return d.path() + ": " + a + (d.forcesReplace() ? "  (forces replacement)" : "");
        return d.path() + ": " + b + " → " + a + (d.forcesReplace() ? "  (forces replacement)" : "");
    }

    private static String show(JsonNode v, boolean sensitive) {
        if (v == null) return "(none)";
        return sensitive ? PlanJson.SENSITIVE : Json.display(v);
    }

    static String summary(Plan plan) {
        return "Plan: " + plan.count(Action.CREATE) + " to create, " + plan.count(Action.UPDATE) + " to update, "
                + plan.count(Action.REPLACE) + " to replace, " + plan.count(Action.DELETE) + " to delete.";
    }
}
