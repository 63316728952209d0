package io.netstack.provider.ec2.natgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.DependencyGraph;
import io.netstack.engine.ExecutionOrder;
import io.netstack.engine.Json;
import io.netstack.engine.LiveState;
import io.netstack.engine.Plan;
import io.netstack.engine.Planner;
import io.netstack.engine.References;
import io.netstack.engine.Step;
import io.netstack.engine.Validator;
import io.netstack.provider.ec2.TestTypes;
import io.netstack.provider.ec2.elasticip.ElasticIpType;
import io.netstack.provider.ec2.internetgateway.InternetGatewayType;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceView;
import io.netstack.spi.StackView;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hidden ordering rules of NAT gateways and their Elastic IPs (docs/DESIGN.md principle 5) and the
 * NAT gateway's offline validation. No AWS: dependency rules run on ResourceView/StackView, the
 * destroy order on a hand-made live state through the real planner and step graph.
 */
class NatGatewayRulesTest {
    @RegisterExtension
    static final TestTypes types = new TestTypes();
    static final NatGatewayType nat = types.type(NatGatewayType.TYPE);
    static final ElasticIpType eip = types.type("elastic-ip");

    static ResourceView view(String id, String type, String json) {
        try {
            return new ResourceView(id, type, (ObjectNode) Json.MAPPER.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Two VPCs, each with an IGW and a subnet; EIPs and NATs vary per test. */
    static StackView stack(ResourceView... more) {
        List<ResourceView> all = new java.util.ArrayList<>(List.of(
                view("vpc", "vpc", "{\"cidr\":\"10.0.0.0/16\"}"),
                view("other-vpc", "vpc", "{\"cidr\":\"10.1.0.0/16\"}"),
                view("igw", "internet-gateway", "{\"vpc\":\"${vpc}\"}"),
                view("other-igw", "internet-gateway", "{\"vpc\":\"${other-vpc}\"}"),
                view("public-a", "subnet", "{\"vpc\":\"${vpc}\",\"cidr\":\"10.0.0.0/24\"}"),
                view("other-a", "subnet", "{\"vpc\":\"${other-vpc}\",\"cidr\":\"10.1.0.0/24\"}"),
                view("ip", "elastic-ip", "{}")));
        all.addAll(List.of(more));
        return References.view(all);
    }

    @Test
    void publicNatComesAfterTheInternetGatewayOfItsSubnetsVpc() {
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"${public-a}\",\"eip\":\"${ip}\"}");
        StackView s = stack(n);
        assertEquals(Set.of("igw"), nat.implicitDependencies(n, s), "connectivity omitted means public");
        ResourceView explicit = view("nat", "nat-gateway", "{\"subnet\":\"${other-a}\",\"connectivity\":\"public\",\"eip\":\"${ip}\"}");
        assertEquals(Set.of("other-igw"), nat.implicitDependencies(explicit, stack(explicit)));
    }

    @Test
    void privateNatHasNoImplicitDependency() {
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"${public-a}\",\"connectivity\":\"private\"}");
        assertEquals(Set.of(), nat.implicitDependencies(n, stack(n)));
    }

    @Test
    void natInASubnetOutsideTheStackHasNoImplicitDependency() {
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"subnet-0abc\",\"eip\":\"${ip}\"}");
        assertEquals(Set.of(), nat.implicitDependencies(n, stack(n)), "the VPC of a literal subnet id is not known offline");
    }

