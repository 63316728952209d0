package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.StackFile;
import io.netstack.testing.fake.FakeProvider;
import io.netstack.testing.fake.FakeProvider.Op;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, plan scope: a run reads the types its file declares plus those the registry finds the
 * stack owning, and no others; declared types are read in full even when the look-up misses them.
 */
class PlanScopeTest {
    final FakeEngine e = new FakeEngine();

    /** The fake provider, with an owned-type look-up that can be told to miss (an eventually consistent index). */
    final class Scoped implements TypeRegistry {
        boolean lookupMisses;

        @Override public Optional<ResourceType> find(String name) { return e.fake.find(name); }
        @Override public Collection<ResourceType> all() { return e.fake.all(); }

        @Override
        public Set<String> scope(TypeContext ctx, Set<String> declared, boolean destroy) {
            Set<String> s = new TreeSet<>(declared);
            if (!lookupMisses) {
                e.fake.objects().stream().filter(o -> ctx.stack().equals(o.stack())).forEach(o -> s.add(o.type));
            }
            return s;
        }
    }

    final Scoped registry = new Scoped();

    Set<String> listed() {
        return e.fake.calls(c -> c.op() == Op.LIST).stream().map(FakeProvider.Call::type).collect(Collectors.toCollection(TreeSet::new));
    }

    Map<String, Action> actions(Plan p) {
        return p.changes().stream().collect(Collectors.toMap(Change::id, Change::action));
    }

    @Test
    void readsOnlyTheDeclaredTypesOfANewStack() {
        StackFile s = FakeEngine.stack("\"n\": {\"type\": \"net\", \"cidr\": \"10.0.0.0/16\"}");
        Plan p = new Planner(registry).plan(s, e.ctx, false);
        assertEquals(Map.of("n", Action.CREATE), actions(p));
        assertEquals(Set.of("net"), listed(), "no other type is read");
        assertTrue(e.fake.all().size() > 1);
    }

    @Test
    void findsTheOwnedObjectsOfTypesTheFileNoLongerDeclares() {
        e.converge(FakeEngine.stack(PlannerTest.BASE));
        e.fake.resetCalls();
        StackFile onlyNet = FakeEngine.stack("\"n\": {\"type\": \"net\", \"cidr\": \"10.0.0.0/16\"}");
        Plan p = new Planner(registry).plan(onlyNet, e.ctx, false);
        assertEquals(Map.of("n", Action.NOOP, "p1", Action.DELETE, "g", Action.DELETE, "l1", Action.DELETE), actions(p));
        assertEquals(Set.of("gate", "link", "net", "part"), listed());
    }

    @Test
    void aMissedLookupDelaysTheDeleteOfAnUndeclaredTypeButNeverDuplicatesADeclaredOne() {
        e.converge(FakeEngine.stack(PlannerTest.BASE));
        registry.lookupMisses = true;
        StackFile noLink = FakeEngine.stack("""
                "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                "p1": {"type": "part", "net": "${n}", "size": 24, "label": "one"},
                "g":  {"type": "gate", "net": "${n}"}
            """);
        Plan p = new Planner(registry).plan(noLink, e.ctx, false);
        assertEquals(Map.of("n", Action.NOOP, "p1", Action.NOOP, "g", Action.NOOP), actions(p), "declared types are read in full; the link waits for a later plan");

        // destroy reads the declared types even though the look-up sees nothing
        Plan d = new Planner(registry).plan(FakeEngine.stack(PlannerTest.BASE), e.ctx, true);
        assertEquals(Map.of("n", Action.DELETE, "p1", Action.DELETE, "g", Action.DELETE, "l1", Action.DELETE), actions(d));
    }

    @Test
    void liveStateReadsOnlyTheScope() {
        e.converge(FakeEngine.stack(PlannerTest.BASE));
        e.fake.resetCalls();
        LiveState live = LiveState.read(e.fake, e.ctx, Set.of("net", "gate"));
        assertEquals(Set.of("gate", "net"), listed());
        assertEquals(Set.of("n", "g"), live.byId().values().stream().map(LiveResource::id).collect(Collectors.toSet()));
    }
}
