package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 13 item 10: "Apply complete" counts resources the way the plan's summary does, not executor steps. */
class ApplySummaryTest {
    static Change change(String id, Action a) {
        return new Change(id, "security-group", a, List.of(), List.of(), null, null);
    }

    @Test
    void lateBoundUpdatesAndReplacementsCountOncePerResource() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            Change c = change("sg" + i, Action.CREATE);
            steps.add(new Step(c, Step.Phase.CREATE));
            // a rule naming another new group is set after both exist: a second step of the same change
            if (i < 2) steps.add(new Step(c, Step.Phase.UPDATE));
        }
        Change r = change("vpc", Action.REPLACE);
        steps.add(new Step(r, Step.Phase.DELETE));
        steps.add(new Step(r, Step.Phase.CREATE));
        Change d = change("old", Action.DELETE);
        steps.add(new Step(d, Step.Phase.DETACH));
        steps.add(new Step(d, Step.Phase.DELETE));
        assertEquals(27, steps.size());
        assertEquals("21 created, 0 updated, 1 replaced, 1 deleted", ApplyRunner.done(steps));
    }
}
