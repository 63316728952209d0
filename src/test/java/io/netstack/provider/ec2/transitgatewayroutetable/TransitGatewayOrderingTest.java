package io.netstack.provider.ec2.transitgatewayroutetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.DependencyGraph;
import io.netstack.engine.ExecutionOrder;
import io.netstack.engine.Json;
import io.netstack.engine.LiveState;
import io.netstack.engine.Plan;
import io.netstack.engine.Planner;
import io.netstack.engine.Step;
import io.netstack.provider.AwsProvider;
import io.netstack.spi.LiveResource;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ordering rules of the Transit Gateway types as engine logic (moto checks no dependency, so
 * an ordering bug would not surface in the ITs): routes, associations and propagations come after
 * the attachments they name (whose create waits for {@code available}); on destroy the route
 * table goes first, then the attachments and peerings, then the gateway.
 */
class TransitGatewayOrderingTest {
    static Netstack ns;
    static AwsProvider types;

    @BeforeAll
    static void provider() {
        ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9")); // never called: planning from given live state
        types = ns.provider("eu-west-1");
    }

    @AfterAll
    static void close() {
        ns.close();
    }

    static final String STACK = """
        { "stack": "order", "region": "eu-west-1",
          "resources": {
            "tgw":  { "type": "transit-gateway" },
            "tgw2": { "type": "transit-gateway", "amazonAsn": 64600 },
            "vpc":  { "type": "vpc", "cidr": "10.0.0.0/16" },
            "sub":  { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.0.0/24" },
            "att":  { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
            "peer": { "type": "transit-gateway-peering", "transitGateway": "${tgw}", "peerTransitGateway": "${tgw2}" },
            "rt":   { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                      "associations": ["${att}"], "propagations": ["${att}"],
                      "routes": [ { "destination": "10.9.0.0/16", "attachment": "${peer}" },
                                  { "destination": "10.8.0.0/16", "blackhole": true } ] }
          } }
        """;

    static StackFile load(Path dir, String json) {
        return ns.load(StackFiles.write(dir, "s.json", json), Map.of());
    }

    static DependencyGraph<Step> graph(Plan p) {
        return ExecutionOrder.graph(p.changes(), types);
    }

