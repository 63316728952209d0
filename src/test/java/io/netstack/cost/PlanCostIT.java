package io.netstack.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The real CLI against moto with stacks/three-tier.json: the first plan ends with the cost of
 * what it creates (2 NAT gateways + 2 public IPv4 addresses, eu-west-1: +$77.38/month, text and
 * --json), the plan after apply costs nothing more, and a destroy plan gives it back (-$77.38).
 */
@ExtendWith(AwsApiExtension.class)
class PlanCostIT {
    static final String REGION = "eu-west-1";

    @Test
    void planShowsTheMonthlyCostChange(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("cost");
        Path f = StackFiles.copyExample(dir, "three-tier.json", name);
        Ec2Client ec2 = api.ec2(REGION);

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString());
        assertEquals(0, plan.exit(), plan.toString());
        assertTrue(plan.out().contains("Monthly cost change: +$77.38 USD (eu-west-1 list prices of "), plan.out());
        assertTrue(plan.out().contains("net-nat-a (nat-gateway)") && plan.out().contains("+$35.04"), plan.out());
        assertTrue(plan.out().contains("nat-gateway: NAT gateway data processing per GB"), "per-GB charges named: " + plan.out());
        assertEquals(0, natGateways(ec2, name), "plan created nothing");

        JsonNode json = Json.MAPPER.readTree(Cli.run(api, REGION, "plan", f.toString(), "--json").out());
        assertEquals(0, new BigDecimal("77.38").compareTo(json.path("cost").path("monthlyChange").decimalValue()), json.path("cost").toString());
        assertEquals(4, json.path("cost").path("items").size());

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertEquals(2, natGateways(ec2, name));

        JsonNode again = Json.MAPPER.readTree(Cli.run(api, REGION, "plan", f.toString(), "--json").out());
        assertEquals(0, BigDecimal.ZERO.compareTo(again.path("cost").path("monthlyChange").decimalValue()), again.toString());

        JsonNode destroy = Json.MAPPER.readTree(Cli.run(api, REGION, "plan", f.toString(), "--destroy", "--json").out());
        assertEquals(0, new BigDecimal("-77.38").compareTo(destroy.path("cost").path("monthlyChange").decimalValue()), destroy.path("cost").toString());

        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
    }

    /** The stack's live NAT gateways, ownership re-checked client-side: moto ignores the tag filter here (docs/moto-notes.md). */
    static long natGateways(Ec2Client ec2, String stack) {
        return ec2.describeNatGateways(r -> r.filter(Filter.builder().name("tag:netstack:stack").values(stack).build())).natGateways().stream()
                .filter(n -> n.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack)))
                .filter(n -> n.stateAsString().equals("available") || n.stateAsString().equals("pending"))
                .count();
    }
}
