package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;
import static io.netstack.bench.Bench.median;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validation at scale (issue 13's bounds): {@code netstack validate} of 20,000 overlapping subnets
 * (every one an error: the check must sort, not compare all pairs, and print a capped list) and of
 * a valid 50,000-resource file, as a user runs them (the launcher, GNU time for CPU and peak RSS).
 * Bounds: under 10 s and 1 GB for the first, under 15 s for the second.
 */
final class ValidateBench {
    private ValidateBench() {}

    /** Subnets of one /16 whose /24s repeat every 256: each overlaps many others. */
    static Path overlapping(Path file, int subnets) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"stack\": \"bench-overlap\", \"region\": \"eu-west-1\", \"resources\": {\n");
            w.write("\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}");
            for (int i = 0; i < subnets; i++) {
                w.write(",\n\"s" + i + "\": {\"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0." + (i % 256) + ".0/24\"}");
            }
            w.write("\n}}\n");
        }
        return file;
    }

    /** 5 VPCs, 4,000 /28 subnets each, and security groups with one rule up to {@code total} resources. */
    static Path valid(Path file, int total) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"stack\": \"bench-big\", \"region\": \"eu-west-1\", \"resources\": {\n");
            int count = 0;
            for (int v = 0; v < 5; v++, count++) {
                w.write((count == 0 ? "" : ",\n") + "\"vpc" + v + "\": {\"type\": \"vpc\", \"cidr\": \"10." + v + ".0.0/16\"}");
            }
            for (int v = 0; v < 5; v++) {
                for (int i = 0; i < 4000 && count < total; i++, count++) {
                    w.write(",\n\"s" + v + "-" + i + "\": {\"type\": \"subnet\", \"vpc\": \"${vpc" + v + "}\", \"cidr\": \"10." + v + "." + (i / 16) + "." + (i % 16) * 16 + "/28\"}");
                }
            }
            for (int i = 0; count < total; i++, count++) {
                w.write(",\n\"sg" + i + "\": {\"type\": \"security-group\", \"vpc\": \"${vpc" + (i % 5) + "}\", \"description\": \"group " + i
                        + "\", \"ingress\": [{\"protocol\": \"tcp\", \"ports\": \"443\", \"from\": \"10." + (i % 5) + ".0.0/16\"}]}");
            }
            w.write("\n}}\n");
        }
        return file;
    }

    record Case(String name, Path file, int expectedExit, String bound) {}

    static void run(Bench.Args a) throws Exception {
        int runs = a.integer("runs", 3);
        Path launcher = Path.of(a.get("launcher", "scripts/netstack")).toAbsolutePath();
        Path md = Path.of(a.get("md", "BENCHMARKS.md"));
        Path dir = Path.of("target", "bench", "stacks");
        List<Case> cases = List.of(
                new Case("20,000 overlapping subnets (exit 3, errors capped)", overlapping(dir.resolve("overlap-20000.json"), 20_000), 3, "< 10 s, < 1 GB"),
                new Case("50,000 valid resources (5 VPCs, 20,000 subnets, 29,995 groups)", valid(dir.resolve("valid-50000.json"), 50_000), 0, "< 15 s"));
        String machine = Bench.machine(), started = Bench.now();
        ObjectNode json = Json.object();
        json.put("machine", machine).put("date", started);
        ArrayNode rows = json.putArray("cases");
        StringBuilder table = new StringBuilder("| file | bound | wall, median (s) | min–max (s) | CPU user+sys, median (s) | peak RSS, median (MiB) | lines printed |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (Case c : cases) {
            List<String> cmd = List.of(launcher.toString(), "validate", c.file().toAbsolutePath().toString());
            Proc.run(cmd, Map.of(), Path.of(".")); // warm the page cache; not counted
            List<Double> walls = new ArrayList<>(), cpu = new ArrayList<>(), rss = new ArrayList<>();
            long lines = 0;
            for (int r = 0; r < runs; r++) {
                Proc.Result res = Proc.run(cmd, Map.of(), Path.of("."));
                if (res.exit() != c.expectedExit()) throw new IllegalStateException(c.name() + ": exit " + res.exit() + ", expected " + c.expectedExit() + ": " + res.err());
                walls.add(res.wallSeconds());
                cpu.add(res.cpuSeconds());
                rss.add(res.maxRssKb() / 1024.0);
                lines = (res.out() + res.err()).lines().count();
            }
            ObjectNode row = rows.addObject();
            row.put("case", c.name()).put("lines", lines);
            row.set("seconds", Bench.array(walls));
            row.set("cpuSeconds", Bench.array(cpu));
            row.set("rssMiB", Bench.array(rss));
            table.append("| ").append(c.name()).append(" | ").append(c.bound()).append(" | ").append(fmt(median(walls), 2)).append(" | ")
                    .append(fmt(walls.stream().mapToDouble(d -> d).min().orElse(0), 2)).append("–")
                    .append(fmt(walls.stream().mapToDouble(d -> d).max().orElse(0), 2)).append(" | ").append(fmt(median(cpu), 2))
                    .append(" | ").append(fmt(median(rss), 0)).append(" | ").append(lines).append(" |\n");
        }
        Bench.writeJson("validate", json);
        String body = "### Validation at scale\n\nMeasured " + started + " on " + machine + "; medians of " + runs
                + " runs after one warm-up, `scripts/netstack validate FILE` as a user runs it (wall time noisy on a shared machine; CPU time and peak RSS from GNU time).\n"
                + "Command: `scripts/bench validate`.\n\n" + table;
        Bench.updateMarkdown(md, "validate", body);
        System.out.println(body);
    }
}
