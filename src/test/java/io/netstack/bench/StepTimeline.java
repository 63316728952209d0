package io.netstack.bench;

import static io.netstack.bench.Bench.fmt;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.DependencyGraph;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Executor;
import io.netstack.engine.Json;
import io.netstack.engine.Step;
import io.netstack.spi.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Where an apply's wall time goes, step by step (issue 12): when each step became ready (its last
 * prerequisite finished), started (got an executor slot) and finished, and how its own time splits
 * into calls queued in netstack's client-side rate limiter, calls on the wire (request sent to
 * response received, every attempt) and sleeps between a wait's polls. The rest of a step's time is
 * "other": waiting for another step's batched Describe round ({@code DescribeBatch}), the SDK and CPU.
 *
 * <p>It is three hooks at once: an {@link ExecutionListener} (start and end of each step), an SDK
 * {@link ExecutionInterceptor} (time on the wire, each call's send time by action) and a
 * {@link Sleeper} (limiter queueing and wait sleeps: the limiter and the waiter sleep through the
 * session's sleeper; a sleep called from {@code RateLimiter} is queueing, any other a wait). Calls
 * and sleeps are charged to the step whose worker thread made them: the executor names a worker
 * thread after the step it runs ({@link Executor#THREAD_NAME}).
 */
class StepTimeline implements ExecutionListener, ExecutionInterceptor, Sleeper {
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.timeline.sent");
    private static final String PREFIX = Executor.THREAD_NAME + " ";

    /** One step's figures, in nanoseconds; start and end relative to {@link #t0}. */
    static final class Times {
        volatile long start = -1, end = -1;
        final AtomicLong queued = new AtomicLong(), wire = new AtomicLong(), asleep = new AtomicLong(), calls = new AtomicLong();
        /** Per action: attempts AWS accepted (not answered 503/429: those take no token) and when the last was sent. */
        final Map<String, AtomicLong> accepted = new ConcurrentHashMap<>();
        final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    }

    private final Map<String, Times> steps = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> sentByAction = new ConcurrentHashMap<>();
    private volatile long t0 = System.nanoTime();

    /** The apply starts now: every time is measured from here. */
    void start() {
        steps.clear();
        sentByAction.clear();
        t0 = System.nanoTime();
    }

    private Times times(String key) {
        return steps.computeIfAbsent(key, k -> new Times());
    }

    /** The step the current thread runs, or null (the scheduler, the plan, a teardown). */
    private static String currentStep() {
        String n = Thread.currentThread().getName();
        return n.startsWith(PREFIX) ? n.substring(PREFIX.length()) : null;
    }

    @Override
    public void started(Step step) {
        times(step.key()).start = System.nanoTime() - t0;
    }

    @Override
    public void finished(Step step, Duration elapsed) {
        times(step.key()).end = System.nanoTime() - t0;
    }

    @Override
    public void failed(Step step, Duration elapsed, Throwable error) {
        times(step.key()).end = System.nanoTime() - t0;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
        long now = System.nanoTime();
        attrs.putAttribute(SENT, now);
        String op = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        sentByAction.computeIfAbsent(op == null ? "?" : op, k -> new ConcurrentLinkedQueue<>()).add(now - t0);
        String s = currentStep();
        if (s != null) {
            Times t = times(s);
            t.calls.incrementAndGet();
            t.lastSent.merge(op == null ? "?" : op, now - t0, Math::max);
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
        Long sent = attrs.getAttribute(SENT);
        String s = currentStep();
        if (sent != null && s != null) times(s).wire.addAndGet(System.nanoTime() - sent);
        int status = context.httpResponse().statusCode();
        String op = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (s != null && status != 503 && status != 429) times(s).accepted.computeIfAbsent(op == null ? "?" : op, k -> new AtomicLong()).incrementAndGet();
    }

    /** Per step key: per action, the attempts AWS accepted. */
    Map<String, Map<String, Long>> acceptedByStep() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        steps.forEach((k, t) -> {
            Map<String, Long> m = new TreeMap<>();
            t.accepted.forEach((a, n) -> m.put(a, n.get()));
            if (!m.isEmpty()) out.put(k, m);
        });
        return out;
    }

    /** Per step key: per action, seconds from the step's last send of that action to the step's end. */
    Map<String, Map<String, Double>> afterLastCall() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        steps.forEach((k, t) -> {
            if (t.end < 0) return;
            Map<String, Double> m = new TreeMap<>();
            t.lastSent.forEach((a, at) -> m.put(a, Math.max(0, t.end - at) / 1e9));
            if (!m.isEmpty()) out.put(k, m);
        });
        return out;
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        long before = System.nanoTime();
        try {
            Sleeper.SYSTEM.sleep(d);
        } finally {
            String s = currentStep();
            if (s != null) {
                boolean limiter = StackWalker.getInstance().walk(f -> f.anyMatch(x -> x.getClassName().endsWith(".RateLimiter")));
                Times t = times(s);
                (limiter ? t.queued : t.asleep).addAndGet(System.nanoTime() - before);
            }
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    /** One step's row: seconds since the apply started (ready = when its last prerequisite finished). */
    record Row(String key, String kind, double ready, double start, double end, double queued, double wire, double asleep, long calls) {
        double slotWait() {
            return start - ready;
        }

        double other() {
            return Math.max(0, end - start - queued - wire - asleep);
        }
    }

    /** The rows, by start; {@code kinds}: step key → "type phase". */
    List<Row> rows(DependencyGraph<Step> g) {
        List<Row> out = new ArrayList<>();
        for (Step s : g.nodes()) {
            Times t = steps.get(s.key());
            if (t == null || t.start < 0) continue;
            long ready = 0;
            for (Step p : g.prerequisites(s)) {
                Times pt = steps.get(p.key());
                if (pt != null && pt.end > ready) ready = pt.end;
            }
            out.add(new Row(s.key(), s.change().type() + " " + s.phase().name().toLowerCase(), ready / 1e9, t.start / 1e9, t.end / 1e9,
                    t.queued.get() / 1e9, t.wire.get() / 1e9, t.asleep.get() / 1e9, t.calls.get()));
        }
        out.sort(Comparator.comparingDouble(Row::start).thenComparing(Row::key));
        return out;
    }

    /** Per action: calls, first and last send (s since the apply started). */
    Map<String, double[]> actions() {
        Map<String, double[]> out = new TreeMap<>();
        sentByAction.forEach((a, q) -> {
            List<Long> l = new ArrayList<>(q);
            if (l.isEmpty()) return;
            long min = l.stream().mapToLong(Long::longValue).min().orElse(0), max = l.stream().mapToLong(Long::longValue).max().orElse(0);
            out.put(a, new double[] {l.size(), min / 1e9, max / 1e9});
        });
        return out;
    }

    /**
     * A readable summary: per type and phase, how many steps, when the first became ready, started and
     * the last finished, and the summed seconds of slot waits (ready, no slot), limiter queueing, wire,
     * wait sleeps and other; then per action the first and last call.
     */
    String summary(String label, DependencyGraph<Step> g) {
        Map<String, List<Row>> byKind = new TreeMap<>();
        for (Row r : rows(g)) byKind.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(r);
        StringBuilder b = new StringBuilder("timeline " + label + " (s since the apply started; Σ = summed over the kind's steps)\n");
        b.append(String.format("  %-32s %5s %8s %8s %8s %8s | %9s %9s %9s %9s %9s%n", "type phase", "steps", "1st ready", "1st start", "last start",
                "last end", "Σ slot", "Σ limiter", "Σ wire", "Σ asleep", "Σ other"));
        byKind.forEach((k, rs) -> b.append(String.format("  %-32s %5d %8s %8s %8s %8s | %9s %9s %9s %9s %9s%n", k, rs.size(),
                fmt(rs.stream().mapToDouble(Row::ready).min().orElse(0), 1), fmt(rs.stream().mapToDouble(Row::start).min().orElse(0), 1),
                fmt(rs.stream().mapToDouble(Row::start).max().orElse(0), 1), fmt(rs.stream().mapToDouble(Row::end).max().orElse(0), 1),
                fmt(rs.stream().mapToDouble(Row::slotWait).sum(), 1), fmt(rs.stream().mapToDouble(Row::queued).sum(), 1),
                fmt(rs.stream().mapToDouble(Row::wire).sum(), 1), fmt(rs.stream().mapToDouble(Row::asleep).sum(), 1),
                fmt(rs.stream().mapToDouble(Row::other).sum(), 1))));
        b.append("  calls by action: first – last send (s)\n");
        actions().forEach((a, v) -> b.append(String.format("    %-36s %5d  %6s – %6s%n", a, (long) v[0], fmt(v[1], 1), fmt(v[2], 1))));
        return b.toString();
    }

    ObjectNode json(DependencyGraph<Step> g) {
        ObjectNode o = Json.object();
        ArrayNode rows = o.putArray("steps");
        for (Row r : rows(g)) {
            rows.addObject().put("step", r.key()).put("kind", r.kind()).put("ready", r.ready()).put("start", r.start()).put("end", r.end())
                    .put("limiterQueued", r.queued()).put("wire", r.wire()).put("waitAsleep", r.asleep()).put("other", r.other()).put("calls", r.calls());
        }
        ObjectNode acts = o.putObject("actions");
        actions().forEach((a, v) -> acts.putObject(a).put("calls", (long) v[0]).put("firstSent", v[1]).put("lastSent", v[2]));
        return o;
    }
}
