package io.netstack.provider.ec2.transitgatewayattachmentacceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.MotoTgwProxy;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The hub accepts a spoke account's attachment to its shared gateway and associates it with its own
 * route table, in one apply, through {@link SharedAttachmentProxy} (moto 5.2.1 has no
 * AcceptTransitGatewayVpcAttachment and never shows a shared gateway to another account; the proxy
 * shows the hub a spoke's attachment as AWS would, pendingAcceptance first) chained to
 * {@link MotoTgwProxy} (moto's automatic default-table association).
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayAttachmentAcceptanceIT {
    static final String REGION = "eu-west-1";
    static final String SPOKE_ACCOUNT = "333333333333";

    static String hub(String name, String extra) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw": { "type": "transit-gateway", "defaultRouteTableAssociation": false, "defaultRouteTablePropagation": false } %s
              } }
            """.formatted(name, extra);
    }

    static String acceptance(String attachment, String tags) {
        return """
            , "accept": { "type": "transit-gateway-attachment-acceptance", "attachment": "%s", "tags": %s },
              "spokes": { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                          "associations": ["${accept}"], "propagations": ["${accept}"] }
            """.formatted(attachment, tags);
    }

    @Test
    void theHubAcceptsAndAssociatesASpokesAttachment(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "the proxy covers moto's gaps");
        try (MotoTgwProxy tgwProxy = new MotoTgwProxy(api.endpoint());
             SharedAttachmentProxy proxy = new SharedAttachmentProxy(tgwProxy.endpoint(), 2);
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                     .build()) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            String name = api.uniqueStack("tgw-accept");
            Path f = StackFiles.write(dir, "hub.json", hub(name, ""));
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            String tgwId = ec2.describeTransitGateways().transitGateways().stream().filter(t -> ItSupport.owned(t.tags(), name))
                    .findFirst().orElseThrow().transitGatewayId();

            // The spoke's side (its own stack in its own account on AWS), seen by the hub through the proxy.
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.81.0.0/16")).vpc().vpcId();
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.81.1.0/24")).subnet().subnetId();
            String att = ec2.createTransitGatewayVpcAttachment(r -> r.transitGatewayId(tgwId).vpcId(vpc).subnetIds(subnet))
                    .transitGatewayVpcAttachment().transitGatewayAttachmentId();
            proxy.foreign(att, SPOKE_ACCOUNT);

            StackFiles.write(dir, "hub.json", hub(name, acceptance(att, "{ \"spoke\": \"one\" }")));
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            assertEquals(List.of(att), proxy.accepted(), "accepted once");
            String rt = ec2.describeTransitGatewayRouteTables().transitGatewayRouteTables().stream().filter(t -> ItSupport.owned(t.tags(), name))
                    .findFirst().orElseThrow().transitGatewayRouteTableId();
            assertTrue(ec2.getTransitGatewayRouteTableAssociations(r -> r.transitGatewayRouteTableId(rt)).associations().stream()
                    .anyMatch(a -> att.equals(a.transitGatewayAttachmentId())), "associated after the accept (the proxy refuses it before)");
            assertTrue(ec2.getTransitGatewayRouteTablePropagations(r -> r.transitGatewayRouteTableId(rt)).transitGatewayRouteTablePropagations().stream()
                    .anyMatch(p -> att.equals(p.transitGatewayAttachmentId())), "propagating");
            Map<String, String> tags = tags(ec2, att);
            assertEquals(name, tags.get("netstack:stack"));
            assertEquals("accept", tags.get("netstack:id"));
            assertEquals("accepter", tags.get("netstack:role"));
            assertEquals("one", tags.get("spoke"));

            Cli.Result same = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, same.exit(), same.toString());
            Cli.Result out = Cli.run(env, "output", f.toString());
            assertEquals(0, out.exit(), out.toString());

            // Tags in place: exactly one update.
            StackFiles.write(dir, "hub.json", hub(name, acceptance(att, "{ \"spoke\": \"two\" }")));
            Cli.Result changed = Cli.run(env, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, changed.exit(), changed.toString());
            JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
            assertEquals(1, changes.size(), changed.out());
            assertEquals("update", changes.get(0).get("action").asText());
            assertEquals(0, Cli.run(env, "apply", f.toString(), "--auto-approve").exit());
            assertEquals("two", tags(ec2, att).get("spoke"));
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());

            // Removing the acceptance releases the hub's view; the attachment stays the spoke's.
            StackFiles.write(dir, "hub.json", hub(name, ""));
            Cli.Result removed = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, removed.exit(), removed.toString());
            assertTrue(tags(ec2, att).isEmpty(), tags(ec2, att).toString());
            assertTrue(ec2.describeTransitGatewayVpcAttachments(r -> r.transitGatewayAttachmentIds(att)).transitGatewayVpcAttachments().stream()
                    .anyMatch(a -> "available".equals(a.stateAsString())), "not deleted");

            ec2.deleteTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(att));
            assertEquals(0, Cli.run(env, "destroy", f.toString(), "--auto-approve").exit());
            ec2.deleteSubnet(r -> r.subnetId(subnet));
            ec2.deleteVpc(r -> r.vpcId(vpc));
        }
    }

    @Test
    void anAttachmentOfThisAccountIsNotAcceptedOrTagged(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "the proxy covers moto's gaps");
        try (SharedAttachmentProxy proxy = new SharedAttachmentProxy(api.endpoint(), 0);
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                     .build()) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            String tgw = ec2.createTransitGateway(r -> r.description("own")).transitGateway().transitGatewayId();
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.82.0.0/16")).vpc().vpcId();
            String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.82.1.0/24")).subnet().subnetId();
            String att = ec2.createTransitGatewayVpcAttachment(r -> r.transitGatewayId(tgw).vpcId(vpc).subnetIds(subnet))
                    .transitGatewayVpcAttachment().transitGatewayAttachmentId();
            String name = api.uniqueStack("tgw-accept-own");
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": { "accept": { "type": "transit-gateway-attachment-acceptance", "attachment": "%s" } } }
                """.formatted(name, att));
            Cli.Result r = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.all().contains("there is nothing to accept"), r.toString());
            assertTrue(proxy.accepted().isEmpty());
            assertTrue(tags(ec2, att).isEmpty(), "not claimed");
            ec2.deleteTransitGatewayVpcAttachment(x -> x.transitGatewayAttachmentId(att));
            ec2.deleteSubnet(x -> x.subnetId(subnet));
            ec2.deleteVpc(x -> x.vpcId(vpc));
            ec2.deleteTransitGateway(x -> x.transitGatewayId(tgw));
        }
    }

    /** The spoke's side: its create ends at pendingAcceptance (no failure), and plans zero once the hub accepted. */
    @Test
    void theSpokesAttachmentCreateEndsAtPendingAcceptance(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "the proxy covers moto's gaps");
        try (SharedAttachmentProxy proxy = new SharedAttachmentProxy(api.endpoint(), 0);
             Ec2Client ec2 = Ec2Client.builder().endpointOverride(proxy.endpoint()).region(Region.of(REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                     .build()) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            String sharedTgw = ec2.createTransitGateway(r -> r.description("the hub's, shared")).transitGateway().transitGatewayId();
            proxy.foreignOnCreate(SPOKE_ACCOUNT);
            String name = api.uniqueStack("tgw-spoke");
            Path f = StackFiles.write(dir, "spoke.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "vpc": { "type": "vpc", "cidr": "10.83.0.0/16" },
                    "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.83.1.0/24", "zone": "eu-west-1a" },
                    "att": { "type": "transit-gateway-attachment", "transitGateway": "%s", "vpc": "${vpc}", "subnets": ["${a}"] }
                  } }
                """.formatted(name, sharedTgw));
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            String att = ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments().stream()
                    .filter(a -> a.transitGatewayId().equals(sharedTgw)).findFirst().orElseThrow().transitGatewayAttachmentId();
            assertEquals("pendingAcceptance", ec2.describeTransitGatewayAttachments(r -> r.transitGatewayAttachmentIds(att))
                    .transitGatewayAttachments().get(0).stateAsString());
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit(), "waiting for the hub is no change");

            ec2.acceptTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(att)); // the hub's acceptance, for this test
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit());
            assertEquals(0, Cli.run(env, "destroy", f.toString(), "--auto-approve").exit());
            ec2.deleteTransitGateway(r -> r.transitGatewayId(sharedTgw));
        }
    }

    static Map<String, String> tags(Ec2Client ec2, String id) {
        return ec2.describeTags(r -> r.filters(f -> f.name("resource-id").values(id))).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }
}
