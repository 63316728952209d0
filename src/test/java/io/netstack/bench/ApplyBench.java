package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.DependencyGraph;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.ExecutionOrder;
import io.netstack.engine.Json;
import io.netstack.engine.Parallelism;
import io.netstack.engine.Plan;
import io.netstack.engine.Step;
import io.netstack.provider.ratelimit.RateLimits;
import io.netstack.stack.StackFile;
import io.netstack.testing.faults.BucketSpec;
import io.netstack.testing.faults.Ec2Buckets;
import io.netstack.testing.faults.FaultConfig;
import io.netstack.testing.faults.FaultProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code apply} through the {@link FaultProxy} with AWS-like latency, EC2's default token buckets
 * and a (scaled-down) pending window, against the lower bound the issue names:
 * max(critical path of the step graph, bucket bound).
 *
 * <p>Per stack: one <b>calibration</b> apply through the proxy with the same latency and pending
 * window but no buckets and no client-side rate limiter, at high parallelism, records every step's
 * own duration ({@link ExecutionListener#finished}); the critical path is the longest path through
 * {@link ExecutionOrder#graph} weighted by those durations. Then one apply per case (parallelism 1,
 * 10, adaptive; limiter on, the CLI default; and parallelism 10 with the limiter off), each on a
 * fresh stack name, destroyed afterwards straight against moto (destroy is not what is measured).
 *
 * <p><b>Bucket bound</b>: EC2 has one token bucket per API action ({@link Ec2Buckets}); an action
 * whose bucket holds {@code burst} tokens refilled at {@code r}/s needs at least
 * max(0, accepted calls − burst) ÷ r seconds; the bound is the largest over the buckets the run
 * used, with the calls the run actually made (throttled attempts take no token). The issue's
 * cruder "mutating calls ÷ 5/s" is shown beside it: it treats every mutating call as drawing from
 * one bucket with no burst, which overstates the bound many times (the buckets are per action and
 * start full: 50 tokens of CreateSubnet are free before the 5/s refill matters).
 */
final class ApplyBench {
    private ApplyBench() {}

    /** One measured case: a parallelism and whether netstack's client-side rate limiter is on. */
    record Case(String name, String label, Parallelism parallelism, RateLimits limits) {}

    /** What the calibration apply measured for one stack. */
    record Calibration(Map<String, Double> stepSeconds, Map<String, String> stepTypes, double wallSeconds, long calls, int parallelism, int runs,
                       Map<String, Map<String, Double>> afterLastCall) {
        /** Each step's shorter duration of the two (and shorter time after each action's last call), the shorter wall time; as many runs as both. */
        Calibration fastest(Calibration o) {
            Map<String, Double> min = new HashMap<>(stepSeconds);
            o.stepSeconds().forEach((k, v) -> min.merge(k, v, Math::min));
            Map<String, String> types = new HashMap<>(stepTypes);
            types.putAll(o.stepTypes());
            // A step/action seen in one calibration only keeps no figure: 0 s after its call is always a bound.
            Map<String, Map<String, Double>> after = new HashMap<>();
            afterLastCall.forEach((k, m) -> {
                Map<String, Double> other = o.afterLastCall().getOrDefault(k, Map.of());
                Map<String, Double> both = new HashMap<>();
                m.forEach((a, v) -> {
                    if (other.containsKey(a)) both.put(a, Math.min(v, other.get(a)));
                });
                after.put(k, Map.copyOf(both));
            });
            return new Calibration(Map.copyOf(min), Map.copyOf(types), Math.min(wallSeconds, o.wallSeconds()), Math.min(calls, o.calls()), parallelism,
                    runs + o.runs(), Map.copyOf(after));
        }
    }

    /**
     * The chained bucket bound: for one bucket and a time T, the calls of that bucket made by steps
     * that cannot start before T (by the critical path) all take a token at or after T; the bucket
     * holds at most {@code burst} tokens then, so the last of them is accepted no earlier than
     * T + (calls − burst) ÷ refill, and the apply cannot end before that plus the shortest time any
     * of those steps still needs after its last call of that bucket and then its longest chain of
     * dependents. The largest over buckets and T.
     */
    record ChainedBound(double seconds, String detail) {}

    /** The longest path through the weighted step graph, and the sum of all step weights (serial work). */
    record CriticalPath(double seconds, List<String> steps, double serialSeconds, int stepCount) {}

    /** The bucket bound and the bucket that sets it, plus the crude figure. */
    record BucketBound(double seconds, String bucket, long acceptedMutating, double crudeSeconds) {}

    /** One row of the table. */
    record Row(String stack, int resources, Case c, double wallSeconds, long calls, long throttled, CriticalPath path, BucketBound bound,
               ChainedBound chained, boolean success, String error) {
        double lowerBound() {
            return Math.max(Math.max(path.seconds(), bound.seconds()), chained.seconds());
        }
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        RateLimits on = RateLimits.awsDefaults();
        CASES.put("p1", new Case("p1", "1", Parallelism.fixed(1), on));
        CASES.put("p10", new Case("p10", "10", Parallelism.fixed(10), on));
        CASES.put("adaptive", new Case("adaptive", "adaptive", Parallelism.adaptive(), on));
        CASES.put("p10-nolimit", new Case("p10-nolimit", "10, limiter **off**", Parallelism.fixed(10), RateLimits.OFF));
    }

    static void run(Bench.Args a) throws Exception {
        URI moto = URI.create(a.require("endpoint"));
        Path md = Path.of(a.get("md", "BENCHMARKS.md"));
        Duration latency = Duration.ofMillis(a.integer("latency-ms", 60)), jitter = Duration.ofMillis(a.integer("jitter-ms", 80));
        Duration pending = Duration.ofSeconds(a.integer("pending-s", 3));
        int calibrationParallelism = a.integer("calibration-parallelism", 32);
        // A step's duration varies from run to run (latency jitter, the waiters' ±20 % poll jitter,
        // moto's queue at parallelism 32): the lower bound takes each step's shortest observed duration.
        int calibrations = a.integer("calibrations", 2);
        List<String> stacks = List.of(a.get("stacks", "three-tier,300").split(","));
        List<Case> cases = new ArrayList<>();
        for (String c : a.get("cases", String.join(",", CASES.keySet())).split(",")) {
            Case k = CASES.get(c.trim());
            if (k == null) throw new IllegalArgumentException("unknown case " + c + "; known: " + CASES.keySet());
            cases.add(k);
        }
        FaultProxy.noDelay();
        // Calibration: AWS's latency and pending states, nothing that limits the rate.
        FaultConfig calibration = FaultConfig.none().withSeed(6).withLatency(latency, jitter).withPendingWindow(pending);
        FaultConfig measured = calibration.withBuckets(Ec2Buckets.defaults());
        String machine = Bench.machine(), started = Bench.now();
        ObjectNode json = Json.object();
        json.put("machine", machine).put("date", started).put("latencyMs", latency.toMillis()).put("jitterMs", jitter.toMillis())
                .put("pendingSeconds", pending.toSeconds());
        ArrayNode jsonRows = json.putArray("rows");
        List<Row> rows = new ArrayList<>();
        StringBuilder notes = new StringBuilder();
        String tag = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        try (FaultProxy proxy = FaultProxy.start(moto, calibration)) {
            for (String which : stacks) {
                String label = which.equals("three-tier") ? "three-tier" : Integer.parseInt(which) + " generated";
                Calibration cal = null;
                for (int i = 0; i < calibrations; i++) {
                    System.err.printf("apply %s: calibration %d at parallelism %d, no buckets, limiter off ...%n", label, i + 1, calibrationParallelism);
                    Path calFile = stackFile(which, "bench-cal" + i + "-" + which + "-" + tag);
                    Calibration next = calibrate(proxy, calibration, moto, calFile, calibrationParallelism);
                    cal = cal == null ? next : cal.fastest(next);
                }
                notes.append(calibrationNote(label, cal));
                for (Case c : cases) {
                    Path f = stackFile(which, "bench-" + c.name() + "-" + which + "-" + tag);
                    System.err.printf("apply %s: parallelism %s ...%n", label, c.label());
                    Row r = measure(proxy, measured, moto, f, label, c, cal);
                    rows.add(r);
                    System.err.printf("apply %s, %s: %s s, %d calls, %d throttled, lower bound %s s (critical path %s, buckets %s, chained %s: %s), ratio %s%n",
                            label, c.label(), fmt(r.wallSeconds(), 1), r.calls(), r.throttled(), fmt(r.lowerBound(), 1), fmt(r.path().seconds(), 1),
                            fmt(r.bound().seconds(), 1), fmt(r.chained().seconds(), 1), r.chained().detail(), fmt(r.wallSeconds() / r.lowerBound(), 2));
                    jsonRows.add(rowJson(r));
                }
                notes.append(pathNote(label, rows.get(rows.size() - 1).path()));
            }
        }
        Bench.writeJson("apply", json);
        String body = "### Apply through the fault proxy\n\n"
                + "Measured " + started + " on " + machine + "; each case is one apply of a fresh stack (in-process `Netstack.apply`, after its plan; "
                + "destroy afterwards, not timed). Proxy: " + latency.toMillis() + " ms + 0–" + jitter.toMillis() + " ms uniform latency per call, "
                + "objects `pending` for " + pending.toSeconds() + " s after creation, EC2's default token buckets (`Ec2Buckets.defaults()`).\n"
                + "Command: `scripts/bench apply` (raw figures: `target/bench/apply.json`).\n\n"
                + table(rows) + "\n" + notes;
        Bench.updateMarkdown(md, "apply", body);
        System.out.println(body);
    }

    /** The stack to apply: {@code three-tier} (stacks/three-tier.json) or a generated one of N resources, under a unique name. */
    static Path stackFile(String which, String name) throws IOException {
        Path out = Path.of("target", "bench", "stacks", name + ".json");
        if (which.equals("three-tier")) {
            ObjectNode o = (ObjectNode) Json.MAPPER.readTree(Path.of("stacks", "three-tier.json").toFile());
            o.remove("$schema"); // relative to stacks/; the copy lives elsewhere
            o.put("stack", name);
            Files.createDirectories(out.getParent());
            io.netstack.testing.StackFiles.copyModules(out.getParent()); // it uses ./modules/vpc.json
            Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            return out;
        }
        return Bench.writeStack(out, name, Integer.parseInt(which), Bench.registeredTypes());
    }

    static Calibration calibrate(FaultProxy proxy, FaultConfig config, URI moto, Path file, int parallelism) {
        Map<String, Double> seconds = new ConcurrentHashMap<>();
        Map<String, String> types = new ConcurrentHashMap<>();
        // The timeline gives each step's time after its last call of each action (for the chained bound).
        StepTimeline timeline = new StepTimeline() {
            @Override
            public void finished(Step step, Duration elapsed) {
                super.finished(step, elapsed);
                seconds.put(step.key(), elapsed.toNanos() / 1e9);
                types.put(step.key(), step.change().type() + " " + step.phase().name().toLowerCase());
            }
        };
        ExecutionListener record = timeline;
        double wall;
        long calls;
        try (Netstack ns = new Netstack(Bench.settings(proxy.endpoint(), List.of(timeline), RateLimits.OFF), timeline, 1.0)) {
            StackFile s = ns.load(file, Map.of());
            proxy.configure(FaultConfig.none()); // the plan is not measured: no latency, no buckets
            Plan plan = ns.plan(s, false);
            proxy.configure(config);
            proxy.resetCounts();
            timeline.start();
            long t0 = System.nanoTime();
            ApplyResult r = ns.apply(s, plan, Parallelism.fixed(parallelism), record, new AtomicBoolean());
            wall = (System.nanoTime() - t0) / 1e9;
            calls = proxy.totalCalls();
            if (!r.success()) throw new IllegalStateException("calibration apply of " + s.name() + " failed: " + errors(r));
        } finally {
            teardown(moto, file);
        }
        return new Calibration(Map.copyOf(seconds), Map.copyOf(types), wall, calls, parallelism, 1, timeline.afterLastCall());
    }

    static Row measure(FaultProxy proxy, FaultConfig config, URI moto, Path file, String label, Case c, Calibration cal) throws IOException {
        // Where the wall time goes, step by step (printed to stderr, written to target/bench/apply-timeline-*.json).
        StepTimeline timeline = new StepTimeline();
        try (Netstack ns = new Netstack(Bench.settings(proxy.endpoint(), List.of(timeline), c.limits()), timeline, 1.0)) {
            StackFile s = ns.load(file, Map.of());
            proxy.configure(FaultConfig.none()); // the plan is not measured: no latency, no buckets
            Plan plan = ns.plan(s, false);
            DependencyGraph<Step> graph = ExecutionOrder.graph(plan.changes(), ns.provider(s.region()));
            CriticalPath path = criticalPath(graph, cal.stepSeconds());
            // Buckets start full for the apply (the plan's reads do not spend them) and counts start at zero.
            proxy.configure(config);
            proxy.resetCounts();
            timeline.start();
            long t0 = System.nanoTime();
            ApplyResult r = ns.apply(s, plan, c.parallelism(), timeline, new AtomicBoolean());
            double wall = (System.nanoTime() - t0) / 1e9;
            FaultProxy.Stats st = proxy.stats();
            BucketBound bound = bucketBound(st, config.buckets());
            ChainedBound chained = chainedBound(graph, cal, timeline.acceptedByStep(), config.buckets());
            System.err.println("apply " + label + " " + c.label() + ": calls by action " + new java.util.TreeMap<>(st.calls()));
            System.err.print(timeline.summary(label + ", parallelism " + c.label(), graph));
            Bench.writeJson("apply-timeline-" + label.replace(' ', '-') + "-" + c.name(), timeline.json(graph));
            return new Row(label, s.resources().size(), c, wall, st.totalCalls(), FaultProxy.Stats.total(st.throttled()), path, bound, chained, r.success(),
                    r.success() ? null : errors(r));
        } finally {
            teardown(moto, file);
        }
    }

    /** Destroy straight against moto (no proxy, no limiter): fast, and not part of any figure. */
    static void teardown(URI moto, Path file) {
        try (Netstack ns = new Netstack(Bench.settings(moto, List.of(), RateLimits.OFF))) {
            Bench.destroy(ns, ns.load(file, Map.of()), PlanBench.SETUP_PARALLELISM);
        }
    }

    /** Longest path through the DAG, each step weighted by its calibration duration. */
    static CriticalPath criticalPath(DependencyGraph<Step> g, Map<String, Double> seconds) {
        Map<Step, Double> finish = new HashMap<>();
        Map<Step, Step> via = new HashMap<>();
        double serial = 0;
        Step last = null;
        for (Step s : g.topologicalOrder()) {
            Double w = seconds.get(s.key());
            if (w == null) {
                System.err.println("apply bench: step " + s.key() + " did not run in the calibration; weighted 0");
                w = 0.0;
            }
            serial += w;
            double start = 0;
            for (Step p : g.prerequisites(s)) {
                if (finish.get(p) > start) {
                    start = finish.get(p);
                    via.put(s, p);
                }
            }
            finish.put(s, start + w);
            if (last == null || finish.get(s) > finish.get(last)) last = s;
        }
        List<String> chain = new ArrayList<>();
        for (Step s = last; s != null; s = via.get(s)) chain.add(s.key() + " " + fmt(seconds.getOrDefault(s.key(), 0.0), 1));
        Collections.reverse(chain);
        return new CriticalPath(last == null ? 0 : finish.get(last), chain, serial, g.nodes().size());
    }

    /**
     * {@link ChainedBound}: release(s) = the earliest start the critical path allows (longest chain of
     * calibrated prerequisites), tail(s) = the longest chain of calibrated dependents after s. For each
     * EC2 bucket and each release time T of a step that used it: n = the bucket's accepted calls made by
     * steps released at or after T; if n > burst, T + (n − burst) ÷ refill + min over those steps of
     * (time after the step's last call of that action, calibrated, + tail). No executor beats it: a step
     * cannot start before its release, AWS's bucket cannot hold more than burst tokens at T nor refill
     * faster, and whichever step makes the last of those calls still has its own rest and its dependents
     * to run — the same model as the critical path (each step takes at least its calibrated time).
     */
    static ChainedBound chainedBound(DependencyGraph<Step> g, Calibration cal, Map<String, Map<String, Long>> accepted, Ec2Buckets buckets) {
        Map<String, Double> w = cal.stepSeconds();
        List<Step> topo = g.topologicalOrder();
        Map<String, Double> release = new HashMap<>(), tail = new HashMap<>();
        for (Step s : topo) {
            double r = 0;
            for (Step p : g.prerequisites(s)) r = Math.max(r, release.get(p.key()) + w.getOrDefault(p.key(), 0.0));
            release.put(s.key(), r);
        }
        for (int i = topo.size() - 1; i >= 0; i--) {
            Step s = topo.get(i);
            double t = 0;
            for (Step d : g.dependents(s)) t = Math.max(t, w.getOrDefault(d.key(), 0.0) + tail.get(d.key()));
            tail.put(s.key(), t);
        }
        // per bucket: {release, calls, after the last call + tail}, with the action for the detail
        Map<String, List<double[]>> uses = new TreeMap<>();
        Map<String, BucketSpec> spec = new HashMap<>();
        accepted.forEach((step, byAction) -> {
            if (!release.containsKey(step)) return;
            // A late-bound update's calls could have gone out in its create, had what it names existed
            // by then (the executor writes a late-bound list whole wherever it can): count them from the
            // create's release, so that the bound holds for any order, not only this run's.
            String create = step.endsWith(":update") ? step.substring(0, step.length() - ":update".length()) + ":create" : step;
            double from = Math.min(release.get(step), release.getOrDefault(create, release.get(step)));
            byAction.forEach((action, n) -> {
                if (!isEc2Action(action)) return;
                Map.Entry<String, BucketSpec> b = buckets.bucketFor(action, true);
                spec.put(b.getKey(), b.getValue());
                double after = cal.afterLastCall().getOrDefault(step, Map.of()).getOrDefault(action, 0.0);
                uses.computeIfAbsent(b.getKey(), k -> new ArrayList<>()).add(new double[] {from, n, after + tail.get(step)});
            });
        });
        double best = 0;
        String detail = "none";
        for (Map.Entry<String, List<double[]>> e : uses.entrySet()) {
            BucketSpec b = spec.get(e.getKey());
            List<double[]> l = e.getValue();
            l.sort((x, y) -> Double.compare(y[0], x[0])); // latest release first: sweep T downwards
            long n = 0;
            double minRest = Double.MAX_VALUE;
            for (int i = 0; i < l.size(); i++) {
                n += (long) l.get(i)[1];
                minRest = Math.min(minRest, l.get(i)[2]);
                double t = l.get(i)[0];
                if (i + 1 < l.size() && l.get(i + 1)[0] == t) continue; // all steps released at t are in
                if (n <= b.capacity()) continue;
                double bound = t + (n - b.capacity()) / b.refillPerSecond() + minRest;
                if (bound > best) {
                    best = bound;
                    detail = e.getKey() + ": " + n + " calls from " + fmt(t, 1) + " s, " + fmt(b.capacity(), 0) + " burst, " + fmt(b.refillPerSecond(), 0)
                            + "/s, then ≥ " + fmt(minRest, 1) + " s";
                }
            }
        }
        return new ChainedBound(best, detail);
    }

    /** max over buckets of max(0, accepted − burst) ÷ refill; accepted = calls the proxy let through. */
    static BucketBound bucketBound(FaultProxy.Stats st, Ec2Buckets buckets) {
        Map<String, Long> accepted = new TreeMap<>();
        Map<String, BucketSpec> spec = new HashMap<>();
        long mutating = 0;
        for (Map.Entry<String, Long> e : st.calls().entrySet()) {
            String action = e.getKey();
            if (!isEc2Action(action)) continue;
            long ok = e.getValue() - st.throttled().getOrDefault(action, 0L);
            Map.Entry<String, BucketSpec> b = buckets.bucketFor(action, true);
            accepted.merge(b.getKey(), ok, Long::sum);
            spec.put(b.getKey(), b.getValue());
            if (!Ec2Buckets.nonMutating(action)) mutating += ok;
        }
        double best = 0;
        String which = "none";
        for (Map.Entry<String, Long> e : accepted.entrySet()) {
            BucketSpec b = spec.get(e.getKey());
            double t = Math.max(0, e.getValue() - b.capacity()) / b.refillPerSecond();
            if (t > best) {
                best = t;
                which = e.getKey() + ": " + e.getValue() + " calls, " + fmt(b.capacity(), 0) + " burst, " + fmt(b.refillPerSecond(), 0) + "/s";
            }
        }
        return new BucketBound(best, which, mutating, mutating / Ec2Buckets.MUTATING.refillPerSecond());
    }

    /** EC2's query-protocol actions (the proxy names JSON and REST calls of other services differently). */
    static boolean isEc2Action(String action) {
        return !action.startsWith("REST ") && !Set.of("DescribeDirectConnectGateways", "DescribeVirtualInterfaces",
                "DescribeDirectConnectGatewayAssociations", "ListDistributions").contains(action);
    }

    static String errors(ApplyResult r) {
        return r.failed().entrySet().stream().limit(3).map(e -> e.getKey().key() + ": " + e.getValue().getMessage()).toList()
                + (r.notStarted().isEmpty() ? "" : ", " + r.notStarted().size() + " steps not started");
    }

    static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| stack | resources | parallelism | apply wall (s) | calls | throttled | critical path (s) | bucket bound (s) | chained bucket bound (s) "
                + "| mutating ÷ 5/s (s) | lower bound (s) | **wall / lower bound** | Σ steps (s) |\n");
        t.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            t.append("| ").append(r.stack()).append(" | ").append(r.resources()).append(" | ").append(r.c().label()).append(" | ")
                    .append(fmt(r.wallSeconds(), 1)).append(r.success() ? "" : " (failed: " + r.error() + ")").append(" | ")
                    .append(r.calls()).append(" | ").append(r.throttled()).append(" | ")
                    .append(fmt(r.path().seconds(), 1)).append(" | ").append(fmt(r.bound().seconds(), 1))
                    .append(r.bound().seconds() > 0 ? " (" + r.bound().bucket() + ")" : "").append(" | ")
                    .append(fmt(r.chained().seconds(), 1)).append(r.chained().seconds() > 0 ? " (" + r.chained().detail() + ")" : "").append(" | ")
                    .append(fmt(r.bound().crudeSeconds(), 1)).append(" | ").append(fmt(r.lowerBound(), 1)).append(" | **")
                    .append(fmt(r.wallSeconds() / r.lowerBound(), 2)).append("** | ").append(fmt(r.path().serialSeconds(), 1)).append(" |\n");
        }
        return t.toString();
    }

    static String calibrationNote(String label, Calibration cal) {
        // Median own duration per type and phase: where a step's time goes (calls vs waiting for a state).
        Map<String, List<Double>> byKind = new TreeMap<>();
        cal.stepSeconds().forEach((k, v) -> byKind.computeIfAbsent(cal.stepTypes().get(k), x -> new ArrayList<>()).add(v));
        StringBuilder b = new StringBuilder("- **" + label + "** calibration (" + cal.runs() + " applies at parallelism " + cal.parallelism()
                + ", no buckets, limiter off; each step's shortest duration): fastest " + fmt(cal.wallSeconds(), 1) + " s, " + cal.calls()
                + " calls. Median step duration by type and phase (steps): ");
        List<String> parts = new ArrayList<>();
        byKind.forEach((k, v) -> parts.add(k + " " + fmt(Bench.median(v), 2) + " s (" + v.size() + ")"));
        return b.append(String.join(", ", parts)).append(".\n").toString();
    }

    static String pathNote(String label, CriticalPath p) {
        return "- **" + label + "** critical path (" + p.stepCount() + " steps, " + fmt(p.seconds(), 1) + " s): " + String.join(" → ", p.steps()) + ".\n";
    }

    static ObjectNode rowJson(Row r) {
        ObjectNode o = Json.object();
        o.put("stack", r.stack()).put("resources", r.resources()).put("case", r.c().name()).put("parallelism", r.c().label())
                .put("limiter", r.c().limits().enabled()).put("wallSeconds", r.wallSeconds()).put("calls", r.calls()).put("throttled", r.throttled())
                .put("criticalPathSeconds", r.path().seconds()).put("bucketBoundSeconds", r.bound().seconds()).put("bucketBoundBy", r.bound().bucket())
                .put("chainedBoundSeconds", r.chained().seconds()).put("chainedBoundBy", r.chained().detail())
                .put("mutatingCalls", r.bound().acceptedMutating()).put("crudeBucketSeconds", r.bound().crudeSeconds())
                .put("lowerBoundSeconds", r.lowerBound()).put("ratio", r.wallSeconds() / r.lowerBound()).put("serialSeconds", r.path().serialSeconds())
                .put("success", r.success());
        if (r.error() != null) o.put("error", r.error());
        ArrayNode chain = o.putArray("criticalPath");
        r.path().steps().forEach(chain::add);
        return o;
    }
}
