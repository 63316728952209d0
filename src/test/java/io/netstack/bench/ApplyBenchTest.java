package io.netstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.DependencyGraph;
import io.netstack.engine.Json;
import io.netstack.engine.Step;
import io.netstack.testing.faults.Ec2Buckets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The apply bench's chained bucket bound (BENCHMARKS.md), on hand-made step graphs. */
class ApplyBenchTest {
    private static Step step(String id, String type, Step.Phase phase) {
        return new Step(new Change(id, type, Action.CREATE, List.of(), List.of(), Json.object(), null), phase);
    }

    @Test
    void callsOfABucketCountFromWhenTheirStepsCanStartAndKeepTheRestOfTheChain() {
        // vpc (4 s) → 100 subnets (3 s each, 2.5 s of it after CreateSubnet) → one table (1 s) needing all of them
        DependencyGraph<Step> g = new DependencyGraph<>();
        Step vpc = step("vpc", "vpc", Step.Phase.CREATE), rt = step("rt", "route-table", Step.Phase.CREATE);
        g.add(vpc);
        g.add(rt);
        Map<String, Double> w = new HashMap<>(Map.of(vpc.key(), 4.0, rt.key(), 1.0));
        Map<String, Map<String, Double>> after = new HashMap<>();
        Map<String, Map<String, Long>> accepted = new HashMap<>();
        accepted.put(vpc.key(), Map.of("CreateVpc", 1L));
        for (int i = 0; i < 100; i++) {
            Step sn = step("sn" + i, "subnet", Step.Phase.CREATE);
            g.add(sn);
            g.edge(vpc, sn);
            g.edge(sn, rt);
            w.put(sn.key(), 3.0);
            after.put(sn.key(), Map.of("CreateSubnet", 2.5));
            accepted.put(sn.key(), Map.of("CreateSubnet", 1L));
        }
        ApplyBench.Calibration cal = new ApplyBench.Calibration(w, Map.of(), 0, 0, 32, 1, after);
        ApplyBench.ChainedBound b = ApplyBench.chainedBound(g, cal, accepted, Ec2Buckets.defaults());
        // the 100 CreateSubnet calls cannot start before 4 s; 50 burst, then 5/s: the last at 14 s at the
        // earliest, its subnet needs 2.5 s more and the table 1 s: 17.5 s (critical path 8 s, plain bucket bound 10 s)
        assertEquals(17.5, b.seconds(), 1e-9, b.detail());
        assertTrue(b.detail().startsWith("CreateSubnet: 100 calls from 4.0 s"), b.detail());
        assertEquals(8.0, ApplyBench.criticalPath(g, w).seconds(), 1e-9);
    }

    @Test
    void aLateBoundUpdatesCallsCountFromItsCreateAndABucketWithinItsBurstBoundsNothing() {
        // vpc (2 s) → 60 groups: create (1 s) → update (0.5 s) holding the one AuthorizeSecurityGroupIngress call
        DependencyGraph<Step> g = new DependencyGraph<>();
        Step vpc = step("vpc", "vpc", Step.Phase.CREATE);
        g.add(vpc);
        Map<String, Double> w = new HashMap<>(Map.of(vpc.key(), 2.0));
        Map<String, Map<String, Long>> accepted = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            Step c = step("sg" + i, "security-group", Step.Phase.CREATE), u = step("sg" + i, "security-group", Step.Phase.UPDATE);
            g.add(c);
            g.add(u);
            g.edge(vpc, c);
            g.edge(c, u);
            w.put(c.key(), 1.0);
            w.put(u.key(), 0.5);
            accepted.put(c.key(), Map.of("CreateSecurityGroup", 1L));
            accepted.put(u.key(), Map.of("AuthorizeSecurityGroupIngress", 1L));
        }
        ApplyBench.Calibration cal = new ApplyBench.Calibration(w, Map.of(), 0, 0, 32, 1, Map.of());
        ApplyBench.ChainedBound b = ApplyBench.chainedBound(g, cal, accepted, Ec2Buckets.defaults());
        // CreateSecurityGroup: from 2 s, 10 over the burst: 4 s, + the update's 0.5 s = 4.5 s. The
        // updates' calls count from their creates' release (2 s), not their own (3 s): 2 + 2 + 0 = 4 s.
        assertEquals(4.5, b.seconds(), 1e-9, b.detail());
        assertTrue(b.detail().startsWith("CreateSecurityGroup: 60 calls from 2.0 s"), b.detail());

        Map<String, Map<String, Long>> fewer = new HashMap<>();
        accepted.forEach((k, v) -> {
            if (k.startsWith("sg1") || k.startsWith("sg2")) fewer.put(k, v); // 11 + 11 groups: within the burst
        });
        assertEquals(0.0, ApplyBench.chainedBound(g, cal, fewer, Ec2Buckets.defaults()).seconds(), 1e-9);
    }
}
