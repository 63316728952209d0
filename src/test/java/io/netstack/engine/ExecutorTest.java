package io.netstack.engine;

import static io.netstack.engine.FakeEngine.STACK;
import static io.netstack.engine.FakeEngine.assertSuccess;
import static io.netstack.engine.FakeEngine.change;
import static io.netstack.engine.FakeEngine.describe;
import static io.netstack.engine.FakeEngine.keys;
import static io.netstack.engine.FakeEngine.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import io.netstack.stack.StackFile;
import io.netstack.testing.fake.FakeProvider.Call;
import io.netstack.testing.fake.FakeProvider.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The executor walking step graphs against the in-memory provider, with latency and faults injected. */
class ExecutorTest {
    final FakeEngine e = new FakeEngine();

    /** {@code count} independent nets n0..n(count-1). */
    static String nets(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "    \"n" + i + "\": {\"type\": \"net\", \"cidr\": \"10." + i + ".0.0/16\"}")
                .collect(Collectors.joining(",\n"));
    }

    static List<String> values(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    // ------------------------------------------------------------------ ordering

    // 100 ms per create: long enough that the six creates made ready by n overlap even on a loaded machine (20 ms once saw two at a time)
    @Test
    void createStartsOnlyAfterItsDependenciesFinished() {
        e.fake.latency(null, Op.CREATE, Duration.ofMillis(100));
        StackFile s = stack(PlannerTest.CHAIN);
        Plan p = e.plan(s);
        assertSuccess(e.apply(p, 10));
        Map<String, List<String>> deps = Map.of(
                "p1", List.of("n"), "p2", List.of("n"), "g", List.of("n"),
                "l1", List.of("p1", "g"), // g: implicit (the gates of the linked part's net)
                "rh-a", List.of("n"), "rh-b", List.of("n"), "rh-c", List.of("n"));
        deps.forEach((id, ds) -> {
            for (String d : ds) {
                Call dep = e.fake.call(Op.CREATE, d), self = e.fake.call(Op.CREATE, id);
                assertTrue(dep.before(self), id + " started before its dependency " + d + " finished: " + e.fake.calls());
            }
        });
        // independent resources did run side by side
        assertTrue(e.fake.maxConcurrent(c -> c.op() == Op.CREATE) >= 3, e.fake.calls().toString());
        e.assertConverged(s);
    }

    @Test
    void deletesRunInReverseDependencyOrder() {
        StackFile s = stack(PlannerTest.CHAIN);
        e.converge(s);
        e.fake.resetCalls();
        e.fake.latency(null, Op.DELETE, Duration.ofMillis(15));
        assertSuccess(e.apply(e.destroyPlan(s), 10));
        String[][] before = {
                {"l1", "p1"}, {"l1", "g"}, {"p1", "n"}, {"p2", "n"}, {"g", "n"},
                {"rh-c", "n"}, {"rh-a", "n"}};
        for (String[] pair : before) {
            assertTrue(e.fake.call(Op.DELETE, pair[0]).before(e.fake.call(Op.DELETE, pair[1])),
                    pair[0] + " must be deleted before " + pair[1] + ": " + e.fake.calls());
        }
        // late-bound references (rh-a → rh-b → rh-c) are detached before their targets go,
        // so the deletes themselves need no order among each other
        for (String[] pair : new String[][] {{"rh-a", "rh-b"}, {"rh-b", "rh-c"}}) {
            assertTrue(e.fake.call(Op.UPDATE, pair[0]).before(e.fake.call(Op.DELETE, pair[1])),
                    pair[0] + " must drop its reference before " + pair[1] + " is deleted: " + e.fake.calls());
        }
        // the order was right first time: nothing had to be rescued by DependencyViolation retries
        assertTrue(e.retries.stream().noneMatch(r -> r.contains("DEPENDENCY_VIOLATION")), e.retries.toString());
        assertTrue(e.fake.objects().isEmpty(), e.fake.objects().toString());
    }

    @Test
    void replaceDeletesThenCreatesAndUpdatesDependentsWithTheNewId() {
        StackFile s = stack(PlannerTest.BASE);
        e.converge(s);
        String oldNet = e.fake.awsId(STACK, "n"), oldPart = e.fake.awsId(STACK, "p1"), oldGate = e.fake.awsId(STACK, "g");
        e.fake.resetCalls();
        StackFile changed = stack(PlannerTest.BASE.replace("10.0.0.0/16", "10.1.0.0/16"));
        Plan p = e.plan(changed);
        assertSuccess(e.apply(p, 10));

        Call delNet = e.fake.call(Op.DELETE, "n"), createNet = e.fake.call(Op.CREATE, "n");
        assertEquals(oldNet, delNet.awsId());
        assertTrue(delNet.before(createNet), "replace = delete, then create: " + e.fake.calls());
        assertTrue(e.fake.call(Op.DELETE, "p1").before(delNet));
        assertTrue(e.fake.call(Op.DELETE, "g").before(delNet));
        assertTrue(createNet.before(e.fake.call(Op.CREATE, "p1")));
        Call updLink = e.fake.call(Op.UPDATE, "l1");
        assertTrue(e.fake.call(Op.CREATE, "p1").before(updLink));
        assertTrue(e.fake.call(Op.CREATE, "g").before(updLink), "implicit dependency on the new gate");
        assertEquals(Set.of("target"), updLink.changed());

        String newNet = e.fake.awsId(STACK, "n"), newPart = e.fake.awsId(STACK, "p1");
        assertNotEquals(oldNet, newNet);
        assertEquals("10.1.0.0/16", e.fake.the(STACK, "n").text("cidr"));
        assertEquals(newNet, e.fake.the(STACK, "p1").text("net"));
        assertEquals(newNet, e.fake.the(STACK, "g").text("net"));
        assertEquals(newPart, e.fake.the(STACK, "l1").text("target"));
        for (String gone : List.of(oldNet, oldPart, oldGate)) assertTrue(e.fake.object(gone).isEmpty(), gone);
        assertEquals(0, e.fake.count("link", Op.DELETE) + e.fake.count("link", Op.CREATE), "the link is updated in place");
        e.assertConverged(changed);
    }

    /**
     * An attachment updated in place to the replacement of its net: the old net cannot be deleted
     * while attached (like a VPC with its internet gateway on AWS), and the new one exists only
     * after the old one is gone, so the attachment lets go of the old net first (DETACH).
     */
    @Test
    void anInPlaceReferenceToAReplacedObjectIsDetachedBeforeTheDelete() {
        String body = """
                "n": {"type": "net", "cidr": "10.0.0.0/16"},
                "a": {"type": "attachment", "net": "${n}"}
            """;
        e.converge(stack(body));
        String oldNet = e.fake.awsId(STACK, "n"), att = e.fake.awsId(STACK, "a");
        e.fake.resetCalls();
        StackFile changed = stack(body.replace("10.0.0.0/16", "10.1.0.0/16"));
        Plan p = e.plan(changed);
        assertEquals(Action.REPLACE, change(p, "n").action());
        assertEquals(Action.UPDATE, change(p, "a").action());
        assertSuccess(e.apply(p, 10));
        List<Call> updates = e.fake.calls("attachment", Op.UPDATE);
        assertEquals(2, updates.size(), e.fake.calls().toString());
        Call delNet = e.fake.call(Op.DELETE, "n"), createNet = e.fake.call(Op.CREATE, "n");
        assertTrue(updates.get(0).before(delNet), "detached before the old net is deleted: " + e.fake.calls());
        assertTrue(createNet.before(updates.get(1)), "attached to the new net once it exists: " + e.fake.calls());
        assertEquals(oldNet, delNet.awsId());
        assertEquals(att, e.fake.awsId(STACK, "a"), "updated in place, not replaced");
        assertEquals(e.fake.awsId(STACK, "n"), e.fake.the(STACK, "a").text("net"));
        e.assertConverged(changed);
    }

    @Test
    void updateDroppingTheLastReferenceRunsBeforeTheDeleteAndCreatesFollowDeletesOfTheirType() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p1": {"type": "part", "net": "${n}"},
                    "p2": {"type": "part", "net": "${n}"},
                    "l":  {"type": "link", "target": "${p1}"}
                """;
        e.converge(stack(s));
        e.fake.resetCalls();
        String next = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p2": {"type": "part", "net": "${n}"},
                    "p3": {"type": "part", "net": "${n}"},
                    "l":  {"type": "link", "target": "${p2}"}
                """;
        Plan p = e.plan(stack(next));
        assertEquals(Action.DELETE, change(p, "p1").action());
        assertEquals(Action.UPDATE, change(p, "l").action());
        assertEquals(Action.CREATE, change(p, "p3").action());
        assertSuccess(e.apply(p, 10));
        assertTrue(e.fake.call(Op.UPDATE, "l").before(e.fake.call(Op.DELETE, "p1")), e.fake.calls().toString());
        assertTrue(e.fake.call(Op.DELETE, "p1").before(e.fake.call(Op.CREATE, "p3")), e.fake.calls().toString());
        assertEquals(e.fake.awsId(STACK, "p2"), e.fake.the(STACK, "l").text("target"));
        e.assertConverged(stack(next));
    }

    // ------------------------------------------------------------------ parallelism

    @Test
    void parallelismBoundIsHonoured() {
        e.fake.rendezvous("net", Op.CREATE, 3).latency("net", Op.CREATE, Duration.ofMillis(30));
        assertSuccess(e.apply(e.plan(stack(nets(8))), 3));
        assertEquals(8, e.fake.count("net", Op.CREATE));
        assertEquals(3, e.fake.maxConcurrent(c -> c.op() == Op.CREATE), e.fake.calls().toString());
        assertEquals(3, e.fake.maxInFlight());
    }

    @Test
    void defaultParallelismIsTen() {
        e.fake.rendezvous("net", Op.CREATE, 10).latency("net", Op.CREATE, Duration.ofMillis(30));
        assertSuccess(e.apply(e.plan(stack(nets(12))), Executor.DEFAULT_PARALLELISM));
        assertEquals(10, e.fake.maxConcurrent(c -> c.op() == Op.CREATE), e.fake.calls().toString());
    }

    @Test
    void parallelismOneIsStrictlySequential() {
        e.fake.latency("net", Op.CREATE, Duration.ofMillis(10));
        assertSuccess(e.apply(e.plan(stack(nets(4))), 1));
        List<Call> calls = e.fake.calls("net", Op.CREATE);
        assertEquals(4, calls.size());
        for (int i = 1; i < calls.size(); i++) assertTrue(calls.get(i - 1).before(calls.get(i)), calls.toString());
        assertEquals(1, e.fake.maxInFlight());
    }

    @Test
    void theLongestChainStartsFirst() {
        String chain = """
                "a":  {"type": "net", "cidr": "10.0.0.0/16"},
                "z":  {"type": "net", "cidr": "10.1.0.0/16"},
                "zp": {"type": "part", "net": "${z}"},
                "zl": {"type": "link", "target": "${zp}"}
            """;
        assertSuccess(e.apply(e.plan(stack(chain)), 1));
        List<String> order = e.fake.calls().stream().filter(c -> c.op() == Op.CREATE).map(Call::id).toList();
        assertEquals(List.of("z", "zp", "a", "zl"), order, "by height (z 2, zp 1, a and zl 0), then key: the chain starts before a though a sorts first");
    }

    @Test
    void parallelismBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Executor(e.fake, 0));
        assertThrows(IllegalArgumentException.class, () -> Parallelism.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Parallelism.parse("many"));
        assertEquals(Parallelism.fixed(7), Parallelism.parse("7"));
        assertInstanceOf(Parallelism.Adaptive.class, Parallelism.parse("Adaptive"));
    }

    @Test
    void adaptiveParallelismGrowsPastItsStartWhileNothingIsThrottled() {
        e.fake.latency("net", Op.CREATE, Duration.ofMillis(40));
        assertSuccess(e.apply(e.plan(stack(nets(60))), Parallelism.adaptive()));
        assertEquals(60, e.fake.count("net", Op.CREATE));
        int max = e.fake.maxInFlight();
        assertTrue(max > Parallelism.ADAPTIVE_START && max <= Parallelism.ADAPTIVE_MAX, "in flight at most: " + max);
    }

    @Test
    void adaptiveParallelismRunsMoreWhileChangesWaitForPendingObjects() {
        // every create then waits for its object, asleep in the Waiter: those do not count
        // (counting them, the limit would be 8 for the first 2 s, then 16, then at most ~40)
        e.fake.type("net").waitAfterCreate(Duration.ofSeconds(2));
        assertSuccess(e.apply(e.plan(stack(nets(60))), Parallelism.adaptive()));
        assertTrue(e.fake.maxInFlight() >= 50, "in flight at most: " + e.fake.maxInFlight());
    }

    @Test
    void adaptiveParallelismStaysLowWhileEveryCallIsThrottled() {
        java.util.concurrent.atomic.AtomicLong throttles = new java.util.concurrent.atomic.AtomicLong();
        // every create is throttled once: the limit halves (at most once a second) and never grows
        e.fake.pressure(new io.netstack.spi.Pressure() {
            @Override public long throttles() { return throttles.get(); }
            @Override public int waitingForRate() { return 0; }
        });
        e.fake.latency("net", Op.CREATE, Duration.ofMillis(40));
        ExecutionListener throttleEach = new ExecutionListener() {
            @Override public void started(Step step) { throttles.incrementAndGet(); }
        };
        ApplyResult r = new Executor(e.fake, Parallelism.adaptive(), e.env).apply(e.plan(stack(nets(30))), e.ctx, throttleEach, new AtomicBoolean());
        assertSuccess(r);
        assertTrue(e.fake.maxInFlight() <= Parallelism.ADAPTIVE_START, "never above its start: " + e.fake.maxInFlight());
    }

    @Test
    void adaptiveControllerIncreasesByOneHalvesOnThrottlesAndLetsRateLimitedCallsWaitOutsideTheLimit() {
        long[] throttles = {0};
        int[] waiting = {0};
        int[] polling = {0};
        long[] now = {0};
        Parallelism.Controller c = new Parallelism.AdaptiveController(new Parallelism.Adaptive(8, 20), new io.netstack.spi.Pressure() {
            @Override public long throttles() { return throttles[0]; }
            @Override public int waitingForRate() { return waiting[0]; }
            @Override public int waitingForState() { return polling[0]; }
        }, () -> now[0]);
        assertEquals(8, c.limit());
        for (int i = 0; i < 4; i++) c.finished();
        assertEquals(12, c.limit());
        throttles[0] = 3;
        assertEquals(6, c.limit(), "halved once for a burst of throttles");
        now[0] += 500_000_000L;
        throttles[0] = 5;
        assertEquals(6, c.limit(), "throttles within a second of the last are the same congestion");
        c.finished();
        assertEquals(6, c.limit(), "no growth within a second of a throttle");
        now[0] += Parallelism.ADAPTIVE_BACKOFF_NANOS;
        c.finished();
        assertEquals(7, c.limit(), "grows again after a quiet second");
        throttles[0] = 6;
        assertEquals(3, c.limit(), "a new throttle after a quiet second halves again");
        waiting[0] = 4;
        assertEquals(7, c.limit(), "steps queued in the rate limiter do not count");
        polling[0] = 2;
        assertEquals(9, c.limit(), "nor do steps asleep between polls of a pending object");
        polling[0] = 0;
        waiting[0] = 40;
        assertEquals(43, c.limit(), "parked steps come on top of the target, not under the cap");
        now[0] += Parallelism.ADAPTIVE_BACKOFF_NANOS;
        for (int i = 0; i < 50; i++) c.finished();
        assertEquals(60, c.limit(), "the target is capped, the parked steps are not");
        waiting[0] = 0;
        assertEquals(20, c.limit());
        waiting[0] = 10_000;
        polling[0] = 10_000;
        assertEquals(20 + Parallelism.ADAPTIVE_PARKED_MAX, c.limit(), "parked steps are bounded by the threads");
        assertEquals(20 + Parallelism.ADAPTIVE_PARKED_MAX, new Parallelism.Adaptive(8, 20).ceiling());
        waiting[0] = 0;
        polling[0] = 0;
        for (int i = 0; i < 10; i++) {
            throttles[0]++;
            now[0] += Parallelism.ADAPTIVE_BACKOFF_NANOS;
            c.limit();
        }
        assertEquals(1, c.limit(), "never below one");
    }

    // ------------------------------------------------------------------ failures

    static final String FAN = """
                "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                "p1": {"type": "part", "net": "${n}"},
                "p2": {"type": "part", "net": "${n}"},
                "p3": {"type": "part", "net": "${n}"},
                "l1": {"type": "link", "target": "${p1}"},
                "l2": {"type": "link", "target": "${p2}"},
                "l3": {"type": "link", "target": "${p3}"}
            """;

    /** p1, p2, p3 start together; p1 fails at once while p2 and p3 are still being created. */
    private ApplyResult failFirstPart() {
        e.fake.rendezvous("part", Op.CREATE, 3)
                .latency("part", Op.CREATE, Duration.ofMillis(200))
                .latency("part", Op.CREATE, "p1", Duration.ZERO)
                .fail("part", Op.CREATE, "p1", ErrorCategory.CONFLICT, 1);
        return e.apply(e.plan(stack(FAN)), 10);
    }

    @Test
    void failureStopsNewWorkLetsInFlightFinishAndReportsWhatWasDone() {
        ApplyResult r = failFirstPart();
        assertFalse(r.success());
        assertFalse(r.interrupted());
        assertEquals(List.of("p1:create"), keys(new ArrayList<>(r.failed().keySet())));
        Throwable err = r.failed().values().iterator().next();
        AwsFailure f = assertInstanceOf(AwsFailure.class, err);
        assertEquals(ErrorCategory.CONFLICT, f.category());
        assertEquals("p1", f.resource());
        assertEquals("CreatePart", f.action());
        assertTrue(f.describe().startsWith("p1: CreatePart failed: Fake.CONFLICT: "), f.describe());
        assertEquals(List.of("n:create", "p2:create", "p3:create"), keys(r.done()));
        assertEquals(List.of("l1:create", "l2:create", "l3:create"), keys(r.notStarted()));

        Call failed = e.fake.call(Op.CREATE, "p1");
        assertTrue(failed.failed());
        for (String inFlight : List.of("p2", "p3")) {
            Call c = e.fake.call(Op.CREATE, inFlight);
            assertTrue(c.startSeq() < failed.endSeq() && c.endSeq() > failed.endSeq(), inFlight + " was in flight at the failure: " + e.fake.calls());
            assertFalse(c.failed());
        }
        assertEquals(0, e.fake.count("link", Op.CREATE), "nothing starts after a failure");
        assertTrue(e.fake.owned(STACK, "p1").isEmpty());
        assertEquals(Set.of("n", "p2", "p3"), r.resources().keySet(), "resources: what exists after the run");
    }

    @Test
    void rerunAfterFailureOnlyDoesWhatWasLeft() {
        assertFalse(failFirstPart().success());
        e.fake.resetCalls();
        StackFile s = stack(FAN);
        Plan second = e.plan(s);
        assertEquals(Map.of("n", Action.NOOP, "p1", Action.CREATE, "p2", Action.NOOP, "p3", Action.NOOP,
                "l1", Action.CREATE, "l2", Action.CREATE, "l3", Action.CREATE), FakeEngine.actions(second), describe(second));
        ApplyResult r = e.apply(second, 10);
        assertSuccess(r);
        assertEquals(List.of("l1:create", "l2:create", "l3:create", "p1:create"), keys(r.done()));
        assertEquals(Set.of("p1", "l1", "l2", "l3"), e.fake.calls(c -> c.op() == Op.CREATE).stream().map(Call::id).collect(Collectors.toSet()));
        assertEquals(0, e.fake.count(Op.UPDATE) + e.fake.count(Op.DELETE));
        for (String id : List.of("n", "p1", "p2", "p3", "l1", "l2", "l3")) assertEquals(1, e.fake.owned(STACK, id).size(), id);
        e.assertConverged(s);
    }

    @Test
    void nthCreateOfATypeFails() {
        e.fake.failNth("net", Op.CREATE, 2, ErrorCategory.ACCESS_DENIED);
        ApplyResult r = e.apply(e.plan(stack(nets(3))), 1);
        // parallelism 1 runs ready steps in key order: n0, n1, n2
        assertEquals(List.of("n0:create"), keys(r.done()));
        assertEquals(List.of("n1:create"), keys(new ArrayList<>(r.failed().keySet())));
        assertEquals(ErrorCategory.ACCESS_DENIED, ((AwsFailure) r.failed().values().iterator().next()).category());
        assertEquals(List.of("n2:create"), keys(r.notStarted()));
        assertEquals(2, e.fake.attempts("net", Op.CREATE), "access denied is not retried");
    }

    @Test
    void throttlingAndEventualConsistencyAreRetried() {
        e.fake.fail("net", Op.CREATE, "n", ErrorCategory.THROTTLED, 2).notFoundAfterCreate("net", 3);
        StackFile s = stack(PlannerTest.BASE);
        assertSuccess(e.apply(e.plan(s), 10));
        assertEquals(3, e.fake.attempts("net", Op.CREATE));
        assertEquals(1, e.fake.owned(STACK, "n").size(), "a retried create makes one object");
        assertEquals(2, e.retries.stream().filter(x -> x.startsWith("n CreateNet Fake.THROTTLED")).count(), e.retries.toString());
        assertTrue(e.retries.stream().anyMatch(x -> x.contains("Fake.NOT_FOUND")), e.retries.toString());
        e.assertConverged(s);
    }

    @Test
    void dependentCreateRetriesNotFoundOfAJustCreatedObject() {
        e.fake.notFoundAsReferenceAfterCreate("net", 2);
        StackFile s = stack(PlannerTest.BASE);
        assertSuccess(e.apply(e.plan(s), 1));
        // parallelism 1, key order: g is created first and hits both NOT_FOUNDs, p1 none
        assertEquals(3, e.fake.attempts("gate", Op.CREATE));
        assertEquals(2, e.retries.stream().filter(x -> x.startsWith("g CreateGate Fake.NOT_FOUND")).count(), e.retries.toString());
        assertEquals(1, e.fake.owned(STACK, "g").size());
        e.assertConverged(s);
    }

    @Test
    void rerunAfterAFailedLateBoundFollowUpUpdateAddsTheReferences() {
        e.fake.fail("rule-holder", Op.UPDATE, "rh-a", ErrorCategory.CONFLICT, 1);
        StackFile s = stack(MUTUAL);
        // parallelism 1 runs in key order: rh-a is created without its peer, rh-b with it
        ApplyResult r = e.apply(e.plan(s), 1);
        assertEquals(List.of("rh-a:update"), keys(new ArrayList<>(r.failed().keySet())));
        assertEquals(List.of(), values(e.fake.call(Op.CREATE, "rh-a").spec().properties().get("peers")));
        Plan again = e.plan(s);
        Change a = change(again, "rh-a");
        assertEquals(Action.UPDATE, a.action(), describe(again));
        assertEquals(1, a.diffs().size(), a.diffs().toString());
        PropertyDiff d = a.diffs().get(0);
        assertTrue(d.element() && d.before() == null && d.after().asText().equals("${rh-b}"), d.toString());
        assertSuccess(e.apply(again, 10));
        assertEquals(List.of(e.fake.awsId(STACK, "rh-b")), values(e.fake.the(STACK, "rh-a").props().get("peers")));
        e.assertConverged(s);
    }

    @Test
    void objectCreatedByAFailedStepIsAdoptedByTheNextRun() {
        e.fake.failAfterCreate("part", "p1", ErrorCategory.FAILED_STATE);
        StackFile s = stack(PlannerTest.BASE);
        ApplyResult r = e.apply(e.plan(s), 10);
        assertEquals(List.of("p1:create"), keys(new ArrayList<>(r.failed().keySet())));
        assertEquals(List.of("l1:create"), keys(r.notStarted()));
        String made = e.fake.awsId(STACK, "p1");

        Plan again = e.plan(s);
        assertEquals(Action.NOOP, change(again, "p1").action(), "the tagged object is found and adopted: " + describe(again));
        assertEquals(made, change(again, "p1").awsId());
        assertSuccess(e.apply(again, 10));
        assertEquals(List.of(made), e.fake.owned(STACK, "p1").stream().map(o -> o.awsId).toList());
        assertEquals(made, e.fake.the(STACK, "l1").text("target"));
        e.assertConverged(s);
    }

    @Test
    void updateOfAnObjectThatVanishedFailsInsteadOfRecreating() {
        StackFile s = stack(PlannerTest.BASE);
        e.converge(s);
        Plan p = e.plan(stack(PlannerTest.BASE.replace("\"label\": \"one\"", "\"label\": \"two\"")));
        assertEquals(Action.UPDATE, change(p, "p1").action());
        e.fake.remove(e.fake.awsId(STACK, "p1"));
        e.fake.resetCalls();
        ApplyResult r = e.apply(p, 10);
        assertEquals(List.of("p1:update"), keys(new ArrayList<>(r.failed().keySet())));
        assertEquals(ErrorCategory.NOT_FOUND, ((AwsFailure) r.failed().get(r.failed().keySet().iterator().next())).category());
        assertEquals(0, e.fake.count(Op.CREATE));
        assertEquals(Action.CREATE, change(e.plan(s), "p1").action(), "the next plan recreates it");
    }

    @Test
    void stopFlagLetsInFlightFinishAndStartsNothingNew() {
        e.fake.rendezvous("net", Op.CREATE, 3)
                .latency("net", Op.CREATE, Duration.ofMillis(200)).latency("net", Op.CREATE, "a", Duration.ZERO);
        StackFile s = stack("""
                    "a":  {"type": "net", "cidr": "10.1.0.0/16"},
                    "b":  {"type": "net", "cidr": "10.2.0.0/16"},
                    "c":  {"type": "net", "cidr": "10.3.0.0/16"},
                    "pa": {"type": "part", "net": "${a}"},
                    "pb": {"type": "part", "net": "${b}"},
                    "pc": {"type": "part", "net": "${c}"}
                """);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> started = new CopyOnWriteArrayList<>();
        ExecutionListener listener = new ExecutionListener() {
            @Override public void started(Step step) {
                started.add(step.key());
            }

            @Override public void finished(Step step, Duration elapsed) {
                if (step.key().equals("a:create")) stop.set(true); // e.g. SIGINT
            }
        };
        ApplyResult r = e.apply(e.plan(s), 10, listener, stop);
        assertTrue(r.interrupted());
        assertFalse(r.success());
        assertTrue(r.failed().isEmpty(), r.failed().toString());
        assertEquals(List.of("a:create", "b:create", "c:create"), keys(r.done()));
        assertEquals(List.of("pa:create", "pb:create", "pc:create"), keys(r.notStarted()));
        assertEquals(Set.of("a:create", "b:create", "c:create"), Set.copyOf(started));
        assertEquals(0, e.fake.count("part", Op.CREATE));
        Call a = e.fake.call(Op.CREATE, "a");
        for (String id : List.of("b", "c")) assertTrue(e.fake.call(Op.CREATE, id).endSeq() > a.endSeq(), id + " was in flight and finished");
    }

    @Test
    void stopFlagSetBeforehandStartsNothing() {
        ApplyResult r = e.apply(e.plan(stack(nets(2))), 10, ExecutionListener.NONE, new AtomicBoolean(true));
        assertTrue(r.interrupted());
        assertTrue(r.done().isEmpty());
        assertEquals(List.of("n0:create", "n1:create"), keys(r.notStarted()));
        assertEquals(0, e.fake.count(Op.CREATE));
    }

    @Test
    void listenerSeesEveryStepStartAndFinish() {
        List<String> events = new CopyOnWriteArrayList<>();
        ExecutionListener l = new ExecutionListener() {
            @Override public void started(Step s) { events.add("start " + s.key()); }
            @Override public void finished(Step s, Duration d) { events.add("end " + s.key()); }
            @Override public void failed(Step s, Duration d, Throwable t) { events.add("fail " + s.key()); }
        };
        e.apply(e.plan(stack(PlannerTest.BASE)), 10, l, new AtomicBoolean());
        for (String k : List.of("n:create", "p1:create", "g:create", "l1:create")) {
            assertTrue(events.indexOf("start " + k) >= 0 && events.indexOf("start " + k) < events.indexOf("end " + k), events.toString());
        }
        assertTrue(events.indexOf("end n:create") < events.indexOf("start p1:create"), events.toString());
        assertEquals(8, events.size(), events.toString());
    }

    // ------------------------------------------------------------------ late-bound references

    static final String MUTUAL = """
                "n":    {"type": "net", "cidr": "10.0.0.0/16"},
                "rh-a": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-b}"]},
                "rh-b": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-a}"]}
            """;

    @Test
    void mutuallyReferencingLateBoundResourcesAreCreatedThenLinked() {
        e.fake.rendezvous("rule-holder", Op.CREATE, 2); // both specs are made before either object exists
        StackFile s = stack(MUTUAL);
        ApplyResult r = e.apply(e.plan(s), 10);
        assertSuccess(r);
        Call ca = e.fake.call(Op.CREATE, "rh-a"), cb = e.fake.call(Op.CREATE, "rh-b");
        assertTrue(ca.overlaps(cb), "neither create waits for the other: " + e.fake.calls());
        assertEquals(List.of(), values(ca.spec().properties().get("peers")), "created without the not-yet-existing peer");
        assertEquals(List.of(), values(cb.spec().properties().get("peers")));
        String a = e.fake.awsId(STACK, "rh-a"), b = e.fake.awsId(STACK, "rh-b");
        for (String id : List.of("rh-a", "rh-b")) {
            Call u = e.fake.call(Op.UPDATE, id);
            assertTrue(ca.before(u) && cb.before(u), "follow-up update after both creates: " + e.fake.calls());
            assertTrue(u.changed().contains("peers"), u.changed().toString());
        }
        assertEquals(List.of(b), values(e.fake.the(STACK, "rh-a").props().get("peers")));
        assertEquals(List.of(a), values(e.fake.the(STACK, "rh-b").props().get("peers")));
        assertTrue(r.done().stream().anyMatch(st -> st.key().equals("rh-a:update")));
        e.assertConverged(s);
    }

    @Test
    void mutuallyReferencingLateBoundResourcesConvergeSequentially() {
        StackFile s = stack(MUTUAL);
        assertSuccess(e.apply(e.plan(s), 1));
        assertEquals(List.of(e.fake.awsId(STACK, "rh-b")), values(e.fake.the(STACK, "rh-a").props().get("peers")));
        assertEquals(List.of(e.fake.awsId(STACK, "rh-a")), values(e.fake.the(STACK, "rh-b").props().get("peers")));
        e.assertConverged(s);
    }

    @Test
    void lateBoundReferenceToAnExistingResourceGoesIntoTheCreate() {
        String s1 = """
                    "n":    {"type": "net", "cidr": "10.0.0.0/16"},
                    "rh-c": {"type": "rule-holder", "net": "${n}"}
                """;
        e.converge(stack(s1));
        e.fake.resetCalls();
        String s2 = s1.stripTrailing() + ",\n    \"rh-d\": {\"type\": \"rule-holder\", \"net\": \"${n}\", \"peers\": [\"${rh-c}\"]}\n";
        assertSuccess(e.apply(e.plan(stack(s2)), 10));
        assertEquals(List.of(e.fake.awsId(STACK, "rh-c")), values(e.fake.call(Op.CREATE, "rh-d").spec().properties().get("peers")));
        assertEquals(0, e.fake.count(Op.UPDATE), "no follow-up update is needed");
        e.assertConverged(stack(s2));
    }

    @Test
    void aLateBoundListWithOneMissingElementIsWrittenWholeByTheFollowUpUpdate() {
        String s1 = """
                    "n":    {"type": "net", "cidr": "10.0.0.0/16"},
                    "rh-c": {"type": "rule-holder", "net": "${n}"}
                """;
        e.converge(stack(s1));
        e.fake.resetCalls();
        // rh-e names rh-c (exists) and rh-f (created in this apply, and naming rh-e back)
        String s2 = s1.stripTrailing() + """
                ,
                    "rh-e": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-c}", "${rh-f}"]},
                    "rh-f": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-e}"]}
                """;
        e.fake.rendezvous("rule-holder", Op.CREATE, 2);
        assertSuccess(e.apply(e.plan(stack(s2)), 10));
        assertEquals(List.of(), values(e.fake.call(Op.CREATE, "rh-e").spec().properties().get("peers")),
                "the list is not written in two parts: " + e.fake.calls());
        Call u = e.fake.call(Op.UPDATE, "rh-e");
        assertEquals(List.of(e.fake.awsId(STACK, "rh-c"), e.fake.awsId(STACK, "rh-f")), values(u.spec().properties().get("peers")));
        e.assertConverged(stack(s2));
    }

    @Test
    void mutuallyReferencingLateBoundResourcesCanBeDestroyed() {
        e.fake.deleteTimeout(Duration.ofMillis(500));
        StackFile s = stack(MUTUAL);
        e.converge(s);
        ApplyResult r = e.apply(e.destroyPlan(s), 10);
        assertSuccess(r);
        assertTrue(e.fake.objects().isEmpty(), e.fake.objects().toString());
    }

    @Test
    void replacingALateBoundTargetUpdatesItsReferrers() {
        e.fake.deleteTimeout(Duration.ofMillis(500));
        // rh-z sorts after rh-b, so the planner sees the replacement first (see PlannerTest for the other order)
        String s = """
                    "n":    {"type": "net", "cidr": "10.0.0.0/16"},
                    "rh-z": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-b}"]},
                    "rh-b": {"type": "rule-holder", "net": "${n}", "name": "one"}
                """;
        e.converge(stack(s));
        String changed = s.replace("\"one\"", "\"two\"");
        Plan p = e.plan(stack(changed));
        assertEquals(Action.REPLACE, change(p, "rh-b").action(), describe(p));
        assertEquals(Action.UPDATE, change(p, "rh-z").action(), describe(p));
        assertSuccess(e.apply(p, 10));
        assertEquals(List.of(e.fake.awsId(STACK, "rh-b")), values(e.fake.the(STACK, "rh-z").props().get("peers")));
        e.assertConverged(stack(changed));
    }

    // ------------------------------------------------------------------ values resolved at execution

    @Test
    void attributeReferencesAreResolvedAtExecution() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":  {"type": "part", "net": "${n}", "label": "${n.arn}"},
                    "q":  {"type": "part", "net": "${n}", "label": "${p.address}"}
                """;
        assertSuccess(e.apply(e.plan(stack(s)), 10));
        String n = e.fake.awsId(STACK, "n");
        assertEquals("arn:fake:net/" + n, e.fake.call(Op.CREATE, "p").spec().text("label"));
        assertEquals("arn:fake:net/" + n, e.fake.the(STACK, "p").text("label"));
        assertEquals(e.fake.the(STACK, "p").attributes().get("address"), e.fake.the(STACK, "q").text("label"));
        assertTrue(e.fake.call(Op.CREATE, "p").before(e.fake.call(Op.CREATE, "q")), "an attribute reference is a dependency");
        e.assertConverged(stack(s));
    }

    @Test
    void environmentVariablesAreResolvedInWriteOnlyPropertiesOnly() {
        Map<String, String> vars = Map.of("PART_SECRET", "s3cr3t");
        List<String> asked = new CopyOnWriteArrayList<>();
        e.env = name -> {
            asked.add(name);
            return vars.get(name);
        };
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":  {"type": "part", "net": "${n}", "secret": "${env.PART_SECRET}"}
                """;
        Plan plan = e.plan(stack(s));
        assertFalse(PlanJson.render(plan).toString().contains("s3cr3t"));
        assertSuccess(e.apply(plan, 10));
        assertEquals("s3cr3t", e.fake.call(Op.CREATE, "p").spec().text("secret"));
        assertEquals("s3cr3t", e.fake.the(STACK, "p").secrets().get("secret"));
        assertEquals(List.of("PART_SECRET"), asked);
        assertFalse(e.fake.the(STACK, "p").props().has("secret"), "write-only values are never read back");
        e.assertConverged(stack(s));
    }

    @Test
    void environmentVariableInAnOrdinaryPropertyIsNeverResolved() {
        List<String> asked = new CopyOnWriteArrayList<>();
        e.env = name -> {
            asked.add(name);
            return "s3cr3t";
        };
        // the validator rejects this file; the executor must not leak the value even if it gets one
        StackFile s = stack("""
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":  {"type": "part", "net": "${n}", "label": "${env.PART_SECRET}"}
                """);
        ApplyResult r = e.apply(e.plan(s), 10);
        assertEquals(List.of("p:create"), keys(new ArrayList<>(r.failed().keySet())));
        AwsFailure f = (AwsFailure) r.failed().values().iterator().next();
        assertEquals(ErrorCategory.INVALID_REQUEST, f.category());
        assertTrue(f.getMessage().contains("PART_SECRET"), f.getMessage());
        assertEquals(List.of(), asked, "the environment is not even read");
        assertEquals(0, e.fake.count("part", Op.CREATE), "nothing reached the API");
    }

    @Test
    void unsetEnvironmentVariableFailsTheStepBeforeAnyCall() {
        StackFile s = stack("""
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":  {"type": "part", "net": "${n}", "secret": "${env.NOPE}"}
                """);
        ApplyResult r = e.apply(e.plan(s), 10);
        AwsFailure f = (AwsFailure) r.failed().values().iterator().next();
        assertEquals(ErrorCategory.INVALID_REQUEST, f.category());
        assertEquals("p", f.resource());
        assertTrue(f.getMessage().contains("environment variable NOPE is not set"), f.getMessage());
        assertEquals(0, e.fake.count("part", Op.CREATE));
    }

    @Test
    void specCarriesOwnershipTagsAndADeterministicSecretFreeClientToken() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16", "tags": {"team": "x"}},
                    "p":  {"type": "part", "net": "${n}", "secret": "one"}
                """;
        e.converge(stack(s));
        ResourceSpec net = e.fake.call(Op.CREATE, "n").spec();
        assertEquals(Map.of("netstack:stack", STACK, "netstack:id", "n", "Name", STACK + "/n", "team", "x"), net.tags());

        Plan p = e.plan(stack(s.replace("\"one\"", "\"two\"")));
        Change c = change(e.plan(stack(s)), "p");
        Map<String, LiveResource> current = new HashMap<>(p.live());
        Executor x = new Executor(e.fake, 1);
        ResourceSpec a = x.spec(e.ctx, c, e.fake.find("part").orElseThrow(), current, true);
        ResourceSpec again = x.spec(e.ctx, c, e.fake.find("part").orElseThrow(), current, true);
        ResourceSpec otherSecret = x.spec(e.ctx, change(p, "p"), e.fake.find("part").orElseThrow(), current, true);
        assertTrue(a.clientToken().length() <= 64, a.clientToken());
        assertEquals(a.clientToken(), again.clientToken(), "deterministic");
        assertEquals(a.clientToken(), otherSecret.clientToken(), "secrets do not go into the token");
        assertFalse(a.clientToken().contains("one"));
        Change relabelled = change(e.plan(stack(s.replace("\"secret\": \"one\"", "\"label\": \"l\", \"secret\": \"one\""))), "p");
        assertNotEquals(a.clientToken(), x.spec(e.ctx, relabelled, e.fake.find("part").orElseThrow(), current, true).clientToken());
        assertEquals(e.fake.awsId(STACK, "n"), a.text("net"));
        assertFalse(a.properties().toString().contains("${"), a.properties().toString());
    }
}
