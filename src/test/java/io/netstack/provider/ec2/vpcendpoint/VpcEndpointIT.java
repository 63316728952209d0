package io.netstack.provider.ec2.vpcendpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * vpc-endpoint round trip against moto: an interface endpoint (subnets, security group, policy)
 * and an S3 gateway endpoint on a route table, in a VPC netstack does not own; no-change plan;
 * adding a subnet to the interface endpoint is exactly one in-place update (issue 3, Done-when 2);
 * policy changes in place and compares as JSON; a route table removed by hand is put back;
 * destroy leaves nothing owned.
 */
@ExtendWith(AwsApiExtension.class)
class VpcEndpointIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String vpc, String rtb, String subnets, String action) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "a":  { "type": "subnet", "vpc": "%s", "cidr": "10.71.1.0/24", "zone": "eu-west-1a" },
                "b":  { "type": "subnet", "vpc": "%s", "cidr": "10.71.2.0/24", "zone": "eu-west-1b" },
                "sg": { "type": "security-group", "vpc": "%s", "description": "endpoint",
                        "ingress": [ { "protocol": "tcp", "ports": "443", "from": "10.71.0.0/16" } ] },
                "ssm": { "type": "vpc-endpoint", "vpc": "%s", "service": "ssm", "kind": "interface",
                         "subnets": [%s], "securityGroups": ["${sg}"],
                         "policy": { "Statement": { "Effect": "Allow", "Principal": "*", "Action": "%s", "Resource": "*" } } },
                "s3":  { "type": "vpc-endpoint", "vpc": "%s", "service": "com.amazonaws.eu-west-1.s3", "routeTables": ["%s"],
                         "tags": { "purpose": "s3" } }
              },
              "outputs": { "ssmDns": "${ssm.dnsName}", "s3Name": "${s3.serviceName}" } }
            """.formatted(name, vpc, vpc, vpc, vpc, subnets, action, vpc, rtb);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("endpoint");
        Ec2Client ec2 = api.ec2(REGION);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.71.0.0/16")).vpc().vpcId();
        String rtb = ec2.describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(vpc), f -> f.name("association.main").values("true")))
                .routeTables().get(0).routeTableId();
        try {
            Path f = StackFiles.write(dir, "s.json", stack(name, vpc, rtb, "\"${a}\"", "ssm:*"));
            Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            assertTrue(apply.out().contains("s3Name = com.amazonaws.eu-west-1.s3"), apply.toString());

            Map<String, VpcEndpoint> eps = owned(ec2, name);
            VpcEndpoint ssm = eps.get("ssm"), s3 = eps.get("s3");
            assertEquals("com.amazonaws.eu-west-1.ssm", ssm.serviceName(), "short name resolved for the stack's region");
            assertEquals("Interface", ssm.vpcEndpointTypeAsString());
            assertEquals(1, ssm.subnetIds().size());
            assertEquals(1, ssm.groups().size());
            assertFalse(ssm.privateDnsEnabled(), "privateDns defaults to false");
            assertTrue(ssm.policyDocument().contains("ssm:*"));
            assertTrue(apply.out().contains("ssmDns = " + ssm.dnsEntries().get(0).dnsName()), apply.toString());
            assertEquals("Gateway", s3.vpcEndpointTypeAsString(), "kind defaults to gateway");
            assertEquals(List.of(rtb), s3.routeTableIds());
            assertTrue(s3.tags().stream().anyMatch(t -> t.key().equals("purpose")));

            Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());

            // Done-when 2: adding a subnet to an interface endpoint is one in-place update.
            StackFiles.write(dir, "s.json", stack(name, vpc, rtb, "\"${a}\", \"${b}\"", "ssm:*"));
            Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, changed.exit(), changed.toString());
            JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
            assertEquals(1, changes.size(), changed.out());
            assertEquals("ssm", changes.get(0).get("id").asText());
            assertEquals("update", changes.get(0).get("action").asText());
            assertEquals(List.of("subnets"), changes.get(0).get("diff").findValuesAsText("path"));
            Cli.Result update = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, update.exit(), update.toString());
            VpcEndpoint after = owned(ec2, name).get("ssm");
            assertEquals(ssm.vpcEndpointId(), after.vpcEndpointId(), "in place");
            assertEquals(2, after.subnetIds().size());
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            // The policy changes in place; AWS's string form compares equal to the stack's object.
            StackFiles.write(dir, "s.json", stack(name, vpc, rtb, "\"${a}\", \"${b}\"", "ssm:GetParameter"));
            Cli.Result policy = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
            JsonNode pc = Json.MAPPER.readTree(policy.out()).get("changes");
            assertEquals(1, pc.size(), policy.out());
            assertEquals(List.of("policy"), pc.get(0).get("diff").findValuesAsText("path"));
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            assertTrue(owned(ec2, name).get("ssm").policyDocument().contains("ssm:GetParameter"));
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            // A route table taken off by hand is drift, and apply puts it back.
            ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(s3.vpcEndpointId()).removeRouteTableIds(rtb));
            Cli.Result drift = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, drift.exit(), drift.toString());
            JsonNode dc = Json.MAPPER.readTree(drift.out()).get("changes");
            assertEquals("s3", dc.get(0).get("id").asText());
            assertEquals(List.of("routeTables"), dc.get(0).get("diff").findValuesAsText("path"));
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            assertEquals(List.of(rtb), owned(ec2, name).get("s3").routeTableIds());

            // The service is create-only.
            StackFiles.write(dir, "s.json", stack(name, vpc, rtb, "\"${a}\", \"${b}\"", "ssm:GetParameter").replace("\"service\": \"ssm\"", "\"service\": \"ssmmessages\""));
            assertTrue(Cli.run(api, REGION, "plan", f.toString()).out().contains("service is create-only"));

            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
            assertTrue(ec2.describeSubnets(r -> r.filters(x -> x.name("tag:netstack:stack").values(name))).subnets().isEmpty());
        } finally {
            ec2.deleteVpc(r -> r.vpcId(vpc));
        }
    }

    @Test
    void mistakesAreCaughtBeforeAnyCall(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.72.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.72.1.0/24", "zone": "eu-west-1a" },
                "a2":  { "type": "subnet", "vpc": "${vpc}", "cidr": "10.72.2.0/24", "zone": "eu-west-1a" },
                "gw":  { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "subnets": ["${a}"] },
                "if":  { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface",
                         "subnets": ["${a}", "${a2}"], "securityGroups": [] },
                "dnsgw": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "s3", "dnsOptions": { "recordIpType": "ipv4" } },
                "inbound": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "ssm", "kind": "interface",
                             "dnsOptions": { "recordIpType": "ipv4", "privateDnsOnlyForInboundResolverEndpoint": true } },
                "nosubnets": { "type": "vpc-endpoint", "vpc": "${vpc}", "service": "logs", "kind": "interface" }
              } }
            """.formatted(api.uniqueStack("endpoint-bad")));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        for (String m : List.of("a gateway endpoint takes routeTables, not subnets", "only s3 and dynamodb have gateway endpoints",
                "one subnet per availability zone", "omit securityGroups", "DNS options apply to interface endpoints only",
                "needs \"privateDns\": true", "(s3, dynamodb) take this option")) {
            assertTrue(r.all().contains(m), m + "\n" + r);
        }
        assertFalse(r.all().contains("nosubnets:"), "AWS creates an interface endpoint without subnets: " + r);
    }

    /** Live (not deleted) endpoints of the stack by logical id. */
    static Map<String, VpcEndpoint> owned(Ec2Client ec2, String stack) {
        return ItSupport.owned(ec2.describeVpcEndpoints(r -> r.filters(ItSupport.stackFilter(stack))).vpcEndpoints().stream()
                .filter(e -> !Set.of("deleted", "deleting").contains(e.stateAsString().toLowerCase())).toList(), VpcEndpoint::tags, stack);
    }
}
