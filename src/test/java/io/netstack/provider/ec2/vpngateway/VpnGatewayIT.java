package io.netstack.provider.ec2.vpngateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcAttachment;
import software.amazon.awssdk.services.ec2.model.VpnGateway;

/**
 * vpn-gateway round trip against moto: created attached to a VPC → no changes → detached in place
 * (vpc removed from the file) → attached in place to another VPC → destroy detaches, then deletes.
 */
@ExtendWith(AwsApiExtension.class)
class VpnGatewayIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String vgwVpc) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc-a": { "type": "vpc", "cidr": "10.71.0.0/16" },
                "vpc-b": { "type": "vpc", "cidr": "10.72.0.0/16" },
                "vgw": { "type": "vpn-gateway", "amazonAsn": 64600 %s }
              } }
            """.formatted(name, vgwVpc == null ? "" : ", \"vpc\": \"" + vgwVpc + "\"");
    }

    @Test
    void attachDetachInPlace(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("vgw");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "${vpc-a}"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        VpnGateway vgw = owned(ec2, name).get("vgw");
        String vgwId = vgw.vpnGatewayId();
        assertEquals(64600L, vgw.amazonSideAsn());
        String vpcA = vpcId(ec2, name, "vpc-a"), vpcB = vpcId(ec2, name, "vpc-b");
        assertEquals(List.of(vpcA), attached(vgw));

        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // Detach: remove "vpc" from the block.
        StackFiles.write(dir, "s.json", stack(name, null));
        JsonNode detach = Json.MAPPER.readTree(Cli.run(api, REGION, "plan", f.toString(), "--json").out());
        assertEquals(1, detach.get("changes").size(), detach.toString());
        JsonNode c = detach.get("changes").get(0);
        assertEquals("update", c.get("action").asText());
        assertEquals("vpc", c.get("diff").get(0).get("path").asText());
        Cli.Result detached = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, detached.exit(), detached.toString());
        assertEquals(vgwId, owned(ec2, name).get("vgw").vpnGatewayId(), "in place");
        assertEquals(List.of(), attached(owned(ec2, name).get("vgw")));
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // Attach to the other VPC, in place.
        StackFiles.write(dir, "s.json", stack(name, "${vpc-b}"));
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(vgwId, owned(ec2, name).get("vgw").vpnGatewayId());
        assertEquals(List.of(vpcB), attached(owned(ec2, name).get("vgw")));
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // Out of band: detached by hand → drift.
        ec2.detachVpnGateway(r -> r.vpnGatewayId(vgwId).vpcId(vpcB));
        Cli.Result drift = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(2, drift.exit(), drift.toString());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty());
        assertTrue(ec2.describeVpcs(r -> r.filters(x -> x.name("tag:netstack:stack").values(name))).vpcs().isEmpty());
    }

    static List<String> attached(VpnGateway g) {
        return g.vpcAttachments().stream().filter(a -> "attached".equals(a.stateAsString())).map(VpcAttachment::vpcId).toList();
    }

    static String vpcId(Ec2Client ec2, String stack, String id) {
        return ec2.describeVpcs(r -> r.filters(x -> x.name("tag:netstack:stack").values(stack), x -> x.name("tag:netstack:id").values(id)))
                .vpcs().get(0).vpcId();
    }

    static Map<String, VpnGateway> owned(Ec2Client ec2, String stack) {
        return ec2.describeVpnGateways().vpnGateways().stream()
                .filter(g -> !"deleted".equals(g.stateAsString()))
                .filter(g -> g.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack)))
                .collect(Collectors.toMap(g -> g.tags().stream().filter(t -> t.key().equals("netstack:id")).findFirst().orElseThrow().value(), g -> g));
    }
}
