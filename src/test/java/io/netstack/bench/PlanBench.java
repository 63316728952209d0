package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;
import static io.netstack.bench.Bench.median;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.provider.ratelimit.RateLimits;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * No-change {@code plan} of generated stacks against moto: AWS calls per action (counted by an SDK
 * interceptor on the real request path) and wall time, in-process (warm JVM: the plan itself) and
 * as a user runs it ({@code scripts/netstack plan}: JVM start-up included).
 *
 * <p>Each stack is applied once first and destroyed after (limiter off, high parallelism: moto does
 * not throttle, and the setup is not what is measured; its times are printed for information only,
 * moto's speed says nothing about AWS's). The plans themselves run as a user's would: client-side
 * rate limiter on (the CLI default).
 *
 * <p>The goal (issue 12) is "a no-change plan of a stack of N types makes at most N + 1 + 2 per
 * VPC calls plus pages": a plan reads the N types the stack declares or owns (one list call each),
 * plus one {@code DescribeTags} that finds the owned types, plus {@code DescribeVpcAttribute} twice
 * per VPC (EC2 returns the DNS attributes nowhere else), plus the continuation pages
 * ({@code NextToken} calls). The stacks here own only the types they declare.
 */
final class PlanBench {
    /** Applies and destroys of the setup: moto answers one call at a time, more threads only queue. */
    static final int SETUP_PARALLELISM = 16;

    private PlanBench() {}

