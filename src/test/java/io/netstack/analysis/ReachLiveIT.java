package io.netstack.analysis;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * Issue 15 against moto with stacks/three-tier.json: {@code reach --live} answers from what AWS
 * has now. After apply, net-private-a reaches the internet on tcp/443 through net-nat-a; once the NAT route
 * of net-private-a's table is deleted by hand, {@code --live} is blocked at that table (at its block in
 * the file, saying the file's route is not in AWS) while offline reach still says reachable.
 */
@ExtendWith(AwsApiExtension.class)
class ReachLiveIT {
    static final String REGION = "eu-west-1";

    @Test
    void handDeletedRouteChangesTheLiveAnswer(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("reach");
        Path f = StackFiles.copyExample(dir, "three-tier.json", name);
        Ec2Client ec2 = api.ec2(REGION);
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        try {
            Cli.Result before = Cli.run(api, REGION, "reach", f.toString(), "--from", "net-private-a", "--to", "internet", "--port", "tcp/443",
                    "--from-sg", "app", "--live", "--json");
            assertEquals(0, before.exit(), before.toString());
            JsonNode path = Json.MAPPER.readTree(before.out()).path("path");
            // Live state read back from AWS has the file's shape: no hop (route, SG rule, NACL) is noted as differing.
            path.forEach(h -> assertTrue(!h.path("detail").asText().contains("live:"), h.toString()));
            assertTrue(path.toString().contains("\"security-group\""), "the app group's egress rule is a hop: " + path);
            List<String> hops = new java.util.ArrayList<>();
            path.forEach(h -> hops.add(h.path("type").asText() + " " + h.path("id").asText()));
            assertTrue(hops.containsAll(List.of("subnet net-private-a", "route-table net-private-rt-a", "nat-gateway net-nat-a", "internet-gateway net-igw")), hops.toString());
            JsonNode rtHop = java.util.stream.StreamSupport.stream(path.spliterator(), false)
                    .filter(h -> h.path("id").asText().equals("net-private-rt-a")).findFirst().orElseThrow();
            assertTrue(rtHop.path("line").asInt() > 0, "the live table's route points into the file: " + rtHop);
            assertTrue(!rtHop.path("detail").asText().contains("live:"), "nothing differs yet: " + rtHop);

            // By hand, as someone in the console would: delete the default route of net-private-a's table.
            RouteTable t = ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("tag:netstack:stack").values(name).build(),
                    Filter.builder().name("tag:netstack:id").values("net-private-rt-a").build())).routeTables().get(0);
            assertTrue(t.routes().stream().anyMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock()) && r.natGatewayId() != null), t.toString());
            ec2.deleteRoute(r -> r.routeTableId(t.routeTableId()).destinationCidrBlock("0.0.0.0/0"));

            Cli.Result after = Cli.run(api, REGION, "reach", f.toString(), "--from", "net-private-a", "--to", "internet", "--port", "tcp/443", "--live", "--json");
            assertEquals(2, after.exit(), after.toString());
            JsonNode blocked = Json.MAPPER.readTree(after.out()).path("blockedBy");
            assertEquals("net-private-rt-a", blocked.path("id").asText(), after.toString());
            assertEquals("route-table", blocked.path("type").asText());
            assertTrue(blocked.path("reason").asText().contains("no route to 0.0.0.0/0"), blocked.toString());
            assertTrue(blocked.path("reason").asText().contains("live: the file's route 0.0.0.0/0 → ${net-nat-a} is not in AWS"), blocked.toString());
            // the table is written in the VPC module three-tier uses: the location is the module's template
            assertTrue(blocked.path("file").asText().endsWith("modules/vpc.json") && blocked.path("line").asInt() > 0, blocked.toString());

            Cli.Result text = Cli.run(api, REGION, "reach", f.toString(), "--from", "net-private-a", "--to", "internet", "--port", "tcp/443", "--live");
            assertEquals(2, text.exit(), text.toString());
            assertTrue(text.out().contains("blocked by route-table net-private-rt-a at "), text.toString());

            Cli.Result offline = Cli.run(api, REGION, "reach", f.toString(), "--from", "net-private-a", "--to", "internet", "--port", "tcp/443");
            assertEquals(0, offline.exit(), "the file still declares the route: " + offline);
            assertTrue(offline.out().contains("reachable: net-private-a → internet tcp/443"), offline.toString());
        } finally {
            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
        }
    }
}
