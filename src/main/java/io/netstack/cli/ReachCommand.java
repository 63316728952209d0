package io.netstack.cli;

import io.netstack.analysis.NetworkModel;
import io.netstack.analysis.Reach;
import io.netstack.engine.Json;
import io.netstack.stack.Location;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reach", description = "Whether a flow can get from one place to another in the declared network (no AWS call), "
        + "or with --live in what AWS has now: the hop-by-hop path, or what blocks it. Exit 0 reachable, 2 not, 3 invalid.")
class ReachCommand extends AnalysisCommand {
    @Option(names = "--from", required = true, paramLabel = "ID|internet", description = "A subnet (id or stack/id), or internet.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ID|CIDR|internet", description = "A subnet, an IPv4 CIDR, or internet.")
    String to;

    @Option(names = "--port", required = true, paramLabel = "PROTO/PORT", description = "e.g. tcp/443, udp/53, icmp.")
    String port;

    @Option(names = "--from-sg", paramLabel = "ID", description = "Security group of the sending interface (checked for egress).")
    String fromSg;

    @Option(names = "--to-sg", paramLabel = "ID", description = "Security group of the receiving interface (checked for ingress).")
    String toSg;

    @Option(names = "--live", description = "Check what the stacks own in AWS now (read-only: the same reads as plan and drift), noting where it differs from the files.")
    boolean live;

    @Override
    int run(io.netstack.api.Netstack ns, java.util.List<io.netstack.stack.StackFile> files) {
        Reach.Flow flow;
        try {
            flow = Reach.Flow.parse(port);
        } catch (IllegalArgumentException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        NetworkModel model = live ? liveModel(ns, files) : NetworkModel.of(files);
        Reach.Result r;
        try {
            r = Reach.run(model, from, to, flow, fromSg, toSg);
        } catch (IllegalArgumentException e) {
            // A bad --from/--to/--port, not a bad file: no file:line to point at.
            console.err().println("error: " + e.getMessage() + (live ? " (--live: among what the stacks own in AWS now; are they applied?)" : ""));
            return ExitCodes.INVALID_INPUT;
        }
        if (global.json) console.out().println(json(r).toPrettyString());
        else console.out().print(text(r));
        return r.reachable() ? ExitCodes.OK : ExitCodes.CHANGES;
    }

    /** Every stack's owned objects, read like plan and drift do (only the types the stack declares or is found to own). */
    private static NetworkModel liveModel(io.netstack.api.Netstack ns, java.util.List<io.netstack.stack.StackFile> files) {
        java.util.Map<String, io.netstack.engine.LiveState> state = new java.util.LinkedHashMap<>();
        for (var f : files) {
            ns.prewarm(f.region());
            state.put(f.name(), ns.read(f));
        }
        return NetworkModel.live(files, state);
    }

    private String text(Reach.Result r) {
        StringBuilder sb = new StringBuilder();
        for (Reach.Hop h : r.path()) {
            sb.append("  ").append(h.type()).append(' ').append(h.id()).append(": ").append(h.detail());
            if (h.location() != null) sb.append("  (").append(h.location()).append(')');
            sb.append('\n');
        }
        if (r.reachable()) {
            sb.append("reachable: ").append(from).append(" → ").append(to).append(' ').append(port).append('\n');
        } else {
            sb.append("not reachable: ").append(from).append(" → ").append(to).append(' ').append(port).append('\n');
            sb.append(blockLine("blocked by", r.blockedBy()));
            for (Reach.Block b : r.alsoBlockedBy()) sb.append(blockLine("also blocked by", b));
        }
        return sb.toString();
    }

    private static String blockLine(String label, Reach.Block b) {
        return "  " + label + " " + b.type() + " " + b.id() + (b.location() == null ? "" : " at " + b.location()) + ": " + b.reason() + "\n";
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode json(Reach.Result r) {
        var o = Json.object().put("reachable", r.reachable());
        var path = o.putArray("path");
        for (Reach.Hop h : r.path()) {
            var n = path.addObject().put("id", h.id()).put("type", h.type()).put("detail", h.detail());
            location(n, h.location());
        }
        if (r.blockedBy() == null) o.putNull("blockedBy");
        else location(o.putObject("blockedBy").put("id", r.blockedBy().id()).put("type", r.blockedBy().type()).put("reason", r.blockedBy().reason()), r.blockedBy().location());
        var also = o.putArray("alsoBlockedBy");
        for (Reach.Block b : r.alsoBlockedBy()) location(also.addObject().put("id", b.id()).put("type", b.type()).put("reason", b.reason()), b.location());
        return o;
    }

    private static void location(com.fasterxml.jackson.databind.node.ObjectNode n, Location at) {
        if (at == null) return;
        n.put("file", at.file()).put("line", at.line()).put("column", at.column());
    }
}
