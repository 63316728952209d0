package io.netstack.provider.ec2.transitgatewayroutetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.MotoTgwProxy;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRoute;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTable;
import software.amazon.awssdk.services.ec2.model.TransitGatewayVpcAttachment;

/**
 * transit-gateway-route-table round trip with associations, propagations, a static route to an
 * attachment and a blackhole route, all inline: create → no-change plan → <b>moving an
 * attachment's association to another route table</b> (issue 3, Done-when 2: the two tables'
 * {@code associations} change in place, nothing else) → <b>adding a static route</b> (exactly one
 * update) → a route added by hand is seen and removed → a route's target replaced → destroy →
 * nothing owned left. The target change plans as one modified route (issue 11, bug 4).
 *
 * <p>Runs through {@link MotoTgwProxy}: moto does not return the attachment of a static route
 * (the gap this test needs covered; the proxy's other repairs — propagated routes, gateway
 * defaults — do not touch what it checks: static routes, and a gateway with both defaults off). Replacing a route's target goes
 * through ReplaceTransitGatewayRoute, which moto lacks: the type falls back to delete + create.
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayRouteTableIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String xAssoc, String yAssoc, String xRoutes, String yRoutes) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw":   { "type": "transit-gateway", "defaultRouteTableAssociation": false, "defaultRouteTablePropagation": false },
                "vpc-a": { "type": "vpc", "cidr": "10.70.0.0/16" },
                "sub-a": { "type": "subnet", "vpc": "${vpc-a}", "cidr": "10.70.0.0/28", "zone": "eu-west-1a" },
                "vpc-b": { "type": "vpc", "cidr": "10.71.0.0/16" },
                "sub-b": { "type": "subnet", "vpc": "${vpc-b}", "cidr": "10.71.0.0/28", "zone": "eu-west-1a" },
                "att-a": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc-a}", "subnets": ["${sub-a}"] },
                "att-b": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc-b}", "subnets": ["${sub-b}"] },
                "rt-x":  { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                           "associations": [%s], "propagations": ["${att-a}"], "routes": [%s] },
                "rt-y":  { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                           "associations": [%s], "propagations": ["${att-b}"], "routes": [%s] }
              } }
            """.formatted(name, xAssoc, xRoutes, yAssoc, yRoutes);
    }

    static final String X_ROUTES = """
            { "destination": "10.99.0.0/16", "blackhole": true }, { "destination": "0.0.0.0/0", "attachment": "${att-a}" }""";

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("tgwrt");
        try (MotoTgwProxy proxy = new MotoTgwProxy(api.endpoint()); Ec2Client ec2 = client(proxy)) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());

            Path f = StackFiles.write(dir, "s.json", stack(name, "\"${att-a}\", \"${att-b}\"", "", X_ROUTES, ""));
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            Map<String, String> att = attachments(ec2, name);
            Map<String, String> rt = tables(ec2, name);
            assertEquals(Set.of("rt-x", "rt-y"), rt.keySet());
            assertEquals(Set.of(att.get("att-a"), att.get("att-b")), associations(ec2, rt.get("rt-x")));
            assertEquals(Set.of(), associations(ec2, rt.get("rt-y")));
            assertEquals(Set.of(att.get("att-a")), propagations(ec2, rt.get("rt-x")));
            assertEquals(Set.of(att.get("att-b")), propagations(ec2, rt.get("rt-y")));
            Map<String, TransitGatewayRoute> routes = routes(ec2, rt.get("rt-x"));
            assertEquals("blackhole", routes.get("10.99.0.0/16").stateAsString());
            assertEquals(att.get("att-a"), routes.get("0.0.0.0/0").transitGatewayAttachments().get(0).transitGatewayAttachmentId());

            Cli.Result same = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, same.exit(), same.toString());

            // Done-when 2: move att-b's association from rt-x to rt-y, in place.
            StackFiles.write(dir, "s.json", stack(name, "\"${att-a}\"", "\"${att-b}\"", X_ROUTES, ""));
            JsonNode move = plan(env, f);
            assertEquals(2, move.size(), move.toString());
            for (JsonNode c : move) {
                assertEquals("update", c.get("action").asText(), move.toString());
                assertEquals(List.of("associations"), c.get("diff").findValuesAsText("path"), move.toString());
            }
            assertEquals(Set.of("rt-x", "rt-y"), Set.of(move.get(0).get("id").asText(), move.get(1).get("id").asText()));
            Cli.Result moved = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, moved.exit(), moved.toString());
            assertEquals(rt, tables(ec2, name), "route tables updated in place");
            assertEquals(Set.of(att.get("att-a")), associations(ec2, rt.get("rt-x")));
            assertEquals(Set.of(att.get("att-b")), associations(ec2, rt.get("rt-y")));
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            // Done-when 2: add a static route, in place: exactly one update.
            String yRoute = "{ \"destination\": \"10.70.0.0/16\", \"attachment\": \"${att-a}\" }";
            StackFiles.write(dir, "s.json", stack(name, "\"${att-a}\"", "\"${att-b}\"", X_ROUTES, yRoute));
            JsonNode add = plan(env, f);
            assertEquals(1, add.size(), add.toString());
            assertEquals("rt-y", add.get(0).get("id").asText());
            assertEquals("update", add.get(0).get("action").asText());
            assertEquals(List.of("routes"), add.get(0).get("diff").findValuesAsText("path"));
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            TransitGatewayRoute r = routes(ec2, rt.get("rt-y")).get("10.70.0.0/16");
            assertEquals("active", r.stateAsString());
            assertEquals(att.get("att-a"), r.transitGatewayAttachments().get(0).transitGatewayAttachmentId());
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            // A route added by hand is drift; apply removes it.
            ec2.createTransitGatewayRoute(b -> b.transitGatewayRouteTableId(rt.get("rt-x")).destinationCidrBlock("10.98.0.0/16").blackhole(true));
            JsonNode drift = plan(env, f);
            assertEquals(1, drift.size(), drift.toString());
            assertEquals("rt-x", drift.get(0).get("id").asText());
            assertEquals("10.98.0.0/16", drift.get(0).get("diff").get(0).get("before").get("destination").asText(), drift.toString());
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertTrue(!routes(ec2, rt.get("rt-x")).containsKey("10.98.0.0/16"));

            // A route's target replaced: 0.0.0.0/0 from att-a to a blackhole.
            String xReplaced = "{ \"destination\": \"10.99.0.0/16\", \"blackhole\": true }, { \"destination\": \"0.0.0.0/0\", \"blackhole\": true }";
            StackFiles.write(dir, "s.json", stack(name, "\"${att-a}\"", "\"${att-b}\"", xReplaced, yRoute));
            // Issue 11 bug 4: one modified route, not a removal "made outside netstack" plus an addition.
            JsonNode replace = plan(env, f);
            assertEquals(1, replace.size(), replace.toString());
            JsonNode diffs = replace.get(0).get("diff");
            assertEquals(1, diffs.size(), replace.toString());
            assertEquals("${att-a}", diffs.get(0).get("before").get("attachment").asText(), replace.toString());
            assertTrue(diffs.get(0).get("after").get("blackhole").asBoolean(), replace.toString());
            Cli.Result text = Cli.run(env, "plan", f.toString());
            assertTrue(text.out().contains("routes ~ "), text.toString());
            assertTrue(!text.out().contains("made outside netstack"), text.toString());
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertEquals("blackhole", routes(ec2, rt.get("rt-x")).get("0.0.0.0/0").stateAsString());
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(tables(ec2, name).isEmpty(), "no route table left");
            assertTrue(attachments(ec2, name).isEmpty(), "no attachment left");
            assertTrue(ec2.describeTransitGateways().transitGateways().stream()
                    .noneMatch(t -> !"deleted".equals(t.stateAsString()) && t.tags().stream().anyMatch(tg -> tg.value().equals(name))), "no gateway left");
        }
    }

    @Test
    void sameAttachmentInTwoTablesIsRejectedOffline(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", stack(api.uniqueStack("tgwrt"), "\"${att-a}\"", "\"${att-a}\"", "", ""));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.all().contains("already associated with route table rt-x"), r.toString());
        Path g = StackFiles.write(dir, "g.json", stack(api.uniqueStack("tgwrt"), "", "", "{ \"destination\": \"10.0.0.0/8\" }", ""));
        Cli.Result noTarget = Cli.run(api, REGION, "validate", g.toString());
        assertEquals(3, noTarget.exit(), noTarget.toString());
        assertTrue(noTarget.all().contains("exactly one of \"attachment\" and \"blackhole\""), noTarget.toString());
    }

    static JsonNode plan(Map<String, String> env, Path f) throws Exception {
        Cli.Result p = Cli.run(env, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, p.exit(), p.toString());
        return Json.MAPPER.readTree(p.out()).get("changes");
    }

    /** An SDK client through the proxy (so static routes come back with their attachment). */
    static Ec2Client client(MotoTgwProxy proxy) {
        return Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** netstack:id → route table id, owned by the stack and not deleted. */
    static Map<String, String> tables(Ec2Client ec2, String stack) {
        Map<String, String> out = new TreeMap<>();
        for (TransitGatewayRouteTable t : ec2.describeTransitGatewayRouteTables().transitGatewayRouteTables()) {
            Map<String, String> tags = t.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
            if (stack.equals(tags.get("netstack:stack")) && !"deleted".equals(t.stateAsString())) out.put(tags.get("netstack:id"), t.transitGatewayRouteTableId());
        }
        return out;
    }

    static Map<String, String> attachments(Ec2Client ec2, String stack) {
        Map<String, String> out = new TreeMap<>();
        for (TransitGatewayVpcAttachment a : ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments()) {
            Map<String, String> tags = a.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
            if (stack.equals(tags.get("netstack:stack")) && !"deleted".equals(a.stateAsString())) out.put(tags.get("netstack:id"), a.transitGatewayAttachmentId());
        }
        return out;
    }

    static Set<String> associations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTableAssociations(r -> r.transitGatewayRouteTableId(rtId)).associations().stream()
                .map(a -> a.transitGatewayAttachmentId()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> propagations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTablePropagations(r -> r.transitGatewayRouteTableId(rtId)).transitGatewayRouteTablePropagations().stream()
                .map(a -> a.transitGatewayAttachmentId()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<String, TransitGatewayRoute> routes(Ec2Client ec2, String rtId) {
        return ec2.searchTransitGatewayRoutes(r -> r.transitGatewayRouteTableId(rtId).filters(x -> x.name("type").values("static"))).routes().stream()
                .collect(Collectors.toMap(TransitGatewayRoute::destinationCidrBlock, x -> x));
    }
}
