package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;
import static io.netstack.bench.Bench.median;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Start-up: {@code netstack --version} and {@code validate} of a generated 1,000-resource stack, as a user runs them. */
final class StartupBench {
    private StartupBench() {}

    static void run(Bench.Args a) throws Exception {
        int runs = a.integer("runs", 5);
        Path launcher = Path.of(a.get("launcher", "scripts/netstack")).toAbsolutePath();
        Path md = Path.of(a.get("md", "BENCHMARKS.md"));
        String label = a.get("label", "");
        Path file = Bench.writeStack(Path.of("target", "bench", "stacks", "validate-1000.json"), "bench-validate", 1000, Bench.registeredTypes());
        String machine = Bench.machine(), started = Bench.now();
        ObjectNode json = Json.object();
        json.put("machine", machine).put("date", started);
        ArrayNode rows = json.putArray("commands");
        StringBuilder table = new StringBuilder("| command | wall, median (s) | min–max (s) | CPU user+sys, median (s) | peak RSS, median (MiB) |\n|---|---:|---:|---:|---:|\n");
        for (List<String> args : List.of(List.of("--version"), List.of("validate", file.toAbsolutePath().toString()))) {
            List<Double> walls = new ArrayList<>(), rss = new ArrayList<>(), cpu = new ArrayList<>();
            Proc.run(cmd(launcher, args), Map.of(), Path.of(".")); // warm the page cache; not counted
            for (int r = 0; r < runs; r++) {
                Proc.Result res = Proc.run(cmd(launcher, args), Map.of(), Path.of("."));
                if (res.exit() != 0) throw new IllegalStateException(args + " exited " + res.exit() + ": " + res.out() + res.err());
                walls.add(res.wallSeconds());
                cpu.add(res.cpuSeconds());
                rss.add(res.maxRssKb() / 1024.0);
            }
            String name = "`netstack " + (args.get(0).equals("validate") ? "validate` (1,000 resources)" : "--version`");
            ObjectNode row = rows.addObject();
            row.put("command", name);
            row.set("seconds", Bench.array(walls));
            row.set("rssMiB", Bench.array(rss));
            row.set("cpuSeconds", Bench.array(cpu));
            table.append("| ").append(name).append(label.isEmpty() ? "" : " " + label).append(" | ").append(fmt(median(walls), 2)).append(" | ")
                    .append(fmt(walls.stream().mapToDouble(d -> d).min().orElse(0), 2)).append("–")
                    .append(fmt(walls.stream().mapToDouble(d -> d).max().orElse(0), 2)).append(" | ").append(fmt(median(cpu), 2))
                    .append(" | ").append(fmt(median(rss), 0)).append(" |\n");
        }
        Bench.writeJson("startup", json);
        String body = "### Start-up\n\nMeasured " + started + " on " + machine + "; medians of " + runs
                + " runs after one warm-up; wall time from process start to exit (noisy on a shared machine), CPU time and peak RSS from GNU time (`%M`).\n"
                + "Command: `scripts/bench startup`.\n\n" + table;
        Bench.updateMarkdown(md, "startup", body);
        System.out.println(body);
    }

    private static List<String> cmd(Path launcher, List<String> args) {
        List<String> c = new ArrayList<>(List.of(launcher.toString()));
        c.addAll(args);
        return c;
    }
}
