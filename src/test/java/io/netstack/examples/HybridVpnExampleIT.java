package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.provider.ec2.vpnconnection.NetstackJar;
import io.netstack.provider.ec2.vpnconnection.VpnGapsProxy;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Issue 4, Done-when 1, VPN part: stacks/hybrid-vpn-dx.json (VPC, VPN gateway, customer gateway,
 * VPN connection with static routes and a PSK from ${env.VPN_PSK}, VGW route propagation) applies,
 * plans zero changes and destroys to nothing owned — run by the real netstack.jar (the PSK comes
 * from its environment) against moto behind {@link VpnGapsProxy} (moto lacks VPN connection routes
 * and options and VGW route propagation). The Direct Connect resources of the file are another
 * test's (they need a Direct Connect fake): this test keeps only the VPN part's types. While the
 * route-table type is not registered yet, its block is left out too, and the test says so.
 */
@ExtendWith(AwsApiExtension.class)
class HybridVpnExampleIT {
    static final String REGION = "eu-west-1";
    static final Set<String> VPN_PART = Set.of("vpc", "subnet", "vpn-gateway", "customer-gateway", "vpn-connection", "route-table");

    @Test
    void vpnPartAppliesPlansZeroDestroys(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("hybrid-example");
        Path f = vpnPart(StackFiles.copyExample(dir, "hybrid-vpn-dx.json", name));
        try (VpnGapsProxy proxy = VpnGapsProxy.start(api.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            env.put("VPN_PSK", "example.Psk_" + Long.toHexString(System.nanoTime()));

            Cli.Result apply = NetstackJar.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            assertTrue(apply.out().contains("tunnel1Address = 198.51.100."), apply.out());
            assertEquals(2, proxy.requests("CreateVpnConnectionRoute").size());
            if (Files.readString(f).contains("\"route-table\"")) {
                var enable = proxy.requests("EnableVgwRoutePropagation");
                assertEquals(1, enable.size(), "propagateFrom of the route table");
                assertTrue(enable.get(0).get("GatewayId").startsWith("vgw-"), enable.toString());
            }

            Cli.Result plan = NetstackJar.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());

            Cli.Result destroy = NetstackJar.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
        }
        Ec2Client ec2 = api.ec2(REGION);
        Filter mine = Filter.builder().name("tag:netstack:stack").values(name).build();
        assertTrue(ec2.describeVpcs(r -> r.filters(mine)).vpcs().isEmpty());
        assertTrue(ec2.describeSubnets(r -> r.filters(mine)).subnets().isEmpty());
        assertTrue(ec2.describeRouteTables(r -> r.filters(mine)).routeTables().isEmpty());
        assertTrue(ec2.describeVpnGateways(r -> r.filters(mine)).vpnGateways().stream().allMatch(g -> "deleted".equals(g.stateAsString())));
        assertTrue(ec2.describeVpnConnections(r -> r.filters(mine)).vpnConnections().stream().allMatch(c -> "deleted".equals(c.stateAsString())));
        // moto ignores tag filters on DescribeCustomerGateways: check the tags here
        assertTrue(ec2.describeCustomerGateways().customerGateways().stream()
                .filter(g -> g.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(name)))
                .allMatch(g -> "deleted".equals(g.state())));
    }

    /** The example with only the VPN part's resources (and outputs that name them). */
    static Path vpnPart(Path example) throws Exception {
        ObjectNode root = (ObjectNode) Json.MAPPER.readTree(example.toFile());
        Set<String> registered;
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            registered = new java.util.HashSet<>();
            for (String t : VPN_PART) if (ns.provider(REGION).find(t).isPresent()) registered.add(t);
        }
        ObjectNode resources = (ObjectNode) root.get("resources");
        List<String> dropped = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            String type = e.getValue().path("type").asText();
            if (!registered.contains(type)) dropped.add(e.getKey() + " (" + type + ")");
        });
        for (String d : dropped) resources.remove(d.substring(0, d.indexOf(' ')));
        Set<String> missing = new java.util.TreeSet<>(VPN_PART);
        missing.removeAll(registered);
        assertTrue(Set.of("route-table").containsAll(missing), "VPN part types not registered: " + missing);
        if (!missing.isEmpty()) System.err.println("[HybridVpnExampleIT] not registered yet, left out: " + missing + "; dropped " + dropped);
        JsonNode outputs = root.get("outputs");
        if (outputs instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String target = o.get(n).asText().replaceAll("^\\$\\{([^.}]+).*$", "$1");
                if (!resources.has(target)) o.remove(n);
            }
        }
        return StackFiles.write(example.getParent(), "hybrid-vpn.json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /**
     * The whole file, Direct Connect included: DX calls go to the in-process Direct Connect fake
     * (moto has no DX gateways, associations or virtual interfaces), VPN gaps to VpnGapsProxy,
     * everything else to moto.
     */
    @Test
    void wholeFileWithDirectConnectThroughTheFake(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("hybrid-dx");
        Path f = StackFiles.copyExample(dir, "hybrid-vpn-dx.json", name);
        try (VpnGapsProxy proxy = VpnGapsProxy.start(api.endpoint());
             io.netstack.testing.fake.FakeAwsServer fake = io.netstack.testing.fake.FakeAwsServer.start(proxy.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", fake.endpoint().toString());
            env.put("VPN_PSK", "example.Psk_" + Long.toHexString(System.nanoTime()));
            String bgpKey = "bgpKey" + Long.toHexString(System.nanoTime());
            env.put("DX_BGP_AUTH_KEY", bgpKey);

            Cli.Result apply = NetstackJar.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            assertEquals(1, fake.requests("CreateDirectConnectGateway").size());
            assertEquals(1, fake.requests("CreateDirectConnectGatewayAssociation").size());
            assertEquals(1, fake.requests("CreatePrivateVirtualInterface").size());
            assertTrue(!apply.all().contains(bgpKey), "the BGP auth key is never printed");

            Cli.Result plan = NetstackJar.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());

            Cli.Result destroy = NetstackJar.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(fake.directConnect().virtualInterfaces().isEmpty(),
                    "the virtual interface is gone: " + fake.directConnect().virtualInterfaces());
        }
    }
}
