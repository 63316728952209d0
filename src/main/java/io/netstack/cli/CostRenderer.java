package io.netstack.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.cost.CostItem;
import io.netstack.cost.Estimate;
import io.netstack.cost.PriceTable;
import io.netstack.engine.Json;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;

/** Text and JSON of a cost estimate (netstack cost) and of a plan's cost change (end of plan). */
final class CostRenderer {
    private CostRenderer() {}

    static PriceTable prices(Path file) {
        return file == null ? PriceTable.shipped() : PriceTable.load(file);
    }

    static ObjectNode json(Estimate e, String totalKey) {
        ObjectNode o = Json.object();
        o.put("currency", e.currency());
        o.put(totalKey, e.monthly());
        ArrayNode items = o.putArray("items");
        for (CostItem i : e.items()) {
            ObjectNode j = items.addObject();
            j.put("id", i.id());
            j.put("type", i.type());
            j.put("monthly", i.monthly());
            j.put("basis", i.basis());
        }
        ArrayNode usage = o.putArray("usageDependent");
        e.usage().forEach(usage::add);
        ObjectNode p = o.putObject("prices");
        p.put("region", e.region());
        p.put("date", e.prices().date());
        p.put("source", e.prices().source());
        return o;
    }

    static String money(BigDecimal v, boolean signed) {
        String s = "$" + v.abs().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        if (v.signum() < 0) return "-" + s;
        return signed && v.signum() > 0 ? "+" + s : s;
    }

    private static String from(Estimate e) {
        return e.region() + " list prices of " + e.prices().date() + ", " + e.prices().hoursPerMonth() + " h/month";
    }

    /** The whole stack (netstack cost). */
    static void text(String stack, Estimate e, PrintStream out) {
        out.println("Monthly cost of stack " + stack + " (" + from(e) + "):");
        out.println();
        if (e.items().isEmpty()) out.println("  (no hourly-billed network objects)");
        items(e, out, false);
        out.println();
        out.println("Total: " + money(e.monthly(), false) + " " + e.currency() + "/month for hourly-billed objects.");
        usage(e, out);
    }

    /** The last lines of a plan. */
    static void planChange(Estimate e, PrintStream out) {
        out.println();
        out.println("Monthly cost change: " + money(e.monthly(), true) + " " + e.currency() + " (" + from(e) + ")");
        items(e, out, true);
        usage(e, out);
    }

    private static void items(Estimate e, PrintStream out, boolean signed) {
        int w = e.items().stream().mapToInt(i -> i.id().length() + i.type().length() + 3).max().orElse(0);
        for (CostItem i : e.items()) {
            String name = i.id() + " (" + i.type() + ")";
            out.println("  " + name + " ".repeat(Math.max(1, w - name.length() + 2)) + String.format("%10s", money(i.monthly(), signed)) + "  " + i.basis());
        }
    }

    private static void usage(Estimate e, PrintStream out) {
        if (e.usage().isEmpty()) return;
        out.println("Not included, usage-dependent:");
        for (String u : e.usage()) out.println("  " + u);
    }
}
