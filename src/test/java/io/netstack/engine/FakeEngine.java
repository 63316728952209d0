package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.spi.Progress;
import io.netstack.spi.Sleeper;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import io.netstack.testing.fake.FakeProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Planner + executor wired to a {@link FakeProvider}, with retries and waits scaled down 1000x.
 * One instance per test.
 */
final class FakeEngine {
    static final String STACK = "demo";
    static final String REGION = "eu-west-1";
    static final String FILE = "stack.json";

    final FakeProvider fake = new FakeProvider();
    final List<String> retries = new CopyOnWriteArrayList<>();
    final Progress progress = new Progress() {
        @Override public void waiting(String r, String w, String s, Duration e) {}

        @Override public void retrying(String r, String a, String reason, int attempt, Duration d) {
            retries.add(r + " " + a + " " + reason);
        }
    };
    final EngineContext ctx = EngineContext.of(STACK, REGION, progress, Sleeper.SYSTEM, 0.001);
    Function<String, String> env = name -> null;

    /** A stack file around a {@code "resources"} body (one resource per line, as in the tests). */
    static String text(String resources) {
        return text(resources, "");
    }

    /** ... with extra top-level members ({@code "driftIgnore": [...]}, {@code "tags": {...}}), each followed by a comma. */
    static String text(String resources, String extraTopLevel) {
        return "{\n  \"stack\": \"" + STACK + "\",\n  \"region\": \"" + REGION + "\",\n" + extraTopLevel
                + "  \"resources\": {\n" + resources.stripTrailing() + "\n  }\n}\n";
    }

    static StackFile parse(String text) {
        return StackLoader.parse(FILE, text, Map.of());
    }

    static StackFile stack(String resources) {
        return parse(text(resources));
    }

    Plan plan(StackFile s) {
        return new Planner(fake).plan(s, ctx, false);
    }

    Plan destroyPlan(StackFile s) {
        return new Planner(fake).plan(s, ctx, true);
    }

    ApplyResult apply(Plan p, int parallelism) {
        return apply(p, parallelism, ExecutionListener.NONE, new AtomicBoolean());
    }

    ApplyResult apply(Plan p, int parallelism, ExecutionListener listener, AtomicBoolean stop) {
        return new Executor(fake, parallelism, env).apply(p, ctx, listener, stop);
    }

    ApplyResult apply(Plan p, Parallelism parallelism) {
        return new Executor(fake, parallelism, env).apply(p, ctx, ExecutionListener.NONE, new AtomicBoolean());
    }

    /** Plan and apply, asserting success; returns the applied plan. */
    Plan converge(StackFile s) {
        Plan p = plan(s);
        ApplyResult r = apply(p, Executor.DEFAULT_PARALLELISM);
        assertSuccess(r);
        return p;
    }

    /** Plans again and asserts that nothing is left to do. */
    void assertConverged(StackFile s) {
        Plan again = plan(s);
        assertFalse(again.hasChanges(), () -> "expected no changes, got " + describe(again));
    }

    static void assertSuccess(ApplyResult r) {
        assertTrue(r.success(), () -> "apply failed: failed=" + r.failed() + " notStarted=" + r.notStarted() + " interrupted=" + r.interrupted());
    }

    static Change change(Plan p, String key) {
        List<Change> l = p.changes().stream().filter(c -> c.key().equals(key)).toList();
        assertEquals(1, l.size(), () -> "changes keyed " + key + " in " + describe(p));
        return l.get(0);
    }

    static Map<String, Action> actions(Plan p) {
        return p.changes().stream().collect(Collectors.toMap(Change::key, Change::action));
    }

    static int index(Plan p, String key) {
        for (int i = 0; i < p.changes().size(); i++) if (p.changes().get(i).key().equals(key)) return i;
        throw new AssertionError("no change " + key + " in " + describe(p));
    }

    static String describe(Plan p) {
        return p.changes().stream().map(c -> c.key() + ":" + c.action() + c.reasons() + c.diffs()).collect(Collectors.joining(", "));
    }

    static List<String> keys(List<Step> steps) {
        return steps.stream().map(Step::key).sorted().toList();
    }
}
