package io.netstack.engine;

import static io.netstack.engine.FakeEngine.change;
import static io.netstack.engine.FakeEngine.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.spi.Progress;
import io.netstack.spi.Sleeper;
import io.netstack.testing.fake.FakeProvider;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code ${stack:other/id}} when {@code other} is a stack of the same command: found through that
 * stack's own registry (standing for its account and region: two fake providers share nothing),
 * and {@code (known after apply)} while the command's earlier plan still creates it.
 */
class CommandStacksTest {
    final FakeProvider hubAccount = new FakeProvider(), spokeAccount = new FakeProvider();
    final EngineContext ctx = EngineContext.of(FakeEngine.STACK, FakeEngine.REGION, Progress.NONE, Sleeper.SYSTEM, 0.001);
    static final String REFERENCING = """
                "p":  {"type": "part", "net": "${stack:hub/core}"}
            """;

    @Test
    void resolvesInTheOtherStacksAccount() {
        String core = hubAccount.put("net", "hub", "core", Json.object().put("cidr", "10.50.0.0/16"));
        PlanException alone = assertThrows(PlanException.class, () -> new Planner(spokeAccount).plan(stack(REFERENCING), ctx, false));
        assertTrue(alone.getMessage().contains("apply stack hub first"), "the spoke's own account has no hub/core: " + alone.getMessage());

        Planner.CommandStacks others = new Planner.CommandStacks(Map.of("hub", hubAccount), Set.of());
        Plan p = new Planner(spokeAccount, name -> null, others).plan(stack(REFERENCING), ctx, false);
        assertEquals(Action.CREATE, change(p, "p").action());
        assertEquals(core, change(p, "p").desired().get("net").asText());
    }

    @Test
    void anObjectTheCommandCreatesIsKnownAfterApply() {
        Planner.CommandStacks others = new Planner.CommandStacks(Map.of("hub", hubAccount), Set.of("hub/core"));
        Plan p = new Planner(spokeAccount, name -> null, others).plan(stack(REFERENCING), ctx, false);
        assertEquals(Planner.UNKNOWN, change(p, "p").desired().get("net").asText());
    }

    @Test
    void pendingIsWhatAPlanCreatesOrReplaces() {
        Plan hub = new Planner(hubAccount).plan(FakeEngine.parse(FakeEngine.text("\"core\": {\"type\": \"net\", \"cidr\": \"10.50.0.0/16\"}").replace("\"demo\"", "\"hub\"")),
                EngineContext.of("hub", FakeEngine.REGION, Progress.NONE, Sleeper.SYSTEM, 0.001), false);
        assertEquals(Set.of("hub/core"), StackSet.pending(hub));
    }
}
