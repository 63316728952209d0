package io.netstack.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.spi.LiveResource;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import io.netstack.testing.Cli;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CostEstimatorTest {
    static final CostEstimator SHIPPED = new CostEstimator(PriceTable.shipped());
    static final Map<String, String> PRIVATELINK_VARS = Map.of(
            "nlbArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/example/0123456789abcdef",
            "consumerAccount", "123456789012");

    static StackFile example(String name) {
        return StackLoader.load(Path.of("stacks", name), name.equals("privatelink.json") ? PRIVATELINK_VARS : Map.of());
    }

    /**
     * Every example, priced by hand from the eu-west-1 list prices (730 h): NAT $0.048/h, public
     * IPv4 $0.005/h, TGW attachment $0.05/h, interface endpoint $0.011/h per AZ, VPN $0.05/h,
     * Client VPN association $0.10/h.
     */
    @ParameterizedTest
    @CsvSource({
            "three-tier.json,    77.38,  4", // 2 × 730 × 0.048 + 2 × 730 × 0.005
            "hub-spoke-tgw.json, 109.50, 3", // 3 VPC attachments × 730 × 0.05
            "client-vpn.json,    146.00, 1", // 2 subnet associations × 730 × 0.10
            "hybrid-vpn-dx.json, 36.50,  1", // 1 VPN connection × 730 × 0.05; DX association to a VGW is free
            "privatelink.json,   16.06,  1", // interface endpoint in 2 AZs × 730 × 0.011; gateway endpoint free
            "peering.json,       0.00,   0", // peering: data transfer only
            "cdn.json,           0.00,   0", // CloudFront: requests and data transfer only
    })
    void costOfEveryExample(String file, BigDecimal monthly, int items) {
        Estimate e = SHIPPED.stack(example(file));
        assertEquals(0, monthly.compareTo(e.monthly()), file + ": " + e);
        assertEquals(items, e.items().size(), file + ": " + e.items());
        assertEquals("USD", e.currency());
    }

    @Test
    void threeTierItemsSayWhatTheyChargeFor() {
        Estimate e = SHIPPED.stack(example("three-tier.json"));
        CostItem ip = e.items().stream().filter(i -> i.id().equals("net-nat-ip-a")).findFirst().orElseThrow();
        assertEquals(new BigDecimal("3.65"), ip.monthly());
        assertEquals("730 h × $0.005/h (public IPv4, in use by net-nat-a)", ip.basis());
        CostItem nat = e.items().stream().filter(i -> i.id().equals("net-nat-b")).findFirst().orElseThrow();
        assertEquals(new BigDecimal("35.04"), nat.monthly());
        assertTrue(e.usage().stream().anyMatch(u -> u.startsWith("nat-gateway: NAT gateway data processing per GB")), e.usage().toString());
    }

    @Test
    void vpnOnATransitGatewayIsAlsoAnAttachmentAndDxToATgwToo() {
        StackFile s = StackLoader.parse("v.json", """
                {"stack":"v","region":"us-east-1","resources":{
                  "tgw":{"type":"transit-gateway"},
                  "cgw":{"type":"customer-gateway","ip":"203.0.113.10","bgpAsn":65000},
                  "vpn":{"type":"vpn-connection","customerGateway":"${cgw}","transitGateway":"${tgw}"},
                  "dxgw":{"type":"dx-gateway","amazonAsn":64512},
                  "dx":{"type":"dx-gateway-association","dxGateway":"${dxgw}","gateway":"${tgw}","allowedPrefixes":["10.0.0.0/16"]},
                  "peer":{"type":"transit-gateway-peering","transitGateway":"${tgw}","peerTransitGateway":"tgw-0123456789abcdef0","peerRegion":"eu-west-1","peerAccount":"123456789012"}}}
                """, Map.of());
        Estimate e = SHIPPED.stack(s);
        // us-east-1: VPN 36.50 + its TGW attachment 36.50 + DX attachment 36.50 + peering attachment 36.50
        assertEquals(0, new BigDecimal("146.00").compareTo(e.monthly()), e.items().toString());
        assertEquals(List.of("vpn", "vpn", "dx", "peer"), e.items().stream().map(CostItem::id).toList());
    }

    static ObjectNode props(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void planChangeAddsCreatesRemovesDeletesAndPricesUpdates() {
        List<Change> changes = List.of(
                new Change("ip", "elastic-ip", Action.CREATE, List.of(), List.of(), props("{}"), null),
                new Change("nat", "nat-gateway", Action.CREATE, List.of(), List.of(), props("{\"subnet\":\"${pub}\",\"eip\":\"${ip}\"}"), null),
                new Change("att", "transit-gateway-attachment", Action.DELETE, List.of("no longer in the stack file"), List.of(), null,
                        new LiveResource("att", "transit-gateway-attachment", "tgw-attach-1", props("{\"transitGateway\":\"tgw-1\"}"), Map.of())),
                new Change("ep", "vpc-endpoint", Action.UPDATE, List.of(), List.of(),
                        props("{\"kind\":\"interface\",\"subnets\":[\"${a}\",\"${b}\",\"${c}\"]}"),
                        new LiveResource("ep", "vpc-endpoint", "vpce-1", props("{\"kind\":\"interface\",\"subnets\":[\"subnet-1\",\"subnet-2\"]}"), Map.of())),
                new Change("vpc", "vpc", Action.CREATE, List.of(), List.of(), props("{\"cidr\":\"10.0.0.0/16\"}"), null),
                new Change("old", "nat-gateway", Action.NOOP, List.of(), List.of(), props("{}"),
                        new LiveResource("old", "nat-gateway", "nat-1", props("{}"), Map.of())));
        Plan plan = new Plan("s", "eu-west-1", "d", "f", false, changes, Map.of());
        Estimate e = SHIPPED.change(plan);
        // +3.65 (IPv4) +35.04 (NAT) -36.50 (attachment) +8.03 (a third AZ: 730 × 0.011); the NOOP NAT and the VPC change nothing
        assertEquals(List.of("ip", "nat", "att", "ep"), e.items().stream().map(CostItem::id).toList());
        assertEquals(new BigDecimal("-36.50"), e.items().get(2).monthly());
        assertTrue(e.items().get(2).basis().startsWith("deleted: "), e.items().get(2).basis());
        assertEquals(new BigDecimal("8.03"), e.items().get(3).monthly());
        assertEquals(0, new BigDecimal("10.22").compareTo(e.monthly()), e.items().toString());
        assertEquals("730 h × $0.005/h (public IPv4, in use by nat)", e.items().get(0).basis());
    }

    @Test
    void aPriceFileReplacesTheShippedTableAndMustSayItsDateAndRegions(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.json");
        StringBuilder rates = new StringBuilder();
        for (String k : PriceTable.RATES) rates.append(rates.length() == 0 ? "" : ",").append('"').append(k).append("\":").append(k.equals("natGatewayHour") ? "0.1" : "0");
        Files.writeString(f, "{\"date\":\"2030-01-01\",\"source\":\"negotiated\",\"regions\":{\"eu-west-1\":{" + rates + "}}}");
        Estimate e = new CostEstimator(PriceTable.load(f)).stack(example("three-tier.json"));
        assertEquals(0, new BigDecimal("146.00").compareTo(e.monthly()), "2 NAT × 730 × 0.1, IPv4 free: " + e.items());

        Files.writeString(f, "{\"date\":\"2030-01-01\",\"source\":\"x\",\"regions\":{\"us-east-1\":{" + rates + "}}}");
        var missing = assertThrows(IllegalArgumentException.class, () -> new CostEstimator(PriceTable.load(f)).stack(example("three-tier.json")));
        assertTrue(missing.getMessage().contains("no prices for region eu-west-1") && missing.getMessage().contains("us-east-1"), missing.getMessage());

        Files.writeString(f, "{\"source\":\"x\",\"regions\":{\"us-east-1\":{" + rates + "}}}");
        var undated = assertThrows(IllegalArgumentException.class, () -> PriceTable.load(f));
        assertTrue(undated.getMessage().startsWith(f + ": \"date\" is required"), undated.getMessage());
    }

    @Test
    void shippedTableHasItsDateSourceAndEveryRate() {
        PriceTable t = PriceTable.shipped();
        assertTrue(t.date().matches("\\d{4}-\\d{2}-\\d{2}"));
        assertTrue(t.source().contains("https://aws.amazon.com/vpc/pricing/"));
        assertEquals(new BigDecimal("0.045"), t.region("us-east-1").get("natGatewayHour"));
        assertEquals(new BigDecimal("0.005"), t.region("us-east-1").get("publicIpv4Hour"));
    }

    @Test
    void aBadPriceFileStopsPlanBeforeAwsAndAnUnpricedRegionStopsCost(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("prices.json");
        Files.writeString(bad, "{\"date\":\"2030-01-01\"}");
        // no endpoint is reachable: exit 3 proves the plan stopped before any AWS call
        Cli.Result plan = Cli.run(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), "plan", "stacks/three-tier.json", "--prices", bad.toString());
        assertEquals(3, plan.exit(), plan.all());
        assertTrue(plan.err().contains(bad + ": \"source\" is required"), plan.all());

        Path other = dir.resolve("ap.json");
        io.netstack.testing.StackFiles.copyModules(dir); // three-tier uses ./modules/vpc.json
        Files.writeString(other, Files.readString(Path.of("stacks/three-tier.json")).replace("eu-west-1", "ap-south-1"));
        Cli.Result cost = Cli.run(Map.of(), "cost", other.toString());
        assertEquals(3, cost.exit(), cost.all());
        assertTrue(cost.err().contains("no prices for region ap-south-1") && cost.err().contains("--prices FILE"), cost.all());
    }

    @Test
    void costCommandJsonHasTheDocumentedShape() throws Exception {
        Cli.Result r = Cli.run(Map.of(), "cost", "stacks/three-tier.json", "--json");
        assertEquals(0, r.exit(), r.all());
        JsonNode j = Json.MAPPER.readTree(r.out());
        assertEquals("USD", j.path("currency").asText());
        assertEquals(0, new BigDecimal("77.38").compareTo(j.path("monthly").decimalValue()), r.out());
        assertEquals(4, j.path("items").size());
        for (JsonNode i : j.path("items")) for (String k : List.of("id", "type", "monthly", "basis")) assertTrue(i.has(k), k + " in " + i);
        Cli.Result text = Cli.run(Map.of(), "cost", "stacks/three-tier.json");
        assertTrue(text.out().contains("Total: $77.38 USD/month"), text.out());
    }
}
