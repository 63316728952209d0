package io.netstack.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.analysis.Reach.Flow;
import io.netstack.analysis.Reach.Hop;
import io.netstack.analysis.Reach.Result;
import io.netstack.api.Netstack;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offline reachability on the shipped examples (the three-tier cases) and the peering example. */
class ReachTest {
    static NetworkModel example(String name) {
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile s = ns.load(Path.of("stacks", name), Map.of());
            ns.validate(s);
            return NetworkModel.of(List.of(s));
        }
    }

    static List<String> hops(Result r) {
        return r.path().stream().map(h -> h.type() + " " + h.id()).toList();
    }

    @Test
    void appSubnetReachesTheInternetThroughItsZonesNatGateway() {
        NetworkModel m = example("three-tier.json");
        Result a = Reach.run(m, "net-private-a", "internet", Flow.parse("tcp/443"), "app", null);
        assertTrue(a.reachable(), a::toString);
        assertNull(a.blockedBy());
        List<String> h = hops(a);
        assertTrue(h.containsAll(List.of("subnet net-private-a", "security-group app", "route-table net-private-rt-a", "nat-gateway net-nat-a", "route-table net-public-rt",
                "internet-gateway net-igw", "internet internet")), h::toString);
        assertTrue(h.indexOf("nat-gateway net-nat-a") < h.indexOf("internet-gateway net-igw"), h::toString);
        Hop sg = a.path().stream().filter(x -> x.type().equals("security-group")).findFirst().orElseThrow();
        assertTrue(sg.detail().contains("tcp/443 0.0.0.0/0"), sg.detail());
        // net-private-b goes through its own zone's gateway.
        Result b = Reach.run(m, "net-private-b", "internet", Flow.parse("tcp/443"), null, null);
        assertTrue(b.reachable() && hops(b).contains("nat-gateway net-nat-b") && !hops(b).contains("nat-gateway net-nat-a"), b::toString);
        // The app group allows only 443 and 5432 out.
        Result ssh = Reach.run(m, "net-private-a", "internet", Flow.parse("tcp/22"), "app", null);
        assertFalse(ssh.reachable());
        assertEquals("app", ssh.blockedBy().id());
    }

    @Test
    void dbSubnetCannotReachTheInternetNoRouteAndItsNaclDeniesItToo() {
        Result r = Reach.run(example("three-tier.json"), "db-subnet-a", "internet", Flow.parse("tcp/443"), null, null);
        assertFalse(r.reachable());
        assertEquals("db-rt", r.blockedBy().id());
        assertEquals("route-table", r.blockedBy().type());
        assertTrue(r.blockedBy().reason().contains("no route to 0.0.0.0/0"), r.blockedBy().reason());
        assertEquals(1, r.alsoBlockedBy().size(), r::toString);
        assertEquals("db-acl", r.alsoBlockedBy().get(0).id());
        assertTrue(r.alsoBlockedBy().get(0).reason().contains("denied by rule 200"), r.alsoBlockedBy().get(0).reason());
        assertTrue(r.blockedBy().location().line() > 0 && r.alsoBlockedBy().get(0).location().line() > 0);
    }

    @Test
    void internetCannotReachTheAppSubnetButReachesTheWebTier() {
        NetworkModel m = example("three-tier.json");
        Result r = Reach.run(m, "internet", "net-private-a", Flow.parse("tcp/443"), null, null);
        assertFalse(r.reachable());
        assertEquals("net-private-a", r.blockedBy().id());
        assertTrue(r.blockedBy().reason().contains("mapPublicIp"), r.blockedBy().reason());
        assertEquals("net-private-rt-a", r.alsoBlockedBy().get(0).id());

        Result web = Reach.run(m, "internet", "net-public-a", Flow.parse("tcp/443"), null, "web");
        assertTrue(web.reachable(), web::toString);
        Result sshWeb = Reach.run(m, "internet", "net-public-a", Flow.parse("tcp/22"), null, "web");
        assertFalse(sshWeb.reachable());
        assertEquals("web", sshWeb.blockedBy().id());
    }

    @Test
    void appToDatabaseInsideTheVpcWithBothNaclDirections() {
        NetworkModel m = example("three-tier.json");
        Result r = Reach.run(m, "net-private-b", "db-subnet-a", Flow.parse("tcp/5432"), "app", "db");
        assertTrue(r.reachable(), r::toString);
        List<String> details = r.path().stream().filter(h -> h.id().equals("db-acl")).map(Hop::detail).toList();
        assertEquals(List.of("ingress rule 110 allows tcp/5432 from 10.20.11.0/24", "egress rule 100 allows reply tcp/32768-60999 to 10.20.11.0/24"), details);
        // From a public subnet the database NACL refuses at rule 200.
        Result pub = Reach.run(m, "net-public-a", "db-subnet-a", Flow.parse("tcp/5432"), null, null);
        assertFalse(pub.reachable());
        assertEquals("db-acl", pub.blockedBy().id());
    }

    @Test
    void peeringCarriesTrafficToThePeerVpcOnly() {
        NetworkModel m = example("peering.json");
        Result r = Reach.run(m, "app-a", "data-b", Flow.parse("tcp/5432"), null, "db");
        assertTrue(r.reachable(), r::toString);
        assertTrue(hops(r).contains("vpc-peering app-to-data"), hops(r)::toString);
        Result out = Reach.run(m, "app-a", "internet", Flow.parse("tcp/443"), null, null);
        assertFalse(out.reachable());
        assertEquals("app-rt", out.blockedBy().id());
    }

    @Test
    void badArgumentsAreRefused() {
        NetworkModel m = example("three-tier.json");
        assertThrows(IllegalArgumentException.class, () -> Reach.run(m, "net-vpc", "internet", Flow.parse("tcp/443"), null, null));
        assertThrows(IllegalArgumentException.class, () -> Reach.run(m, "net-private-a", "2001:db8::/32", Flow.parse("tcp/443"), null, null));
        assertThrows(IllegalArgumentException.class, () -> Flow.parse("tcp/99999"));
        assertThrows(IllegalArgumentException.class, () -> Flow.parse("gre/1"));
    }
}
