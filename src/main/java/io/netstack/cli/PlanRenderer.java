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

    static void text(Plan plan, PrintStream out) {
        text(plan, out, id -> null);
    }

    /** {@code origin}: where a resource comes from (module, forEach key, template location), or null. */
    static void text(Plan plan, PrintStream out, java.util.function.Function<String, String> origin) {
        if (!plan.hasChanges()) {
            out.println("No changes. Stack " + plan.stack() + " (" + plan.region() + ") matches its file: " + plan.changes().size() + " resources.");
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
    }

    static String line(PropertyDiff d) {
        String b = show(d.before(), d.sensitive()), a = show(d.after(), d.sensitive());
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
