package io.netstack.provider.ec2.transitgatewayroutetable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.MotoTgwProxy;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
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

/**
 * Issue 11: the gateway's default route table managed by a stack ({@code "default": true}) — taken
 * over, not created (its id is the gateway's AssociationDefaultRouteTableId); its associations,
 * propagations and a static route brought to the file (the second attachment, auto-associated and
 * auto-propagating, is moved off it); zero-change plan; removing the block gives the table back
 * untagged with its membership intact; destroy. Runs through {@link MotoTgwProxy} (moto's gaps
 * with the gateway-wide defaults and static route targets).
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayDefaultRouteTableIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, boolean withDefault) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw":   { "type": "transit-gateway" },
                "vpc-a": { "type": "vpc", "cidr": "10.72.0.0/16" },
                "sub-a": { "type": "subnet", "vpc": "${vpc-a}", "cidr": "10.72.0.0/28", "zone": "eu-west-1a" },
                "vpc-b": { "type": "vpc", "cidr": "10.73.0.0/16" },
                "sub-b": { "type": "subnet", "vpc": "${vpc-b}", "cidr": "10.73.0.0/28", "zone": "eu-west-1a" },
                "att-a": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc-a}", "subnets": ["${sub-a}"] },
                "att-b": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc-b}", "subnets": ["${sub-b}"] },
                %s
                "rt-b":  { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${att-b}"] }
              } }
            """.formatted(name, withDefault ? """
                "dflt": { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "default": true,
                          "associations": ["${att-a}"], "propagations": ["${att-a}"],
                          "routes": [{ "destination": "10.99.0.0/16", "blackhole": true }] },""" : "");
    }

    @Test
    void defaultTableTakenOverAndGivenBack(AwsApi api, @TempDir Path dir) throws Exception {
        try (MotoTgwProxy proxy = new MotoTgwProxy(api.endpoint());
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                     .build()) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            String name = api.uniqueStack("tgwdflt");
            Path f = StackFiles.write(dir, "s.json", stack(name, true));
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            TransitGateway tgw = ec2.describeTransitGateways().transitGateways().stream()
                    .filter(t -> !"deleted".equals(t.stateAsString()) && name.equals(tag(t.tags(), "netstack:stack"))).findFirst().orElseThrow();
            String dflt = tgw.options().associationDefaultRouteTableId();
            Map<String, String> tables = TransitGatewayRouteTableIT.tables(ec2, name);
            assertEquals(dflt, tables.get("dflt"), "the gateway's own default table, not a new one");
            Map<String, String> att = TransitGatewayRouteTableIT.attachments(ec2, name);
            assertEquals(Set.of(att.get("att-a")), TransitGatewayRouteTableIT.associations(ec2, dflt));
            assertEquals(Set.of(att.get("att-a")), enabledPropagations(ec2, dflt), "att-b's automatic propagation is undone");
            assertEquals(Set.of(att.get("att-b")), TransitGatewayRouteTableIT.associations(ec2, tables.get("rt-b")));
            assertEquals("blackhole", TransitGatewayRouteTableIT.routes(ec2, dflt).get("10.99.0.0/16").stateAsString());
            Cli.Result same = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, same.exit(), same.toString());

            // The block removed: the table stays with the gateway, untagged, membership intact.
            StackFiles.write(dir, "s.json", stack(name, false));
            Cli.Result release = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, release.exit(), release.toString());
            var after = ec2.describeTransitGatewayRouteTables(r -> r.transitGatewayRouteTableIds(dflt)).transitGatewayRouteTables().get(0);
            assertEquals("available", after.stateAsString());
            assertEquals(null, tag(after.tags(), "netstack:stack"));
            assertEquals(Set.of(att.get("att-a")), TransitGatewayRouteTableIT.associations(ec2, dflt));
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(TransitGatewayRouteTableIT.tables(ec2, name).isEmpty());
        }
    }

    @Test
    void defaultTableOfAGatewayWithoutOneIsRejectedOffline(AwsApi api, @TempDir Path dir) {
        String text = stack(api.uniqueStack("tgwdflt"), true)
                .replace("\"tgw\":   { \"type\": \"transit-gateway\" }",
                        "\"tgw\":   { \"type\": \"transit-gateway\", \"defaultRouteTableAssociation\": false, \"defaultRouteTablePropagation\": false }");
        Path f = StackFiles.write(dir, "s.json", text);
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.all().matches("(?s).*s\\.json:\\d+:\\d+: .*AWS makes no default route table for it.*"), r.toString());
    }

    static Set<String> enabledPropagations(Ec2Client ec2, String rtId) {
        return ec2.getTransitGatewayRouteTablePropagations(r -> r.transitGatewayRouteTableId(rtId)).transitGatewayRouteTablePropagations().stream()
                .filter(p -> "enabled".equals(p.stateAsString())).map(p -> p.transitGatewayAttachmentId()).collect(Collectors.toSet());
    }

    static String tag(java.util.List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }
}