    @Test
    void literalVpcIdsMatchToo() {
        ResourceView vpcSubnet = view("lit-a", "subnet", "{\"vpc\":\"vpc-0abc\",\"cidr\":\"10.9.0.0/24\"}");
        ResourceView igw = view("lit-igw", "internet-gateway", "{\"vpc\":\"vpc-0abc\"}");
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"${lit-a}\",\"eip\":\"${ip}\"}");
        assertEquals(Set.of("lit-igw"), nat.implicitDependencies(n, stack(vpcSubnet, igw, n)));
    }

    @Test
    void detachedInternetGatewayIsNotADependency() {
        ResourceView detached = view("spare-igw", "internet-gateway", "{\"vpc\":\"" + InternetGatewayType.DETACHED + "\"}");
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"${public-a}\",\"eip\":\"${ip}\"}");
        assertEquals(Set.of("igw"), nat.implicitDependencies(n, stack(detached, n)));
    }

    @Test
    void eipOfAPublicNatComesAfterThatNatsInternetGateway() {
        ResourceView ip = view("ip", "elastic-ip", "{}");
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"${public-a}\",\"eip\":\"${ip}\"}");
        assertEquals(Set.of("igw"), eip.implicitDependencies(ip, stack(n)));
    }

    @Test
    void eipNotUsedByANatHasNoImplicitDependency() {
        ResourceView ip = view("ip", "elastic-ip", "{}");
        ResourceView n = view("nat", "nat-gateway", "{\"subnet\":\"${public-a}\",\"eip\":\"${other-ip}\"}");
        assertEquals(Set.of(), eip.implicitDependencies(ip, stack(n, view("other-ip", "elastic-ip", "{}"))));
        assertEquals(Set.of(), eip.implicitDependencies(ip, stack()));
    }

    // ---- through the planner and the step graph

    static final String STACK = """
        { "stack": "natrules", "region": "eu-west-1",
          "resources": {
            "vpc":      { "type": "vpc", "cidr": "10.0.0.0/16" },
            "igw":      { "type": "internet-gateway", "vpc": "${vpc}" },
            "public-a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.0.0/24", "zone": "eu-west-1a" },
            "nat-ip":   { "type": "elastic-ip" },
            "nat-a":    { "type": "nat-gateway", "subnet": "${public-a}", "eip": "${nat-ip}" }
          } }
        """;

    static LiveResource live(String id, String type, String awsId, String props) {
        try {
            return new LiveResource(id, type, awsId, (ObjectNode) Json.MAPPER.readTree(props), Map.of());
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Step step(DependencyGraph<Step> g, String id, Step.Phase phase) {
        return g.nodes().stream().filter(s -> s.change().id().equals(id) && s.phase() == phase).findFirst()
                .orElseThrow(() -> new AssertionError("no " + phase + " step for " + id + " in " + g.nodes()));
    }

    @Test
    void applyCreatesTheInternetGatewayBeforeTheNatAndItsEip() {
        StackFile s = StackLoader.parse("natrules.json", STACK, Map.of());
        new Validator(types).validate(s);
        Plan plan = new Planner(types).plan(s, new LiveState(List.of()), false);
        DependencyGraph<Step> g = ExecutionOrder.graph(plan.changes(), types);
        Step igw = step(g, "igw", Step.Phase.CREATE);
        assertTrue(g.hasPath(igw, step(g, "nat-a", Step.Phase.CREATE)));
        assertTrue(g.hasPath(igw, step(g, "nat-ip", Step.Phase.CREATE)));
        assertTrue(g.hasPath(step(g, "nat-ip", Step.Phase.CREATE), step(g, "nat-a", Step.Phase.CREATE)));
    }

    @Test
    void destroyRemovesNatThenReleasesEipThenDetachesInternetGateway() {
        StackFile s = StackLoader.parse("natrules.json", STACK, Map.of());
        LiveState live = new LiveState(List.of(
                live("vpc", "vpc", "vpc-1", "{\"cidr\":\"10.0.0.0/16\"}"),
                live("igw", "internet-gateway", "igw-1", "{\"vpc\":\"vpc-1\"}"),
                live("public-a", "subnet", "subnet-1", "{\"vpc\":\"vpc-1\",\"cidr\":\"10.0.0.0/24\",\"zone\":\"eu-west-1a\"}"),
                live("nat-ip", "elastic-ip", "eipalloc-1", "{}"),
                live("nat-a", "nat-gateway", "nat-1", "{\"subnet\":\"subnet-1\",\"connectivity\":\"public\",\"eip\":\"eipalloc-1\"}")));
        Plan plan = new Planner(types).plan(s, live, true);
        assertTrue(plan.changes().stream().allMatch(c -> c.action() == Action.DELETE));
        DependencyGraph<Step> g = ExecutionOrder.graph(plan.changes(), types);
        Step natDel = step(g, "nat-a", Step.Phase.DELETE), eipDel = step(g, "nat-ip", Step.Phase.DELETE), igwDel = step(g, "igw", Step.Phase.DELETE);
        assertTrue(g.hasPath(natDel, eipDel), "the EIP is released after its NAT gateway is deleted");
        assertTrue(g.hasPath(eipDel, igwDel), "the IGW is detached only after the VPC's public addresses are released");
        assertTrue(g.hasPath(natDel, igwDel));
        assertTrue(g.hasPath(igwDel, step(g, "vpc", Step.Phase.DELETE)));
        List<String> order = plan.changes().stream().map(Change::id).toList();
        assertTrue(order.indexOf("nat-ip") < order.indexOf("igw"), order.toString());
    }

    @Test
    void privateNatAndUnusedEipDoNotWaitForTheInternetGateway() {
        // An EIP that no NAT uses is free of the rule: it may go at once on destroy.
        StackFile s = StackLoader.parse("natrules.json", STACK.replace("\"eip\": \"${nat-ip}\"", "\"connectivity\": \"private\"")
                .replace("\"nat-ip\":   { \"type\": \"elastic-ip\" },", "\"nat-ip\":   { \"type\": \"elastic-ip\" }, \"spare-ip\": { \"type\": \"elastic-ip\" },"), Map.of());
        new Validator(types).validate(s);
        Plan plan = new Planner(types).plan(s, new LiveState(List.of()), false);
        DependencyGraph<Step> g = ExecutionOrder.graph(plan.changes(), types);
        assertFalse(g.hasPath(step(g, "igw", Step.Phase.CREATE), step(g, "nat-a", Step.Phase.CREATE)), "a private NAT does not wait for the IGW");
        assertFalse(g.hasPath(step(g, "igw", Step.Phase.CREATE), step(g, "spare-ip", Step.Phase.CREATE)));
    }

    // ---- validation

    /** The line of the first block after the four fixed ones in {@link #errors}. */
    static final int NAT_LINE = 7;

    static List<StackError> errors(String resources) {
        String text = "{ \"stack\": \"natval\", \"region\": \"eu-west-1\",\n  \"resources\": {\n"
                + "    \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" },\n"
                + "    \"igw\": { \"type\": \"internet-gateway\", \"vpc\": \"${vpc}\" },\n"
                + "    \"public-a\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.0.0/24\", \"zone\": \"eu-west-1a\" },\n"
                + "    \"ip\": { \"type\": \"elastic-ip\" },\n"
                + resources + "\n  } }\n";
        StackFile s = StackLoader.parse("natval.json", text, Map.of());
        StackException e = assertThrows(StackException.class, () -> new Validator(types).validate(s));
        return e.errors();
    }

    @Test
    void publicNatWithoutEipIsAnErrorAtTheBlock() {
        List<StackError> errs = errors("    \"nat\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\" }");
        assertEquals(1, errs.size(), errs.toString());
        assertTrue(errs.get(0).message().startsWith("nat: public NAT gateway needs an eip"), errs.get(0).message());
        assertEquals(NAT_LINE, errs.get(0).location().line());
        assertEquals(12, errs.get(0).location().column(), "at the block's opening brace");
    }

    @Test
    void explicitPublicNatWithoutEipIsAnErrorToo() {
        List<StackError> errs = errors("    \"nat\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\", \"connectivity\": \"public\" }");
        assertEquals(1, errs.size(), errs.toString());
        assertTrue(errs.get(0).message().contains("public NAT gateway needs an eip"));
    }

    @Test
    void privateNatWithEipIsAnErrorAtEip() {
        String block = "    \"nat\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\", \"connectivity\": \"private\", \"eip\": \"${ip}\" }";
        List<StackError> errs = errors(block);
        assertEquals(1, errs.size(), errs.toString());
        assertTrue(errs.get(0).message().startsWith("nat: a private NAT gateway has no Elastic IP"), errs.get(0).message());
        assertEquals(NAT_LINE, errs.get(0).location().line());
        assertEquals(block.indexOf("\"${ip}\"") + 1, errs.get(0).location().column(), "at the eip value");
    }

    @Test
    void oneEipForTwoNatsIsAnErrorOnTheSecond() {
        List<StackError> errs = errors("    \"nat-a\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\", \"eip\": \"${ip}\" },\n"
                + "    \"nat-b\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\", \"eip\": \"${ip}\" }");
        assertEquals(1, errs.size(), errs.toString());
        assertEquals("nat-b: ${ip} is already the address of nat-gateway nat-a", errs.get(0).message());
        assertEquals(NAT_LINE + 1, errs.get(0).location().line());
    }

    @Test
    void eipMustReferenceAnElasticIp() {
        List<StackError> errs = errors("    \"nat\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\", \"eip\": \"${igw}\" }");
        assertEquals(1, errs.size(), errs.toString());
        assertTrue(errs.get(0).message().contains("${igw} is a internet-gateway, expected elastic-ip"), errs.get(0).message());
    }

    @Test
    void validNatsPassWithoutWarnings() {
        String text = STACK.replace("\"nat-a\":", "\"nat-p\": { \"type\": \"nat-gateway\", \"subnet\": \"${public-a}\", \"connectivity\": \"private\" },\n    \"nat-a\":");
        Validator.Result r = new Validator(types).validate(StackLoader.parse("ok.json", text, Map.of()));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void publicNatInAVpcWithoutInternetGatewayIsAWarning() {
        String text = STACK.replace("\"igw\":      { \"type\": \"internet-gateway\", \"vpc\": \"${vpc}\" },", "");
        Validator.Result r = new Validator(types).validate(StackLoader.parse("noigw.json", text, Map.of()));
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).message().contains("no internet-gateway of this stack is attached to ${vpc}"), r.warnings().get(0).message());
    }
}