    static void run(Bench.Args a) throws Exception {
        URI endpoint = URI.create(a.require("endpoint"));
        List<Integer> sizes = a.ints("sizes", "100,1000,3000");
        int runs = a.integer("runs", 5);
        // moto needs ~1.5 min to answer one plan of the 3,000-resource stack (its Describe* calls slow
        // down with the number of objects; CPU time on netstack's side is ~2 s): one run each, no
        // warm-up, keeps the whole bench near 25 minutes. Its wall time measures moto, not netstack.
        int runsLarge = a.integer("runs-large", 1);
        // scripts/bench throws its moto away after each benchmark: destroying the last (largest) stack
        // there would only add minutes. The smaller ones are destroyed so they do not slow moto's reads.
        boolean disposable = Boolean.parseBoolean(a.get("disposable-endpoint", "false"));
        Path launcher = Path.of(a.get("launcher", "scripts/netstack")).toAbsolutePath();
        Path md = Path.of(a.get("md", "BENCHMARKS.md"));
        Set<String> registered = Bench.registeredTypes();
        String machine = Bench.machine(), started = Bench.now();
        ObjectNode json = Json.object();
        json.put("machine", machine).put("date", started).put("types", String.join(",", registered));
        ArrayNode rows = json.putArray("sizes");
        StringBuilder table = new StringBuilder();
        table.append("| resources | types in stack / registered | AWS calls | continuation pages | goal: N types + 1 + 2 per VPC + pages | over the goal | calls by action "
                + "| in-process plan: wall / CPU (s) | `netstack plan`: wall / CPU (s) | CLI peak RSS (MiB) | runs |\n");
        table.append("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        StringBuilder setupNotes = new StringBuilder(), slowNotes = new StringBuilder();
        for (int size : sizes) {
            int n = size >= 3000 ? runsLarge : runs;
            String stack = "bench-plan-" + size + "-" + Long.toString(System.currentTimeMillis() % 100_000, 36);
            Path file = Bench.writeStack(Path.of("target", "bench", "stacks", "plan-" + size + ".json"), stack, size, registered);
            StackGenerator.Shape shape = StackGenerator.shape(size, registered);
            System.err.printf("plan %d: %s; applying once (setup) ...%n", size, shape);
            long t0 = System.nanoTime();
            int typesInStack, vpcs;
            try (Netstack ns = new Netstack(Bench.settings(endpoint, List.of(), RateLimits.OFF))) {
                StackFile s = ns.load(file, Map.of());
                ns.validate(s);
                typesInStack = (int) s.resources().values().stream().map(ResourceBlock::type).distinct().count();
                vpcs = (int) s.resources().values().stream().filter(b -> b.type().equals("vpc")).count();
                Bench.converge(ns, s, SETUP_PARALLELISM);
            }
            double setup = (System.nanoTime() - t0) / 1e9;
            System.err.printf("plan %d: applied in %.1f s; %d in-process plans ...%n", size, setup, n);

            List<Double> walls = new ArrayList<>(), cpus = new ArrayList<>();
            List<Map<String, Long>> counts = new ArrayList<>(), pageCounts = new ArrayList<>();
            Map<String, List<Double>> wire = new TreeMap<>();
            int live = 0;
            CallCounter counter = new CallCounter();
            try (Netstack ns = new Netstack(Bench.settings(endpoint, List.of(counter), RateLimits.awsDefaults()))) {
                StackFile s = ns.load(file, Map.of());
                if (size < 3000) ns.plan(s, false); // warm-up: SDK clients, class loading, JIT; not counted
                for (int r = 0; r < n; r++) {
                    counter.reset();
                    long p0 = System.nanoTime(), c0 = processCpuNanos();
                    Plan p = ns.plan(s, false);
                    walls.add((System.nanoTime() - p0) / 1e9);
                    cpus.add((processCpuNanos() - c0) / 1e9);
                    if (p.hasChanges()) {
                        throw new IllegalStateException("plan of " + stack + " is not a no-change plan: " + p.actionable().size() + " changes, e.g. "
                                + p.actionable().get(0).id() + " " + p.actionable().get(0).diffs());
                    }
                    live = p.live().size();
                    counts.add(counter.attempts());
                    pageCounts.add(counter.pages());
                    counter.seconds().forEach((k, v) -> wire.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                }
            }
            Map<String, Long> calls = Bench.medianCounts(counts), pages = Bench.medianCounts(pageCounts);
            long total = sum(calls), totalPages = sum(pages);
            long goal = typesInStack + 1 + 2L * vpcs + totalPages;
            // The slowest reads (median seconds on the wire): moto's time, which dominates a big plan's wall time.
            String slowest = wire.entrySet().stream().sorted((x, y) -> Double.compare(median(y.getValue()), median(x.getValue()))).limit(3)
                    .map(e -> e.getKey() + " " + fmt(median(e.getValue()), 2) + " s").collect(java.util.stream.Collectors.joining(", "));
            // Actions read more than once per page (DescribeVpcAttribute: more than twice per VPC):
            // where a plan's cost grows with something other than types.
            Map<String, Long> repeated = new TreeMap<>();
            calls.forEach((k, v) -> {
                long extra = v - (k.equals("DescribeVpcAttribute") ? 2L * vpcs : 1) - pages.getOrDefault(k, 0L);
                if (extra > 0) repeated.put(k, extra);
            });

            System.err.printf("plan %d: %d calls; %d CLI plans ...%n", size, total, n);
            List<Double> cliWalls = new ArrayList<>(), cliRss = new ArrayList<>(), cliCpu = new ArrayList<>();
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", Bench.REGION);
            for (int r = 0; r < n; r++) {
                Proc.Result res = Proc.run(List.of(launcher.toString(), "plan", file.toAbsolutePath().toString(), "--endpoint-url", endpoint.toString(),
                        "--detailed-exitcode"), env, Path.of("."));
                if (res.exit() != 0) throw new IllegalStateException("netstack plan exited " + res.exit() + ": " + res.out() + res.err());
                cliWalls.add(res.wallSeconds());
                cliCpu.add(res.cpuSeconds());
                cliRss.add(res.maxRssKb() / 1024.0);
            }

            double teardown = Double.NaN;
            if (!(disposable && size == sizes.get(sizes.size() - 1))) {
                System.err.printf("plan %d: destroying (teardown) ...%n", size);
                long d0 = System.nanoTime();
                try (Netstack ns = new Netstack(Bench.settings(endpoint, List.of(), RateLimits.OFF))) {
                    Bench.destroy(ns, ns.load(file, Map.of()), SETUP_PARALLELISM);
                }
                teardown = (System.nanoTime() - d0) / 1e9;
            }

            ObjectNode row = rows.addObject();
            row.put("resources", size).put("live", live).put("typesInStack", typesInStack).put("vpcs", vpcs).put("typesRegistered", registered.size())
                    .put("setupApplySeconds", setup).put("calls", total).put("continuationPages", totalPages)
                    .put("goal", goal).put("runs", n);
            if (!Double.isNaN(teardown)) row.put("teardownDestroySeconds", teardown);
            row.set("callsByAction", Bench.countsJson(calls));
            row.set("pagesByAction", Bench.countsJson(pages));
            row.set("repeatedReads", Bench.countsJson(repeated));
            row.put("slowestReads", slowest);
            row.set("inProcessSeconds", Bench.array(walls));
            row.set("cliSeconds", Bench.array(cliWalls));
            row.set("cliRssMiB", Bench.array(cliRss));
            row.set("inProcessCpuSeconds", Bench.array(cpus));
            row.set("cliCpuSeconds", Bench.array(cliCpu));
            table.append("| ").append(String.format("%,d", live)).append(" | ").append(typesInStack).append(" / ").append(registered.size())
                    .append(" | ").append(total).append(" | ").append(totalPages).append(" | ").append(goal)
                    .append(" | ").append(total > goal ? "+" + (total - goal) + (repeated.isEmpty() ? "" : " (" + Bench.actions(repeated) + ")") : "—")
                    .append(" | ").append(Bench.actions(calls))
                    .append(" | ").append(fmt(median(walls), 2)).append(" / ").append(fmt(median(cpus), 2))
                    .append(" | ").append(fmt(median(cliWalls), 2)).append(" / ").append(fmt(median(cliCpu), 2))
                    .append(" | ").append(fmt(median(cliRss), 0)).append(" | ").append(n).append(" |\n");
            slowNotes.append(String.format("%,d resources: %s; ", live, slowest));
            setupNotes.append(String.format("%,d resources (%s): applied in %s s, %s; ", live, shape, fmt(setup, 0),
                    Double.isNaN(teardown) ? "not destroyed (moto is discarded)" : "destroyed in " + fmt(teardown, 0) + " s"));
            System.out.println(table);
        }
        Bench.writeJson("plan", json);
        String body = "### No-change plan (moto)\n\n"
                + "Measured " + started + " on " + machine + "; medians of the runs in the last column (after one uncounted warm-up plan in-process, except for 3,000+ resources, where moto's answer time dwarfs it).\n"
                + "Resource types registered (" + registered.size() + "); a plan reads only the types the stack declares or owns (issue 12).\n"
                + "Command: `scripts/bench plan` (stacks: `target/bench/stacks/plan-*.json`, raw figures: `target/bench/plan.json`).\n\n"
                + table
                + "\nSlowest reads of the in-process plan (median time on the wire, moto answering; reads run 8 at a time): "
                + slowNotes.toString().replaceAll("; $", ".") + "\n"
                + "\nSet-up and tear-down (moto, limiter off, parallelism " + SETUP_PARALLELISM + "; not a measure of AWS): " + setupNotes.toString().replaceAll("; $", ".") + "\n";
        Bench.updateMarkdown(md, "plan", body);
        System.out.println(body);
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU time of this whole JVM (every thread, GC included). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
