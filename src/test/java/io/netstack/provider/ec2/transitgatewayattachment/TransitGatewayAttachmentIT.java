package io.netstack.provider.ec2.transitgatewayattachment;

import static io.netstack.testing.ItSupport.tags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.TransitGatewayVpcAttachment;

/**
 * transit-gateway-attachment round trip: create (ownership tags present although moto drops the
 * TagSpecification of CreateTransitGatewayVpcAttachment: the type tags after creation) →
 * no-change plan → subnets, appliance mode and DNS support changed in place → an attachment of an
 * owned VPC made by hand is reported by drift as unmanaged → destroy → nothing owned left. moto ignores the tag filter of DescribeTransitGatewayVpcAttachments: an attachment
 * made by hand to the same gateway must not be taken for the stack's.
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayAttachmentIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String subnets, boolean appliance, boolean dns) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw": { "type": "transit-gateway" },
                "vpc": { "type": "vpc", "cidr": "10.60.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.60.0.0/28", "zone": "eu-west-1a" },
                "b":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.60.0.16/28", "zone": "eu-west-1b" },
                "att": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}",
                         "subnets": [%s], "applianceMode": %s, "dnsSupport": %s, "tags": { "role": "spoke" } }
              } }
            """.formatted(name, subnets, appliance, dns);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("tgwatt");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"${a}\"", false, true));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        List<TransitGatewayVpcAttachment> mine = owned(ec2, name);
        assertEquals(1, mine.size());
        TransitGatewayVpcAttachment att = mine.get(0);
        Map<String, String> tags = tags(att.tags());
        assertEquals("att", tags.get("netstack:id"));
        assertEquals(name + "/att", tags.get("Name"));
        assertEquals("spoke", tags.get("role"));
        assertEquals(1, att.subnetIds().size());
        assertEquals("disable", att.options().applianceModeSupportAsString());

        // Someone else's attachment of another VPC to the same gateway: not the stack's.
        String vpc2 = ec2.createVpc(r -> r.cidrBlock("10.61.0.0/16")).vpc().vpcId();
        String sub2 = ec2.createSubnet(r -> r.vpcId(vpc2).cidrBlock("10.61.0.0/28")).subnet().subnetId();
        String handMade = ec2.createTransitGatewayVpcAttachment(r -> r.transitGatewayId(att.transitGatewayId()).vpcId(vpc2).subnetIds(sub2))
                .transitGatewayVpcAttachment().transitGatewayAttachmentId();

        Cli.Result same = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, same.exit(), same.toString());

        // In place: a second subnet (another zone), appliance mode on, DNS support off.
        StackFiles.write(dir, "s.json", stack(name, "\"${a}\", \"${b}\"", true, false));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("att", changes.get(0).get("id").asText());
        assertEquals("update", changes.get(0).get("action").asText());
        assertEquals(Set.of("subnets", "applianceMode", "dnsSupport"), Set.copyOf(changes.get(0).get("diff").findValuesAsText("path")));

        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        TransitGatewayVpcAttachment after = owned(ec2, name).get(0);
        assertEquals(att.transitGatewayAttachmentId(), after.transitGatewayAttachmentId(), "updated in place");
        assertEquals(2, after.subnetIds().size());
        assertEquals("enable", after.options().applianceModeSupportAsString());
        assertEquals("disable", after.options().dnsSupportAsString());
        Cli.Result same2 = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, same2.exit(), same2.toString());
        var other = ec2.describeTransitGatewayVpcAttachments(r -> r.transitGatewayAttachmentIds(handMade)).transitGatewayVpcAttachments();
        assertEquals(List.of(sub2), other.get(0).subnetIds(), "the attachment without netstack tags is untouched");
        // AWS refuses to delete a gateway that still has attachments: the hand-made one goes first.
        ec2.deleteTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(handMade));

        // An attachment of an owned VPC to a gateway netstack does not manage is reported by drift as unmanaged.
        String otherTgw = ec2.createTransitGateway(r -> r.description("not netstack's")).transitGateway().transitGatewayId();
        String subA = after.subnetIds().get(0);
        String stray = ec2.createTransitGatewayVpcAttachment(r -> r.transitGatewayId(otherTgw).vpcId(after.vpcId()).subnetIds(subA))
                .transitGatewayVpcAttachment().transitGatewayAttachmentId();
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString());
        assertEquals(2, drift.exit(), drift.toString());
        assertTrue(drift.out().contains(stray), drift.toString());
        ec2.deleteTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(stray));
        ec2.deleteTransitGateway(r -> r.transitGatewayId(otherTgw));

        // Two subnets of one zone are refused before any AWS call.
        StackFiles.write(dir, "bad.json", stack(name, "\"${a}\", \"${b}\"", true, false).replace("eu-west-1b", "eu-west-1a"));
        Cli.Result bad = Cli.run(api, REGION, "validate", dir.resolve("bad.json").toString());
        assertEquals(3, bad.exit(), bad.toString());
        assertTrue(bad.all().contains("one subnet per availability zone"), bad.toString());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
        ec2.deleteSubnet(r -> r.subnetId(sub2));
        ec2.deleteVpc(r -> r.vpcId(vpc2));
    }

    static List<TransitGatewayVpcAttachment> owned(Ec2Client ec2, String stack) {
        return ec2.describeTransitGatewayVpcAttachments().transitGatewayVpcAttachments().stream()
                .filter(a -> !"deleted".equals(a.stateAsString()) && !"deleting".equals(a.stateAsString()))
                .filter(a -> ItSupport.owned(a.tags(), stack))
                .toList();
    }

}
