package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Retry;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.spi.Waiter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Re-wiring (issue 11): elements of an exclusive list (a subnet's route table) that change holder
 * are handed over — the giver's update is told to leave them, the giver's delete waits for the
 * taker — in every direction: split, merge, between two existing holders, swap.
 */
class HandOverTest {
    /** "table": like a route table, {@code subnets} is exclusive; "plain": the same list, not exclusive. */
    static final ResourceType TABLE = type("table", Set.of("subnets"));
    static final ResourceType PLAIN = type("plain", Set.of());
    static final ResourceType SUBNET = type("subnet", Set.of());
    static final TypeRegistry TYPES = new TypeRegistry() {
        @Override public Optional<ResourceType> find(String n) {
            return List.of(TABLE, PLAIN, SUBNET).stream().filter(t -> t.name().equals(n)).findFirst();
        }

        @Override public Collection<ResourceType> all() {
            return List.of(TABLE, PLAIN, SUBNET);
        }
    };

    /** Subnets a, b, c (subnet-a …), unchanged, plus the given table changes. */
    static List<Change> changes(Change... tables) {
        List<Change> out = new ArrayList<>();
        for (String s : List.of("a", "b", "c")) {
            out.add(new Change(s, "subnet", Action.NOOP, List.of(), List.of(), Json.object(), new LiveResource(s, "subnet", "subnet-" + s, Json.object(), Map.of())));
        }
        out.addAll(List.of(tables));
        return out;
    }

    /** A table change: {@code want} logical subnet ids (null: no desired side), {@code has} live ones (null: not live). */
    static Change table(String id, Action a, List<String> want, List<String> has) {
        return table(id, "table", a, want, has);
    }

    static Change table(String id, String type, Action a, List<String> want, List<String> has) {
        ObjectNode desired = null;
        if (want != null) {
            desired = Json.object();
            ArrayNode l = desired.putArray("subnets");
            want.forEach(s -> l.add("${" + s + "}"));
        }
        LiveResource live = null;
        if (has != null) {
            ObjectNode p = Json.object();
            ArrayNode l = p.putArray("subnets");
            has.forEach(s -> l.add(s.startsWith("subnet-") ? s : "subnet-" + s));
            live = new LiveResource(id, type, "rtb-" + id, p, Map.of());
        }
        return new Change(id, type, a, List.of(), List.of(), desired, live);
    }

    static int at(List<Change> order, String id, Action a) {
        for (int i = 0; i < order.size(); i++) if (order.get(i).id().equals(id) && order.get(i).action() == a) return i;
        throw new AssertionError(id + " " + a + " not in " + order);
    }

    @Test
    void aSplitHandsTheMovedSubnetsToTheNewTablesAndNothingElse() {
        // one table for a, b, c → a stays, b and c get their own tables; a plain list is not exclusive
        List<Change> cs = changes(
                table("shared", Action.UPDATE, List.of("a"), List.of("a", "b", "c")),
                table("tb", Action.CREATE, List.of("b"), null),
                table("tc", Action.CREATE, List.of("c"), null),
                table("p", "plain", Action.UPDATE, List.of(), List.of("a")),
                table("q", "plain", Action.CREATE, List.of("a"), null));
        List<HandOver> h = HandOver.of(cs, TYPES);
        assertEquals(List.of(new HandOver("table", "subnets", "shared", "tb", "subnet-b"), new HandOver("table", "subnets", "shared", "tc", "subnet-c")), h);
        assertEquals(Map.of("shared", Set.of("subnet-b", "subnet-c")), HandOver.byGiver(h));
    }

    @Test
    void aSubnetLeavingForTheMainTableIsNotHandedOver() {
        List<Change> cs = changes(table("t", Action.UPDATE, List.of("a"), List.of("a", "b")), table("u", Action.NOOP, List.of("c"), List.of("c")));
        assertEquals(List.of(), HandOver.of(cs, TYPES));
    }

    @Test
    void aLiteralSubnetIdIsMatchedAsWritten() {
        ObjectNode want = Json.object();
        want.putArray("subnets").add("subnet-x");
        Change taker = new Change("t", "table", Action.CREATE, List.of(), List.of(), want, null);
        List<Change> cs = changes(table("g", Action.UPDATE, List.of(), List.of("subnet-x")), taker);
        assertEquals(List.of(new HandOver("table", "subnets", "g", "t", "subnet-x")), HandOver.of(cs, TYPES));
    }

    @Test
    void aMergeDeletesTheOldTablesOnlyAfterTheTakerHasTheirSubnets() {
        // per-subnet tables → one: tb and tc are deleted, shared (updated) and fresh (created) take their subnets
        List<Change> cs = changes(
                table("shared", Action.UPDATE, List.of("a", "b"), List.of("a")),
                table("fresh", Action.CREATE, List.of("c"), null),
                table("tb", Action.DELETE, null, List.of("b")),
                table("tc", Action.DELETE, null, List.of("c")));
        DependencyGraph<Step> g = ExecutionOrder.graph(cs, TYPES);
        Step upd = step(g, "shared:update"), cr = step(g, "fresh:create"), delB = step(g, "tb:delete"), delC = step(g, "tc:delete");
        assertTrue(g.hasPath(upd, delB), "shared takes b before tb is deleted");
        assertTrue(g.hasPath(cr, delC), "fresh takes c before tc is deleted");
        assertFalse(g.hasPath(delC, cr), "the usual deletes-before-creates-of-a-type edge gives way");
        List<Change> order = ExecutionOrder.order(cs, null, TYPES);
        assertTrue(at(order, "fresh", Action.CREATE) < at(order, "tc", Action.DELETE), order.toString());
    }

    @Test
    void anUpdatedGiverIsNotOrderedAfterItsTakerButToldToLeaveTheSubnet() {
        // b moves between two existing tables, c is swapped the other way: no cycle, both told
        List<Change> cs = changes(
                table("x", Action.UPDATE, List.of("c"), List.of("a", "b")),
                table("y", Action.UPDATE, List.of("a", "b"), List.of("c")));
        DependencyGraph<Step> g = ExecutionOrder.graph(cs, TYPES);
        assertFalse(g.hasPath(step(g, "x:update"), step(g, "y:update")));
        assertFalse(g.hasPath(step(g, "y:update"), step(g, "x:update")));
        assertEquals(Map.of("x", Set.of("subnet-a", "subnet-b"), "y", Set.of("subnet-c")), HandOver.byGiver(HandOver.of(cs, TYPES)));
    }

    @Test
    void theContextAnswersHandedOverPerResourceAndDelegatesTheRest() {
        TypeContext outer = new TypeContext() {
            @Override public String stack() { return "s"; }
            @Override public String region() { return "r"; }
            @Override public Waiter waiter() { return null; }
            @Override public Retry retry() { return null; }
            @Override public Set<String> ownedAwsIds(String type) { return Set.of("vpc-1"); }
        };
        List<HandOver> h = HandOver.of(changes(table("g", Action.UPDATE, List.of(), List.of("a")), table("t", Action.CREATE, List.of("a"), null)), TYPES);
        TypeContext ctx = HandOver.context(outer, h);
        assertEquals(Set.of("subnet-a"), ctx.handedOver("g"));
        assertEquals(Set.of(), ctx.handedOver("t"));
        assertEquals("s", ctx.stack());
        assertEquals("r", ctx.region());
        assertEquals(Set.of("vpc-1"), ctx.ownedAwsIds("vpc"));
        assertEquals(outer, HandOver.context(outer, List.of()), "no hand-overs: the context as it was");
    }

    static Step step(DependencyGraph<Step> g, String key) {
        return g.nodes().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError(key + " not in " + g.nodes()));
    }

    static ResourceType type(String name, Set<String> exclusive) {
        Schema schema = new Schema(true, List.of(), Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))));
        return new ResourceType() {
            @Override public String name() { return name; }
            @Override public Schema schema() { return schema; }
            @Override public Set<String> exclusiveLists() { return exclusive; }
            @Override public List<LiveResource> list(TypeContext ctx) { throw new UnsupportedOperationException(); }
            @Override public LiveResource create(TypeContext ctx, ResourceSpec spec) { throw new UnsupportedOperationException(); }
            @Override public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) { throw new UnsupportedOperationException(); }
            @Override public void delete(TypeContext ctx, LiveResource live) { throw new UnsupportedOperationException(); }
        };
    }
}
