package io.netstack.provider.ec2.dhcpoptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DhcpOptions;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Issue 11: a DHCP options set and its VPC association. Create (tags: moto drops the
 * TagSpecifications of CreateDhcpOptions, so they are written after — the code path a lost tag
 * takes on AWS), no-change plan, a changed option replaces the set and re-associates the VPC in
 * place, an association changed by hand is drift, destroy leaves nothing.
 */
@ExtendWith(AwsApiExtension.class)
class DhcpOptionsIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String domain) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "dopts": { "type": "dhcp-options", "domainName": "%s",
                           "domainNameServers": ["AmazonProvidedDNS", "10.70.0.10"], "ntpServers": ["169.254.169.123"],
                           "netbiosNodeType": 2, "tags": { "Name": "corp-dhcp" } },
                "vpc": { "type": "vpc", "cidr": "10.70.0.0/16", "dhcpOptions": "${dopts}" }
              } }
            """.formatted(name, domain);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("dhcp");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "corp.example.com"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        DhcpOptions d = owned(ec2, name).get(0);
        Map<String, String> tags = d.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertEquals(Map.of("netstack:stack", name, "netstack:id", "dopts", "Name", "corp-dhcp"), tags);
        Map<String, List<String>> options = new HashMap<>();
        d.dhcpConfigurations().forEach(c -> options.put(c.key(), c.values().stream().map(v -> v.value()).toList()));
        assertEquals(List.of("AmazonProvidedDNS", "10.70.0.10"), options.get("domain-name-servers"), "servers in the file's order");
        assertEquals(List.of("corp.example.com"), options.get("domain-name"));
        assertEquals(List.of("2"), options.get("netbios-node-type"));
        assertEquals(d.dhcpOptionsId(), vpc(ec2, name).dhcpOptionsId(), "the VPC uses the set");
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // AWS cannot modify a set: a new one, the VPC moved to it in place, the old one deleted
        StackFiles.write(dir, "s.json", stack(name, "corp.example.org"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        Map<String, String> actions = new HashMap<>();
        Json.MAPPER.readTree(changed.out()).get("changes").forEach(c -> actions.put(c.get("id").asText(), c.get("action").asText()));
        assertEquals(Map.of("dopts", "replace", "vpc", "update"), actions, changed.out());
        String vpcId = vpc(ec2, name).vpcId();
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        List<DhcpOptions> now = owned(ec2, name);
        assertEquals(1, now.size(), "the old set is deleted: " + now);
        assertTrue(!now.get(0).dhcpOptionsId().equals(d.dhcpOptionsId()));
        assertEquals(vpcId, vpc(ec2, name).vpcId(), "VPC kept");
        assertEquals(now.get(0).dhcpOptionsId(), vpc(ec2, name).dhcpOptionsId());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // the association changed by hand is drift; apply puts it back
        ec2.associateDhcpOptions(r -> r.vpcId(vpcId).dhcpOptionsId("default"));
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString(), "--json");
        assertEquals(2, drift.exit(), drift.toString());
        JsonNode items = Json.MAPPER.readTree(drift.out()).get("drift");
        assertEquals(1, items.size(), items.toString());
        assertEquals("modified vpc dhcpOptions", items.get(0).get("class").asText() + " " + items.get(0).get("id").asText() + " " + items.get(0).get("path").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(now.get(0).dhcpOptionsId(), vpc(ec2, name).dhcpOptionsId());

        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
        assertTrue(owned(ec2, name).isEmpty());
        assertTrue(ec2.describeVpcs(r -> r.filters(tag(name))).vpcs().isEmpty());
    }

    @Test
    void badOptionsAreRefusedWithTheirLocation(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "dhcpbad", "region": "eu-west-1",
              "resources": {
                "a": { "type": "dhcp-options", "netbiosNodeType": 3, "ntpServers": ["time.example.com"] },
                "b": { "type": "dhcp-options" }
              } }
            """);
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":3:55: a: NetBIOS node type is 1, 2, 4 or 8, got 3"), r.toString());
        assertTrue(r.err().contains(f + ":3:73: a: \"time.example.com\" is not an IP address"), r.toString());
        assertTrue(r.err().contains(f + ":4:10: b: a DHCP options set needs at least one option"), r.toString());
    }

    static List<DhcpOptions> owned(Ec2Client ec2, String stack) {
        return ec2.describeDhcpOptions().dhcpOptions().stream()
                .filter(d -> d.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack))).toList();
    }

    static software.amazon.awssdk.services.ec2.model.Vpc vpc(Ec2Client ec2, String stack) {
        return ec2.describeVpcs(r -> r.filters(tag(stack))).vpcs().get(0);
    }

    static Filter tag(String stack) {
        return Filter.builder().name("tag:netstack:stack").values(stack).build();
    }
}
