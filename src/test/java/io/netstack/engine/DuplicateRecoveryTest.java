package io.netstack.engine;

import static io.netstack.engine.FakeEngine.STACK;
import static io.netstack.engine.FakeEngine.change;
import static io.netstack.engine.FakeEngine.describe;
import static io.netstack.engine.FakeEngine.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.stack.StackFile;
import io.netstack.testing.fake.FakeProvider.FakeObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Duplicates (two live objects with one netstack:id) as crashes and lost responses leave them: a
 * create without ClientToken whose response was lost is repeated (by the SDK's retry, or by a run
 * racing a killed one), and the run goes on with the object it heard of — the <em>second</em>. The
 * twin to delete is the unused one, whatever the order of their AWS ids (EC2 ids are random), and
 * whatever still sits in the twin moves to the object that stays.
 */
class DuplicateRecoveryTest {
    static final String BASE = PlannerTest.BASE;
    static final String WITH_P2 = BASE + """
                "p2": {"type": "part", "net": "${n}", "size": 20}
            """.replace("\"p2\"", ",\"p2\"").stripTrailing();

    final FakeEngine e = new FakeEngine();

    /** The stack converged, then its net "made twice": the twin (higher fake id) holds every child. */
    private String[] twinHoldingTheChildren(StackFile s) {
        e.converge(s);
        FakeObject orig = e.fake.the(STACK, "n");
        String twin = e.fake.put("net", STACK, "n", orig.props());
        for (FakeObject o : e.fake.objects()) {
            if (orig.awsId.equals(o.text("net"))) e.fake.modify(o.awsId, "net", TextNode.valueOf(twin));
        }
        return new String[] {orig.awsId, twin};
    }

    @Test
    void theTwinTheOtherResourcesUseIsKeptAndTheUnusedOneDeleted() {
        StackFile s = stack(BASE);
        String[] ids = twinHoldingTheChildren(s);
        String unused = ids[0], used = ids[1];
        assertTrue(unused.compareTo(used) < 0, "the unused twin sorts first, as LiveState would pick it");

        Plan p = e.plan(s);
        assertEquals(used, change(p, "n").awsId(), describe(p));
        assertEquals(Action.NOOP, change(p, "n").action(), describe(p));
        Change d = change(p, "n#" + unused);
        assertEquals(Action.DELETE, d.action());
        assertTrue(d.reasons().get(0).contains("duplicate of " + used), d.reasons().toString());
        assertEquals(1, p.actionable().size(), "only the unused twin goes: " + describe(p));
        assertEquals(used, p.live().get("n").awsId(), "the executor resolves ${n} to the object that stays");

        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals(List.of(used), e.fake.owned(STACK, "n").stream().map(o -> o.awsId).toList());
        e.assertConverged(s);
    }

    @Test
    void whatSitsInTheDeletedTwinMovesToTheOneThatStays() {
        StackFile s = stack(WITH_P2);
        String[] ids = twinHoldingTheChildren(s);
        String unused = ids[0], used = ids[1];
        // p2 stayed in the first twin: the twin with more users (p1, g) stays, p2 is recreated in it.
        e.fake.modify(e.fake.awsId(STACK, "p2"), "net", TextNode.valueOf(unused));
        String oldP2 = e.fake.awsId(STACK, "p2");

        Plan p = e.plan(s);
        assertEquals(used, change(p, "n").awsId(), describe(p));
        assertEquals(Action.REPLACE, change(p, "p2").action(), describe(p));
        assertTrue(change(p, "p2").reasons().toString().contains("net uses " + unused + ", a duplicate of n that is deleted"), describe(p));
        assertEquals(Action.DELETE, change(p, "n#" + unused).action(), describe(p));

        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals(List.of(used), e.fake.owned(STACK, "n").stream().map(o -> o.awsId).toList());
        FakeObject p2 = e.fake.the(STACK, "p2");
        assertEquals(used, p2.text("net"));
        assertTrue(!p2.awsId.equals(oldP2), "p2 was recreated");
        e.assertConverged(s);
    }

    @Test
    void aCreatedMissingResourceGoesIntoTheTwinThatStays() {
        StackFile s = stack(WITH_P2);
        String[] ids = twinHoldingTheChildren(s);
        String used = ids[1];
        e.fake.remove(e.fake.awsId(STACK, "p2")); // killed before p2 was made

        Plan p = e.plan(s);
        assertEquals(Action.CREATE, change(p, "p2").action(), describe(p));
        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals(used, e.fake.the(STACK, "p2").text("net"));
        e.assertConverged(s);
    }
}
