package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;
import static io.netstack.bench.Bench.median;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.stack.StackFile;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validate of a templated stack whose expansion has {@code --instances} resources (default 1,000:
 * half subnets with cidrsubnet() CIDRs, half route tables referencing them by key), as the CLI runs
 * it ({@code scripts/netstack validate}, JVM start included) and in-process (expand + load + validate,
 * after one warm-up). Issue 16's bound: under 2 s.
 */
final class ExpandBench {
    private ExpandBench() {}

    /** VPCs in the benchmark stack: AWS allows 200 subnets per VPC, and the shape follows StackGenerator's. */
    static final int VPCS = 5;

    /** A template that expands to {@code instances} + {@link #VPCS} resources: a module used once per VPC. */
    static String template(int instances) {
        return """
                {
                  "stack": "bench-expand",
                  "region": "eu-west-1",
                  "variables": {
                    "vpcs":    { "type": "number", "min": 1, "max": 5, "default": %d },
                    "subnets": { "type": "number", "min": 1, "max": 200, "default": %d }
                  },
                  "resources": {
                    "net": { "module": "./expand-module.json", "forEach": "${range(var.vpcs)}",
                             "inputs": { "cidr": "${cidrsubnet('10.0.0.0/8', 8, each.value)}", "subnets": "${var.subnets}" } }
                  }
                }
                """.formatted(VPCS, instances / VPCS / 2);
    }

    static final String MODULE = """
            {
              "variables": {
                "cidr":    { "type": "string", "format": "ipv4-cidr" },
                "subnets": { "type": "number" }
              },
              "resources": {
                "vpc": { "type": "vpc", "cidr": "${var.cidr}" },
                "sub": { "type": "subnet", "forEach": "${range(var.subnets)}", "vpc": "${vpc}",
                         "cidr": "${cidrsubnet(var.cidr, 8, each.value)}", "zone": "${zone(each.value % 3)}" },
                "rt":  { "type": "route-table", "forEach": "${range(var.subnets)}", "vpc": "${vpc}", "subnets": ["${sub[each.key]}"] }
              }
            }
            """;

    static Path write(Path file, int instances) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, template(instances));
        Files.writeString(file.resolveSibling("expand-module.json"), MODULE);
        return file;
    }

    /** Seconds for one in-process expand + load + validate. */
    static double validateOnce(Netstack ns, Path file, int expectedResources) {
        long t0 = System.nanoTime();
        StackFile s = ns.load(file, Map.of());
        ns.validate(s);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (s.resources().size() != expectedResources) throw new IllegalStateException("expanded to " + s.resources().size() + " resources, expected " + expectedResources);
        return secs;
    }

    static void run(Bench.Args a) throws Exception {
        int runs = a.integer("runs", 5);
        int instances = a.integer("instances", 1000);
        Path launcher = Path.of(a.get("launcher", "scripts/netstack")).toAbsolutePath();
        Path md = Path.of(a.get("md", "BENCHMARKS.md"));
        Path file = write(Path.of("target", "bench", "stacks", "expand-" + instances + ".json").toAbsolutePath(), instances);
        String machine = Bench.machine(), started = Bench.now();

        List<Double> cli = new ArrayList<>(), cpu = new ArrayList<>();
        List<String> cmd = List.of(launcher.toString(), "validate", file.toString());
        Proc.run(cmd, Map.of(), Path.of(".")); // warm the page cache; not counted
        for (int r = 0; r < runs; r++) {
            Proc.Result res = Proc.run(cmd, Map.of(), Path.of("."));
            if (res.exit() != 0) throw new IllegalStateException("validate exited " + res.exit() + ": " + res.out() + res.err());
            cli.add(res.wallSeconds());
            cpu.add(res.cpuSeconds());
        }
        List<Double> inProcess = new ArrayList<>();
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            validateOnce(ns, file, instances + VPCS);
            for (int r = 0; r < runs; r++) inProcess.add(validateOnce(ns, file, instances + VPCS));
        }
        ObjectNode json = Json.object();
        json.put("machine", machine).put("date", started).put("instances", instances);
        ArrayNode c = json.putArray("cliSeconds");
        cli.forEach(c::add);
        ArrayNode p = json.putArray("inProcessSeconds");
        inProcess.forEach(p::add);
        Bench.writeJson("expand", json);
        String body = "### Validate of a templated stack (" + String.format("%,d", instances) + " instances)\n\n"
                + "Measured " + started + " on " + machine + "; medians of " + runs + " runs. The template (`ExpandBench.template`) uses a module once per VPC\n"
                + "(5, CIDRs from `cidrsubnet()`), each repeating a subnet and a route table referencing it by key; issue 16's bound is 2 s.\n"
                + "Command: `scripts/bench expand`.\n\n"
                + "| measure | median (s) | min–max (s) |\n|---|---:|---:|\n"
                + "| `netstack validate` (process, JVM start included; CPU user+sys " + fmt(median(cpu), 2) + " s) | " + fmt(median(cli), 2) + " | " + range(cli) + " |\n"
                + "| expand + load + validate in-process (after one warm-up) | " + fmt(median(inProcess), 3) + " | " + range(inProcess) + " |\n";
        Bench.updateMarkdown(md, "expand", body);
        System.out.println(body);
    }

    private static String range(List<Double> xs) {
        return fmt(xs.stream().mapToDouble(d -> d).min().orElse(0), 3) + "–" + fmt(xs.stream().mapToDouble(d -> d).max().orElse(0), 3);
    }
}
