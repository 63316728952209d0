package io.netstack.provider.ec2.transitgatewayattachment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TransitGateway;
import software.amazon.awssdk.services.ec2.model.TransitGatewayVpcAttachment;

/**
 * Issue 11, end to end with the CLI: per-attachment {@code defaultRouteTableAssociation} /
 * {@code defaultRouteTablePropagation} and {@code securityGroupReferencing} on the attachment,
 * {@code securityGroupReferencing} and {@code cidrBlocks} on the gateway — apply, read-back
 * (checked with the SDK), zero-change plan, in-place update, drift of an association undone by
 * hand and its repair, offline validation with {@code file:line:col}, destroy.
 *
 * <p>Runs through {@link MotoTgwProxy}, which covers moto 5.2.1's gaps here: the gateway-wide
 * defaults ignored at attachment creation, the automatic association that cannot be
 * disassociated (HTTP 500), and ModifyTransitGateway's Add/RemoveTransitGatewayCidrBlocks being
 * ignored. The SecurityGroupReferencingSupport options are moto's own behaviour.
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayAttachmentDefaultsIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String cidrBlocks, boolean assoc, boolean prop, boolean sgRef) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw": { "type": "transit-gateway", "securityGroupReferencing": true, "cidrBlocks": [%s] },
                "vpc": { "type": "vpc", "cidr": "10.62.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.62.0.0/28", "zone": "eu-west-1a" },
                "att": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${a}"],
                         "defaultRouteTableAssociation": %s, "defaultRouteTablePropagation": %s, "securityGroupReferencing": %s }
              } }
            """.formatted(name, cidrBlocks, assoc, prop, sgRef);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        try (MotoTgwProxy proxy = new MotoTgwProxy(api.endpoint());
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                     .build()) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            String name = api.uniqueStack("tgwdef");
            Path f = StackFiles.write(dir, "s.json", stack(name, "\"10.200.0.0/24\"", false, true, false));

            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            TransitGateway tgw = gateway(ec2, name);
            TransitGatewayVpcAttachment att = attachment(ec2, name);
            String dflt = tgw.options().associationDefaultRouteTableId();
            assertEquals("enable", tgw.options().securityGroupReferencingSupportAsString());
            assertEquals(List.of("10.200.0.0/24"), tgw.options().transitGatewayCidrBlocks());
            assertEquals("disable", att.options().securityGroupReferencingSupportAsString());
            assertFalse(associations(ec2, dflt).contains(att.transitGatewayAttachmentId()), "not associated with the default table");
            assertTrue(propagations(ec2, dflt).contains(att.transitGatewayAttachmentId()), "propagates to the default table");
            Cli.Result same = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, same.exit(), same.toString());

            // Everything flipped, in place; a second gateway CIDR block.
            StackFiles.write(dir, "s.json", stack(name, "\"10.200.0.0/24\", \"10.201.0.0/24\"", true, false, true));
            Cli.Result p = Cli.run(env, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, p.exit(), p.toString());
            Map<String, Set<String>> paths = new HashMap<>();
            for (JsonNode c : Json.MAPPER.readTree(p.out()).get("changes")) {
                assertEquals("update", c.get("action").asText(), p.out());
                paths.put(c.get("id").asText(), Set.copyOf(c.get("diff").findValuesAsText("path")));
            }
            assertEquals(Map.of("tgw", Set.of("cidrBlocks"), "att", Set.of("defaultRouteTableAssociation", "defaultRouteTablePropagation", "securityGroupReferencing")), paths);
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertEquals(att.transitGatewayAttachmentId(), attachment(ec2, name).transitGatewayAttachmentId(), "updated in place");
            assertEquals("enable", attachment(ec2, name).options().securityGroupReferencingSupportAsString());
            assertEquals(Set.of("10.200.0.0/24", "10.201.0.0/24"), Set.copyOf(gateway(ec2, name).options().transitGatewayCidrBlocks()));
            assertTrue(associations(ec2, dflt).contains(att.transitGatewayAttachmentId()), "associated with the default table");
            assertFalse(propagations(ec2, dflt).contains(att.transitGatewayAttachmentId()), "no longer propagates to the default table");
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            // Undone by hand: drift names it, apply puts it back.
            ec2.disassociateTransitGatewayRouteTable(r -> r.transitGatewayRouteTableId(dflt).transitGatewayAttachmentId(att.transitGatewayAttachmentId()));
            Cli.Result drift = Cli.run(env, "drift", f.toString());
            assertEquals(2, drift.exit(), drift.toString());
            assertTrue(drift.out().contains("defaultRouteTableAssociation"), drift.toString());
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertTrue(associations(ec2, dflt).contains(att.transitGatewayAttachmentId()), "associated again");

            // A gateway CIDR block removed, in place.
            StackFiles.write(dir, "s.json", stack(name, "\"10.201.0.0/24\"", true, false, true));
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertEquals(List.of("10.201.0.0/24"), gateway(ec2, name).options().transitGatewayCidrBlocks());
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments().stream()
                    .noneMatch(a -> !"deleted".equals(a.stateAsString()) && name.equals(tag(a.tags(), "netstack:stack"))), "nothing owned left");
        }
    }

    @Test
    void invalidCombinationsAreRejectedOffline(AwsApi api, @TempDir Path dir) {
        Path small = StackFiles.write(dir, "small.json", stack(api.uniqueStack("tgwdef"), "\"10.200.0.0/25\", \"169.254.0.0/24\"", false, false, true));
        Cli.Result r = Cli.run(api, REGION, "validate", small.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.all().matches("(?s).*small\\.json:\\d+:\\d+: .*10\\.200\\.0\\.0/25 is too small.*"), r.toString());
        assertTrue(r.all().contains("169.254.0.0/24 overlaps 169.254.0.0/16"), r.toString());

        String both = stack(api.uniqueStack("tgwdef"), "", true, false, true).replace("\"att\": {", """
                "rt": { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${att}"] },
                "att": {""");
        Path f = StackFiles.write(dir, "both.json", both);
        Cli.Result b = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, b.exit(), b.toString());
        assertTrue(b.all().matches("(?s).*both\\.json:\\d+:\\d+: .*listed in the associations of route table rt.*"), b.toString());
    }

    static TransitGateway gateway(Ec2Client ec2, String stack) {
        return ec2.describeTransitGateways().transitGateways().stream()
                .filter(t -> !"deleted".equals(t.stateAsString()) && stack.equals(tag(t.tags(), "netstack:stack"))).findFirst().orElseThrow();
    }

    static TransitGatewayVpcAttachment attachment(Ec2Client ec2, String stack) {
        return ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments().stream()
                .filter(a -> !"deleted".equals(a.stateAsString()) && stack.equals(tag(a.tags(), "netstack:stack"))).findFirst().orElseThrow();
    }

    static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    static Set<String> associations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTableAssociations(r -> r.transitGatewayRouteTableId(rtId)).associations().stream()
                .map(a -> a.transitGatewayAttachmentId()).collect(Collectors.toSet());
    }

    static Set<String> propagations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTablePropagations(r -> r.transitGatewayRouteTableId(rtId)).transitGatewayRouteTablePropagations().stream()
                .filter(p -> "enabled".equals(p.stateAsString())).map(p -> p.transitGatewayAttachmentId()).collect(Collectors.toSet());
    }
}
