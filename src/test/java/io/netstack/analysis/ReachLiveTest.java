package io.netstack.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.analysis.Reach.Flow;
import io.netstack.analysis.Reach.Result;
import io.netstack.api.Netstack;
import io.netstack.engine.LiveState;
import io.netstack.spi.LiveResource;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkModel#live}: the model built from live state (here: the file's own blocks as AWS
 * would return them, with AWS ids, then changed "by hand"), and how Reach reports the differences.
 * ReachLiveIT does the same against moto through the CLI.
 */
class ReachLiveTest {
    static StackFile threeTier() {
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile s = ns.load(Path.of("stacks", "three-tier.json"), Map.of());
            ns.validate(s);
            return s;
        }
    }

    /** The stack as deployed: every block with AWS ids in place of ${id}; {@code edit} changes one object's properties. */
    static NetworkModel live(StackFile s, String id, BiConsumer<ObjectNode, StackFile> edit, LiveResource... extra) {
        List<LiveResource> all = new ArrayList<>();
        for (ResourceBlock b : s.resources().values()) {
            String text = b.properties().toString();
            for (String other : s.resources().keySet()) text = text.replace("${" + other + "}", "aws-" + other);
            ObjectNode p;
            try {
                p = (ObjectNode) io.netstack.engine.Json.MAPPER.readTree(text);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (b.id().equals(id)) edit.accept(p, s);
            all.add(new LiveResource(b.id(), b.type(), "aws-" + b.id(), p, Map.of()));
        }
        all.addAll(List.of(extra));
        return NetworkModel.live(List.of(s), Map.of(s.name(), new LiveState(all)));
    }

    @Test
    void unchangedLiveStateGivesTheOfflineAnswerWithNoNotes() {
        StackFile s = threeTier();
        Result offline = Reach.run(NetworkModel.of(List.of(s)), "net-private-a", "internet", Flow.parse("tcp/443"), "app", null);
        Result live = Reach.run(live(s, "none", (p, f) -> { }), "net-private-a", "internet", Flow.parse("tcp/443"), "app", null);
        assertTrue(live.reachable(), live::toString);
        assertEquals(offline.path(), live.path(), "same hops, same details, same file:line");
    }

    @Test
    void aDeletedRouteBlocksAtItsTableAndSaysTheFilesRouteIsNotInAws() {
        StackFile s = threeTier();
        NetworkModel m = live(s, "net-private-rt-a", (p, f) -> ((ArrayNode) p.get("routes")).remove(0));
        assertEquals(List.of("::/0"), m.routeTableOf(new NetworkModel.Key(s.name(), "net-private-a")).orElseThrow().routes().stream()
                .map(NetworkModel.Route::destination).toList(), "net-private-rt-a keeps only its IPv6 route");
        Result r = Reach.run(m, "net-private-a", "internet", Flow.parse("tcp/443"), null, null);
        assertFalse(r.reachable(), r::toString);
        assertEquals("net-private-rt-a", r.blockedBy().id());
        assertTrue(r.blockedBy().reason().contains("[live: the file's route 0.0.0.0/0 → ${net-nat-a} is not in AWS]"), r.blockedBy().reason());
        assertEquals(s.locate(s.resources().get("net-private-rt-a").pointer()), r.blockedBy().location());
    }

    @Test
    void aRouteRetargetedByHandIsFollowedAndNoted() {
        StackFile s = threeTier();
        NetworkModel m = live(s, "net-private-rt-a", (p, f) -> ((ObjectNode) p.get("routes").get(0)).put("target", "aws-net-igw"));
        Result r = Reach.run(m, "net-private-a", "internet", Flow.parse("tcp/443"), null, null);
        var rt = r.path().stream().filter(h -> h.id().equals("net-private-rt-a")).findFirst().orElseThrow();
        assertTrue(rt.detail().contains("[live: route 0.0.0.0/0 → ${net-igw} (the file says → ${net-nat-a})]"), rt.detail());
        var route = m.routeTableOf(new NetworkModel.Key(s.name(), "net-private-a")).orElseThrow().routes().get(0);
        assertEquals(s.locate(s.resources().get("net-private-rt-a").pointer("routes") + "/0"), route.src().location(), "the file's route of that destination");
        // Now through the internet gateway: net-private-a maps no public IPs, so the live answer is blocked there.
        assertFalse(r.reachable(), r::toString);
        assertEquals("net-private-a", r.blockedBy().id());
    }

    @Test
    void liveOnlyObjectsHaveNoLocationAndLiveOnlyRoutesAreNoted() {
        StackFile s = threeTier();
        ObjectNode rt = io.netstack.engine.Json.object().put("vpc", "aws-net-vpc");
        rt.putArray("subnets").add("aws-net-private-a");
        rt.putArray("routes").addObject().put("destination", "0.0.0.0/0").put("target", "aws-net-nat-a");
        // net-private-a moved by hand to a table the file does not declare.
        NetworkModel m = live(s, "net-private-rt-a", (p, f) -> ((ArrayNode) p.get("subnets")).removeAll(),
                new LiveResource("hand-rt", "route-table", "aws-hand-rt", rt, Map.of()));
        Result r = Reach.run(m, "net-private-a", "internet", Flow.parse("tcp/443"), null, null);
        assertTrue(r.reachable(), r::toString);
        var hop = r.path().stream().filter(h -> h.id().equals("hand-rt")).findFirst().orElseThrow();
        assertNull(hop.location(), "no block in the file");
        assertTrue(hop.detail().contains("[live: route 0.0.0.0/0 → ${net-nat-a} (not in the file)]"), hop.detail());
    }
}