    static Step step(DependencyGraph<Step> g, String key) {
        return g.nodes().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new AssertionError("no step " + key + " in " + g.nodes()));
    }

    static void before(DependencyGraph<Step> g, String first, String then) {
        assertTrue(g.hasPath(step(g, first), step(g, then)), first + " must come before " + then);
    }

    @Test
    void createsWaitForWhatTheyName(@TempDir Path dir) {
        StackFile s = load(dir, STACK);
        ns.validate(s);
        Plan p = new Planner(types).plan(s, new LiveState(List.of()), false);
        DependencyGraph<Step> g = graph(p);
        before(g, "tgw:create", "att:create");
        before(g, "sub:create", "att:create");
        before(g, "att:create", "rt:create");
        before(g, "peer:create", "rt:create");
        before(g, "tgw2:create", "peer:create");
    }

    /** The default table's lists are written after AWS has put every attachment of its gateway in it. */
    @Test
    void theDefaultTableComesAfterEveryAttachmentOfItsGateway(@TempDir Path dir) {
        StackFile s = load(dir, """
            { "stack": "order", "region": "eu-west-1",
              "resources": {
                "tgw":   { "type": "transit-gateway" },
                "tgw2":  { "type": "transit-gateway", "amazonAsn": 64600 },
                "vpc":   { "type": "vpc", "cidr": "10.0.0.0/16" },
                "sub":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.0.0/24" },
                "att-a": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "att-b": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "att-c": { "type": "transit-gateway-attachment", "transitGateway": "${tgw2}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "dflt":  { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "default": true, "associations": ["${att-a}"] },
                "rt":    { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${att-b}"] }
              } }
            """);
        Plan p = new Planner(types).plan(s, new LiveState(List.of()), false);
        DependencyGraph<Step> g = graph(p);
        before(g, "att-b:create", "dflt:create");
        assertTrue(!g.hasPath(step(g, "att-c:create"), step(g, "dflt:create")), "an attachment of another gateway does not hold the default table back");
        assertTrue(!g.hasPath(step(g, "att-a:create"), step(g, "rt:create")), "a table that is not the default comes after what it names only");
    }

    static LiveResource live(String id, String type, String awsId, String json) {
        try {
            ObjectNode props = (ObjectNode) Json.MAPPER.readTree(json);
            // as every type reads it back: the Name tag netstack set at creation (default <stack>/<id>)
            if (!props.has("tags")) props.putObject("tags").put("Name", "order/" + id);
            return new LiveResource(id, type, awsId, props, Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<LiveResource> liveStack(String rtAssociations) {
        return List.of(
                live("tgw", "transit-gateway", "tgw-1", "{}"),
                live("tgw2", "transit-gateway", "tgw-2", "{}"),
                live("vpc", "vpc", "vpc-1", "{\"cidr\":\"10.0.0.0/16\"}"),
                live("sub", "subnet", "subnet-1", "{\"vpc\":\"vpc-1\",\"cidr\":\"10.0.0.0/24\"}"),
                live("att", "transit-gateway-attachment", "tgw-attach-1", "{\"transitGateway\":\"tgw-1\",\"vpc\":\"vpc-1\",\"subnets\":[\"subnet-1\"]}"),
                live("att2", "transit-gateway-attachment", "tgw-attach-2", "{\"transitGateway\":\"tgw-1\",\"vpc\":\"vpc-1\",\"subnets\":[\"subnet-1\"]}"),
                live("peer", "transit-gateway-peering", "tgw-attach-3", "{\"transitGateway\":\"tgw-1\",\"peerTransitGateway\":\"tgw-2\"}"),
                live("rt", "transit-gateway-route-table", "tgw-rtb-1", "{\"transitGateway\":\"tgw-1\",\"associations\":[" + rtAssociations + "],"
                        + "\"propagations\":[\"tgw-attach-1\"],\"routes\":[{\"destination\":\"10.9.0.0/16\",\"attachment\":\"tgw-attach-3\"}]}"),
                live("rt2", "transit-gateway-route-table", "tgw-rtb-2", "{\"transitGateway\":\"tgw-1\",\"associations\":[],\"propagations\":[],\"routes\":[]}"));
    }

    @Test
    void destroyRemovesTablesThenAttachmentsThenGateways(@TempDir Path dir) {
        StackFile s = load(dir, STACK);
        Plan p = new Planner(types).plan(s, new LiveState(liveStack("\"tgw-attach-1\", \"tgw-attach-2\"")), true);
        DependencyGraph<Step> g = graph(p);
        before(g, "rt:delete", "att:delete");
        before(g, "rt:delete", "att2:delete");
        before(g, "rt:delete", "peer:delete");
        before(g, "att:delete", "tgw:delete");
        before(g, "peer:delete", "tgw:delete");
        before(g, "peer:delete", "tgw2:delete");
        before(g, "att:delete", "sub:delete");
    }

    /** Issue 3, Done-when 2: moving an association is an in-place update of both tables, nothing else. */
    @Test
    void movingAnAssociationUpdatesBothTablesInPlace(@TempDir Path dir) {
        String json = """
            { "stack": "order", "region": "eu-west-1",
              "resources": {
                "tgw":  { "type": "transit-gateway" },
                "tgw2": { "type": "transit-gateway", "amazonAsn": 64600 },
                "vpc":  { "type": "vpc", "cidr": "10.0.0.0/16" },
                "sub":  { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.0.0/24" },
                "att":  { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "att2": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "peer": { "type": "transit-gateway-peering", "transitGateway": "${tgw}", "peerTransitGateway": "${tgw2}" },
                "rt":   { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                          "associations": ["${att}"], "propagations": ["${att}"],
                          "routes": [ { "destination": "10.9.0.0/16", "attachment": "${peer}" } ] },
                "rt2":  { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${att2}"] }
              } }
            """;
        StackFile s = load(dir, json);
        Plan p = new Planner(types).plan(s, new LiveState(liveStack("\"tgw-attach-1\", \"tgw-attach-2\"")), false);
        // (the other live objects here are sketches without their defaults: only the tables are compared)
        List<Change> actionable = p.actionable().stream().filter(c -> c.type().equals("transit-gateway-route-table")).toList();
        assertEquals(2, actionable.size(), actionable.toString());
        for (Change c : actionable) {
            assertEquals(Action.UPDATE, c.action(), c.toString());
            assertEquals(List.of("associations"), c.diffs().stream().map(d -> d.path()).toList(), c.toString());
        }
    }

    @Test
    void invalidBlocksAreRejectedOffline(@TempDir Path dir) {
        String bad = STACK.replace("\"amazonAsn\": 64600", "\"amazonAsn\": 65535")
                .replace("\"blackhole\": true }", "\"blackhole\": true, \"attachment\": \"${att}\" }")
                .replace("\"subnets\": [\"${sub}\"]", "\"subnets\": [\"${sub}\", \"${sub}\"]")
                .replace("\"peerTransitGateway\": \"${tgw2}\"", "\"peerTransitGateway\": \"${tgw2}\", \"peerAccount\": \"12345\"");
        StackException e = org.junit.jupiter.api.Assertions.assertThrows(StackException.class, () -> ns.validate(load(dir, bad)));
        String all = e.getMessage();
        assertTrue(all.contains("65535 is not a private ASN"), all);
        assertTrue(all.contains("exactly one of \"attachment\" and \"blackhole\""), all);
        assertTrue(all.contains("is listed twice"), all);
        assertTrue(all.contains("not a 12-digit AWS account id"), all);
    }
}
