package io.netstack.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stack re-planned after its prerequisites are applied may do less than shown, never more. */
class MultiStackTest {
    static Change change(String id, Action a) {
        return new Change(id, "vpc-peering", a, List.of(), List.of(), null, null);
    }

    static Plan plan(Change... changes) {
        return new Plan("spoke", "us-east-1", "d", "f", false, List.of(changes), Map.of());
    }

    @Test
    void theSameChangesOrFewerAreAccepted() {
        Plan shown = plan(change("peer", Action.CREATE), change("rt", Action.UPDATE), change("vpc", Action.NOOP));
        assertNull(MultiStack.unseen(shown, plan(change("peer", Action.CREATE), change("rt", Action.UPDATE))));
        assertNull(MultiStack.unseen(shown, plan(change("peer", Action.CREATE), change("rt", Action.NOOP))));
    }

    @Test
    void aChangeNotShownIsNamed() {
        Plan shown = plan(change("peer", Action.CREATE), change("rt", Action.UPDATE));
        assertEquals("replace rt (vpc-peering)", MultiStack.unseen(shown, plan(change("peer", Action.CREATE), change("rt", Action.REPLACE))));
        assertEquals("delete vpc (vpc-peering)", MultiStack.unseen(shown, plan(change("peer", Action.CREATE), change("vpc", Action.DELETE))));
    }
}
