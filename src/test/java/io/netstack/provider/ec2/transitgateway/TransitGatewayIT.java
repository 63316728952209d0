package io.netstack.provider.ec2.transitgateway;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.TransitGateway;

/**
 * transit-gateway round trip against a real AWS API: create → no-change plan → options, ASN,
 * description and tags changed in place (one update, same gateway) → a change made by hand is
 * seen → destroy → nothing owned left.
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, long asn, boolean dns, boolean association, String description, String team) {
        return """
            { "stack": "%s", "region": "eu-west-1", "tags": { "team": "%s" },
              "resources": {
                "tgw": { "type": "transit-gateway", "amazonAsn": %d, "dnsSupport": %s,
                         "defaultRouteTableAssociation": %s, "description": "%s" }
              },
              "outputs": { "id": "${tgw}", "arn": "${tgw.arn}", "rt": "${tgw.associationDefaultRouteTableId}" } }
            """.formatted(name, team, asn, dns, association, description);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("tgw");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, 64512, true, true, "hub", "a"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        TransitGateway tgw = owned(ec2, name).get(0);
        Map<String, String> tags = tags(tgw.tags());
        assertEquals(name, tags.get("netstack:stack"));
        assertEquals("tgw", tags.get("netstack:id"));
        assertEquals(name + "/tgw", tags.get("Name"));
        assertEquals("a", tags.get("team"));
        assertEquals(64512L, tgw.options().amazonSideAsn());
        assertEquals("enable", tgw.options().dnsSupportAsString());
        assertEquals("disable", tgw.options().autoAcceptSharedAttachmentsAsString(), "AWS's default is kept");
        assertEquals("hub", tgw.description());
        assertTrue(apply.out().contains("id = " + tgw.transitGatewayId()), apply.toString());
        assertTrue(apply.out().contains("arn = " + tgw.transitGatewayArn()), apply.toString());

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());

        // In place: ASN, DNS support, default association, description, tag.
        StackFiles.write(dir, "s.json", stack(name, 4200000001L, false, false, "hub of spokes", "b"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("update", changes.get(0).get("action").asText(), changed.out());
        List<String> paths = changes.get(0).get("diff").findValuesAsText("path");
        assertTrue(paths.containsAll(List.of("amazonAsn", "dnsSupport", "defaultRouteTableAssociation", "description", "tags.team")), paths.toString());

        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        TransitGateway after = owned(ec2, name).get(0);
        assertEquals(tgw.transitGatewayId(), after.transitGatewayId(), "updated in place, not replaced");
        assertEquals(4200000001L, after.options().amazonSideAsn());
        assertEquals("disable", after.options().dnsSupportAsString());
        assertEquals("disable", after.options().defaultRouteTableAssociationAsString());
        assertEquals("hub of spokes", after.description());
        assertEquals("b", tags(after.tags()).get("team"));
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // Changed by hand: the plan brings it back.
        ec2.modifyTransitGateway(r -> r.transitGatewayId(tgw.transitGatewayId()).options(o -> o.vpnEcmpSupport("disable")));
        Cli.Result drift = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, drift.exit(), drift.toString());
        assertEquals(List.of("vpnEcmpSupport"), Json.MAPPER.readTree(drift.out()).get("changes").get(0).get("diff").findValuesAsText("path"));
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals("enable", owned(ec2, name).get(0).options().vpnEcmpSupportAsString());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
    }

    @Test
    void invalidAsnIsRejectedOffline(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", stack(api.uniqueStack("tgw"), 70000, true, true, "x", "a"));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.all().contains("70000 is not a private ASN"), r.toString());
    }

    /** Owned gateways, not deleted; tags re-checked here too (moto ignores tag-key filters on TGWs). */
    static List<TransitGateway> owned(Ec2Client ec2, String stack) {
        return ec2.describeTransitGateways().transitGateways().stream()
                .filter(t -> !"deleted".equals(t.stateAsString()) && !"deleting".equals(t.stateAsString()))
                .filter(t -> ItSupport.owned(t.tags(), stack))
                .toList();
    }

}
