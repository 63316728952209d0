package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;
import static io.netstack.bench.Bench.median;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.provider.AwsSettings;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No-change {@code plan} of generated stacks against moto: AWS calls per action (counted by an SDK
 * interceptor on the real request path) and wall time, in-process (warm JVM: the plan itself) and
 * as a user runs it ({@code scripts/netstack plan}: JVM start-up included). Each stack is applied
 * once first (rate limiter off: moto does not throttle, and the setup is not what is measured).
 */
final class PlanBench {
    private PlanBench() {}

    static void run(Bench.Args a) throws Exception {
        URI endpoint = URI.create(a.require("endpoint"));
        List<Integer> sizes = a.ints("sizes", "100,1000,3000");
        int runs = a.integer("runs", 5);
        Path launcher = Path.of(a.get("launcher", "scripts/netstack")).toAbsolutePath();
        Path md = Path.of(a.get("md", "BENCHMARKS.md"));
        Set<String> types = Bench.registeredTypes();
        String machine = Bench.machine(), started = Bench.now();
        ObjectNode json = Json.object();
        json.put("machine", machine).put("date", started).put("types", String.join(",", types));
        ArrayNode rows = json.putArray("sizes");
        StringBuilder table = new StringBuilder();
        table.append("| resources | VPCs | AWS calls | of which DescribeVpcAttribute (2 per VPC) | calls by action | plan, in-process: wall / CPU (median s) | `netstack plan` CLI: wall / CPU (median s) | CLI peak RSS (MiB) |\n");
        table.append("|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (int size : sizes) {
            String stack = "bench-plan-" + size;
            Path file = Bench.writeStack(Path.of("target", "bench", "stacks", "plan-" + size + ".json"), stack, size, types);
            StackGenerator.Shape shape = StackGenerator.shape(size, types);
            System.err.printf("plan %d: %s; applying once ...%n", size, shape);
            long t0 = System.nanoTime();
            try (Netstack ns = new Netstack(settings(endpoint, List.of(), 0))) {
                StackFile s = ns.load(file, Map.of());
                ns.validate(s);
                Bench.converge(ns, s, 32);
            }
            double setup = (System.nanoTime() - t0) / 1e9;
            System.err.printf("plan %d: applied in %.1f s; %d in-process plans ...%n", size, setup, runs);
            List<Double> walls = new ArrayList<>(), cpus = new ArrayList<>();
            List<Map<String, Long>> counts = new ArrayList<>();
            int live = 0;
            for (int r = 0; r < runs; r++) {
                CallCounter counter = new CallCounter();
                try (Netstack ns = new Netstack(settings(endpoint, List.of(counter), 1))) {
                    StackFile s = ns.load(file, Map.of());
                    long p0 = System.nanoTime(), c0 = processCpuNanos();
                    Plan p = ns.plan(s, false);
                    walls.add((System.nanoTime() - p0) / 1e9);
                    cpus.add((processCpuNanos() - c0) / 1e9);
                    if (p.hasChanges()) throw new IllegalStateException("plan of " + stack + " is not a no-change plan: " + p.actionable().size() + " changes");
                    live = p.live().size();
                }
                counts.add(counter.attempts());
            }
            Map<String, Long> calls = Bench.medianCounts(counts);
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            System.err.printf("plan %d: %d CLI plans ...%n", size, runs);
            List<Double> cliWalls = new ArrayList<>();
            List<Double> cliRss = new ArrayList<>(), cliCpu = new ArrayList<>();
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", Bench.REGION);
            for (int r = 0; r < runs; r++) {
                Proc.Result res = Proc.run(List.of(launcher.toString(), "plan", file.toAbsolutePath().toString(), "--endpoint-url", endpoint.toString(), "--detailed-exitcode"),
                        env, Path.of("."));
                if (res.exit() != 0) throw new IllegalStateException("netstack plan exited " + res.exit() + ": " + res.out() + res.err());
                cliWalls.add(res.wallSeconds());
                cliCpu.add(res.cpuSeconds());
                cliRss.add(res.maxRssKb() / 1024.0);
            }
            long attrs = calls.getOrDefault("DescribeVpcAttribute", 0L);
            ObjectNode row = rows.addObject();
            row.put("resources", size).put("live", live).put("vpcs", shape.vpcs()).put("setupSeconds", setup)
                    .put("calls", total).put("describeVpcAttribute", attrs);
            row.set("callsByAction", Bench.countsJson(calls));
            row.set("inProcessSeconds", Bench.array(walls));
            row.set("cliSeconds", Bench.array(cliWalls));
            row.set("cliRssMiB", Bench.array(cliRss));
            row.set("inProcessCpuSeconds", Bench.array(cpus));
            row.set("cliCpuSeconds", Bench.array(cliCpu));
            table.append("| ").append(live).append(" | ").append(shape.vpcs()).append(" | ").append(total).append(" | ").append(attrs)
                    .append(" | ").append(Bench.actions(calls)).append(" | ").append(fmt(median(walls), 2)).append(" / ").append(fmt(median(cpus), 2))
                    .append(" | ").append(fmt(median(cliWalls), 2)).append(" / ").append(fmt(median(cliCpu), 2)).append(" | ").append(fmt(median(cliRss), 0)).append(" |\n");
            System.out.println(table);
        }
        Bench.writeJson("plan", json);
        String body = "### No-change plan (moto)\n\n"
                + "Measured " + started + " on " + machine + "; medians of " + runs + " runs; resource types registered: "
                + String.join(", ", types) + ".\n"
                + "Command: `scripts/bench plan` (stacks: `target/bench/stacks/plan-*.json`, raw figures: `target/bench/plan.json`).\n\n"
                + table;
        Bench.updateMarkdown(md, "plan", body);
        System.out.println(body);
    }

    /** CPU time of this whole JVM (every thread, GC included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {@code maxRate} 0 turns the client-side rate limiter off. */
    static AwsSettings settings(URI endpoint, List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors, double maxRate) {
        return new AwsSettings(Bench.REGION, endpoint, null, AwsSettings.DEFAULT_MAX_ATTEMPTS, interceptors);
    }
}
