package io.netstack.provider.ec2.networkacl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.ExecutionOrder;
import io.netstack.engine.HandOver;
import io.netstack.engine.Json;
import io.netstack.engine.Normalizer;
import io.netstack.engine.Validator;
import io.netstack.provider.ec2.subnet.SubnetType;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Retry;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.spi.Waiter;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Network ACL entry translation, the canonical shape and validation rules; no AWS. */
class NetworkAclTypeTest {
    static final NetworkAclType TYPE = new NetworkAclType(null);

    static ObjectNode json(String s) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ canonical form

    @Test
    void entriesAreCanonicalised() {
        assertEquals(json("{'rule': 100, 'protocol': 'tcp', 'ports': '443', 'cidr': '0.0.0.0/0', 'action': 'allow'}"),
                NetworkAclEntries.canonical(json("{'rule': 100, 'protocol': '6', 'ports': '443-443', 'cidr': '0.0.0.0/0', 'action': 'ALLOW'}")));
        assertEquals(json("{'rule': 110, 'protocol': 'udp', 'ports': 'all', 'cidr': '2001:db8::/32', 'action': 'deny'}"),
                NetworkAclEntries.canonical(json("{'rule': 110, 'protocol': 'UDP', 'ports': '0-65535', 'cidr': '2001:DB8:0::/32', 'action': 'deny'}")));
        assertEquals(json("{'rule': 120, 'protocol': 'icmp', 'ports': '8', 'cidr': '10.0.0.0/8', 'action': 'allow'}"),
                NetworkAclEntries.canonical(json("{'rule': 120, 'protocol': '1', 'ports': '8--1', 'cidr': '10.0.0.0/8', 'action': 'allow'}")));
        assertEquals("all", NetworkAclEntries.canonical(json("{'rule': 1, 'protocol': 'icmpv6', 'ports': '-1', 'cidr': '::/0', 'action': 'allow'}")).get("ports").asText());
        assertEquals(json("{'rule': 130, 'protocol': 'all', 'ports': 'all', 'cidr': '0.0.0.0/0', 'action': 'deny'}"),
                NetworkAclEntries.canonical(json("{'rule': 130, 'protocol': '-1', 'cidr': '0.0.0.0/0', 'action': 'deny'}")));
        assertEquals(json("{'rule': 140, 'protocol': '47', 'ports': 'all', 'cidr': '10.0.0.0/8', 'action': 'allow'}"),
                NetworkAclEntries.canonical(json("{'rule': 140, 'protocol': '47', 'cidr': '10.0.0.0/8', 'action': 'allow'}")));
    }

    /** What the API is sent, echoed back the way DescribeNetworkAcls reports it. */
    static NetworkAclEntry echo(CreateNetworkAclEntryRequest r) {
        return NetworkAclEntry.builder().ruleNumber(r.ruleNumber()).egress(r.egress()).protocol(r.protocol())
                .ruleAction(r.ruleAction()).cidrBlock(r.cidrBlock()).ipv6CidrBlock(r.ipv6CidrBlock())
                .portRange(r.portRange()).icmpTypeCode(r.icmpTypeCode()).build();
    }

    @Test
    void whatIsWrittenReadsBackEqual() {
        List<String> entries = List.of(
                "{'rule': 100, 'protocol': 'tcp', 'ports': '443', 'cidr': '0.0.0.0/0', 'action': 'allow'}",
                "{'rule': 101, 'protocol': 'tcp', 'cidr': '0.0.0.0/0', 'action': 'allow'}",
                "{'rule': 102, 'protocol': 'udp', 'ports': '1024-65535', 'cidr': '::/0', 'action': 'allow'}",
                "{'rule': 103, 'protocol': 'icmp', 'ports': '3-4', 'cidr': '10.0.0.0/8', 'action': 'allow'}",
                "{'rule': 104, 'protocol': 'icmp', 'ports': '8', 'cidr': '10.0.0.0/8', 'action': 'allow'}",
                "{'rule': 105, 'protocol': 'icmpv6', 'cidr': '::/0', 'action': 'allow'}",
                "{'rule': 106, 'protocol': 'all', 'cidr': '0.0.0.0/0', 'action': 'deny'}",
                "{'rule': 107, 'protocol': '47', 'cidr': '192.168.0.0/16', 'action': 'deny'}");
        for (String e : entries) {
            ObjectNode desired = json(e);
            NetworkAclEntry back = echo(NetworkAclEntries.createRequest("acl-1", false, desired));
            assertEquals(NetworkAclEntries.canonical(desired), NetworkAclEntries.fromAws(back), e);
        }
    }

    @Test
    void requestsSpeakProtocolNumbersPortRangesAndIcmpTypeCodes() {
        CreateNetworkAclEntryRequest tcp = NetworkAclEntries.createRequest("acl-1", true,
                json("{'rule': 100, 'protocol': 'tcp', 'cidr': '0.0.0.0/0', 'action': 'allow'}"));
        assertEquals("6", tcp.protocol());
        assertEquals(0, tcp.portRange().from());
        assertEquals(65535, tcp.portRange().to());
        assertNull(tcp.icmpTypeCode());
        assertTrue(tcp.egress());
        assertEquals("0.0.0.0/0", tcp.cidrBlock());

        CreateNetworkAclEntryRequest icmpv6 = NetworkAclEntries.createRequest("acl-1", false,
                json("{'rule': 100, 'protocol': 'icmpv6', 'cidr': '::/0', 'action': 'allow'}"));
        assertEquals("58", icmpv6.protocol());
        assertEquals(-1, icmpv6.icmpTypeCode().type(), "ICMPv6 with an IPv6 CIDR needs type and code: -1 = all");
        assertEquals(-1, icmpv6.icmpTypeCode().code());
        assertEquals("::/0", icmpv6.ipv6CidrBlock());
        assertNull(icmpv6.cidrBlock());

        CreateNetworkAclEntryRequest echo = NetworkAclEntries.createRequest("acl-1", false,
                json("{'rule': 100, 'protocol': 'icmp', 'ports': '8', 'cidr': '0.0.0.0/0', 'action': 'allow'}"));
        assertEquals(8, echo.icmpTypeCode().type());
        assertEquals(-1, echo.icmpTypeCode().code());

        CreateNetworkAclEntryRequest gre = NetworkAclEntries.createRequest("acl-1", false,
                json("{'rule': 100, 'protocol': '47', 'cidr': '0.0.0.0/0', 'action': 'deny'}"));
        assertEquals("47", gre.protocol());
        assertNull(gre.portRange());
        assertNull(gre.icmpTypeCode());
        assertEquals("deny", gre.ruleActionAsString());

        ReplaceNetworkAclEntryRequest replace = NetworkAclEntries.replaceRequest("acl-1", false,
                json("{'rule': 7, 'protocol': 'udp', 'ports': '53', 'cidr': '10.0.0.0/8', 'action': 'allow'}"));
        assertEquals(7, replace.ruleNumber());
        assertEquals("17", replace.protocol());
        assertEquals(53, replace.portRange().from());
        assertEquals(53, replace.portRange().to());
        assertEquals("acl-1", replace.networkAclId());
    }

    static final TypeContext CTX = new TypeContext() {
        @Override public String stack() { return "t"; }
        @Override public String region() { return "eu-west-1"; }
        @Override public Waiter waiter() { throw new UnsupportedOperationException(); }
        @Override public Retry retry() { throw new UnsupportedOperationException(); }
    };

    @Test
    void readSkipsAwsDefaultEntriesAndSplitsDirections() {
        NetworkAcl acl = NetworkAcl.builder().networkAclId("acl-1").vpcId("vpc-1").ownerId("123456789012").isDefault(false)
                .associations(NetworkAclAssociation.builder().subnetId("subnet-b").networkAclAssociationId("aclassoc-b").build(),
                        NetworkAclAssociation.builder().subnetId("subnet-a").networkAclAssociationId("aclassoc-a").build())
                .entries(
                        NetworkAclEntry.builder().ruleNumber(32767).egress(false).protocol("-1").ruleAction("deny").cidrBlock("0.0.0.0/0").build(),
                        NetworkAclEntry.builder().ruleNumber(32768).egress(false).protocol("-1").ruleAction("deny").ipv6CidrBlock("::/0").build(),
                        NetworkAclEntry.builder().ruleNumber(32767).egress(true).protocol("-1").ruleAction("deny").cidrBlock("0.0.0.0/0").build(),
                        NetworkAclEntry.builder().ruleNumber(100).egress(false).protocol("6").ruleAction("allow").cidrBlock("0.0.0.0/0")
                                .portRange(p -> p.from(443).to(443)).build(),
                        NetworkAclEntry.builder().ruleNumber(100).egress(true).protocol("-1").ruleAction("allow").cidrBlock("0.0.0.0/0").build())
                .tags(Tag.builder().key("netstack:stack").value("t").build(), Tag.builder().key("netstack:id").value("acl").build())
                .build();
        LiveResource live = TYPE.translate(CTX, "acl", acl);
        ObjectNode desired = json("""
            {'vpc': 'vpc-1', 'subnets': ['subnet-a', 'subnet-b'],
             'ingress': [ {'rule': 100, 'protocol': 'tcp', 'ports': '443', 'cidr': '0.0.0.0/0', 'action': 'allow'} ],
             'egress':  [ {'rule': 100, 'protocol': 'all', 'cidr': '0.0.0.0/0', 'action': 'allow'} ],
             'tags': {} }""");
        assertEquals(Normalizer.normalize(TYPE, desired), Normalizer.normalize(TYPE, live.properties()));
        assertEquals("arn:aws:ec2:eu-west-1:123456789012:network-acl/acl-1", live.attributes().get("arn"));
    }

    // ------------------------------------------------------------------ validation

    static final TypeRegistry TYPES = registry(new VpcType(null), new SubnetType(null), TYPE);

    record Outcome(List<String> errors, List<String> warnings) {
        boolean hasError(String text) {
            return errors.stream().anyMatch(e -> e.contains(text));
        }
    }

    static Outcome validate(String resources) {
        String text = """
            { "stack": "t", "region": "eu-west-1", "resources": {
              "vpc":   { "type": "vpc", "cidr": "10.0.0.0/16" },
              "other": { "type": "vpc", "cidr": "10.1.0.0/16" },
              "a":     { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24" },
              "b":     { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.2.0/24" },
              "x":     { "type": "subnet", "vpc": "${other}", "cidr": "10.1.1.0/24" },
            %s
            } }
            """.formatted(resources);
        try {
            var r = new Validator(TYPES).validate(StackLoader.parse("t.json", text, Map.of()));
            return new Outcome(List.of(), r.warnings().stream().map(StackError::message).toList());
        } catch (StackException e) {
            return new Outcome(e.errors().stream().map(StackError::message).toList(), List.of());
        }
    }

    static String acl(String ingress, String egress) {
        return "\"acl\": { \"type\": \"network-acl\", \"vpc\": \"${vpc}\", \"subnets\": [\"${a}\"], \"ingress\": [" + ingress + "], \"egress\": [" + egress + "] }";
    }

    @Test
    void aValidNaclHasNoErrors() {
        Outcome o = validate(acl("""
                { "rule": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 110, "protocol": "icmp", "ports": "3-4", "cidr": "10.0.0.0/8", "action": "allow" },
                { "rule": 120, "protocol": "icmpv6", "cidr": "::/0", "action": "allow" },
                { "rule": 32766, "protocol": "all", "cidr": "0.0.0.0/0", "action": "deny" }""",
                """
                { "rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" }"""));
        assertEquals(List.of(), o.errors());
        assertEquals(List.of(), o.warnings());
    }

    @Test
    void ruleNumbersAreUniquePerDirectionAndInRange() {
        Outcome o = validate(acl("""
                { "rule": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 100, "protocol": "tcp", "ports": "80", "cidr": "0.0.0.0/0", "action": "allow" }""",
                """
                { "rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" }"""));
        assertEquals(1, o.errors().size(), "the same number in the other direction is fine: " + o);
        assertTrue(o.hasError("duplicate ingress rule number 100 (also ingress[0])"), o.toString());

        Outcome range = validate(acl("""
                { "rule": 0, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 32767, "protocol": "all", "cidr": "0.0.0.0/0", "action": "deny" }""", ""));
        assertTrue(range.hasError("ingress.0.rule: 0 is outside 1..32766"), range.toString());
        assertTrue(range.hasError("ingress.1.rule: 32767 is outside 1..32766"), range.toString());
    }

    @Test
    void portsProtocolsCidrsAndActionsAreChecked() {
        Outcome o = validate(acl("""
                { "rule": 1, "protocol": "tcp", "ports": "70000", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 2, "protocol": "tcp", "ports": "443-80", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 3, "protocol": "udp", "ports": "dns", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 4, "protocol": "all", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 5, "protocol": "banana", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 6, "protocol": "icmp", "ports": "300", "cidr": "0.0.0.0/0", "action": "allow" },
                { "rule": 7, "protocol": "icmpv6", "cidr": "0.0.0.0/0", "action": "allow" }""", ""));
        assertTrue(o.hasError("port range \"70000\" must be within 0-65535"), o.toString());
        assertTrue(o.hasError("port range \"443-80\" must be within 0-65535, low to high"), o.toString());
        assertTrue(o.hasError("ports must be \"443\", \"1024-65535\" or \"all\", got \"dns\""), o.toString());
        assertTrue(o.hasError("protocol all has no ports"), o.toString());
        assertTrue(o.hasError("unknown protocol \"banana\""), o.toString());
        assertTrue(o.hasError("ICMP ports are \"type\" or \"type-code\" within 0-255"), o.toString());
        assertTrue(o.hasError("icmpv6 entries need an IPv6 CIDR"), o.toString());
        assertEquals(7, o.errors().size(), o.toString());

        // Schema-level checks (the type's own checks run once a block passes these).
        Outcome schema = validate(acl("""
                { "rule": 8, "protocol": "tcp", "cidr": "10.0.0.1/8", "action": "allow" },
                { "rule": 9, "protocol": "tcp", "cidr": "0.0.0.0/0", "action": "permit" },
                { "rule": 10, "protocol": "tcp", "cidr": "0.0.0.0/0" }""", ""));
        assertTrue(schema.hasError("has host bits set"), schema.toString());
        assertTrue(schema.hasError("\"permit\" is not one of allow, deny"), schema.toString());
        assertTrue(schema.hasError("missing required property \"ingress.2.action\""), schema.toString());
    }

    @Test
    void moreThanTwentyEntriesOfOneFamilyIsAQuotaWarning() {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= 21; i++) entries.add("{ \"rule\": " + i + ", \"protocol\": \"tcp\", \"ports\": \"" + (1000 + i) + "\", \"cidr\": \"0.0.0.0/0\", \"action\": \"allow\" }");
        Outcome o = validate(acl("", String.join(",", entries)));
        assertEquals(List.of(), o.errors());
        assertEquals(1, o.warnings().size(), o.toString());
        assertTrue(o.warnings().get(0).contains("more than 20 IPv4 egress entries exceeds the default quota"), o.toString());
    }

    @Test
    void aSubnetHasOneNaclInTheSameVpc() {
        Outcome o = validate("""
              "acl1": { "type": "network-acl", "vpc": "${vpc}", "subnets": ["${a}", "${x}"] },
              "acl2": { "type": "network-acl", "vpc": "${vpc}", "subnets": ["${a}", "${b}", "${b}"] }
            """);
        assertTrue(o.hasError("subnet x is in ${other}, not in this network ACL's VPC ${vpc}"), o.toString());
        assertTrue(o.hasError("${a} is already associated with network ACL acl1"), o.toString());
        assertTrue(o.errors().stream().anyMatch(e -> e.startsWith("acl2: ${a} is already")), "reported on the later NACL: " + o);
        assertTrue(o.hasError("${b} is listed twice"), o.toString());
        assertEquals(3, o.errors().size(), o.toString());
    }

    /**
     * Merging a split NACL back: acl-b is deleted and acl takes its subnet. acl-b's delete moves
     * what it still holds to the default NACL, so it must run after acl has taken b (one
     * ReplaceNetworkAclAssociation from acl-b to acl); acl's update, not acl-b's delete, moves b.
     */
    @Test
    void aNaclDeletedWhileAnotherTakesItsSubnetsGoesAfterTheTaker() {
        assertEquals(Set.of("subnets"), TYPE.exclusiveLists());
        List<Change> changes = List.of(
                new Change("a", "subnet", Action.NOOP, List.of(), List.of(), json("{}"), new LiveResource("a", "subnet", "subnet-a", json("{}"), Map.of())),
                new Change("b", "subnet", Action.NOOP, List.of(), List.of(), json("{}"), new LiveResource("b", "subnet", "subnet-b", json("{}"), Map.of())),
                new Change("acl", "network-acl", Action.UPDATE, List.of(), List.of(), json("{\"vpc\": \"vpc-1\", \"subnets\": [\"${a}\", \"${b}\"]}"),
                        new LiveResource("acl", "network-acl", "acl-1", json("{\"vpc\": \"vpc-1\", \"subnets\": [\"subnet-a\"]}"), Map.of())),
                new Change("acl-b", "network-acl", Action.DELETE, List.of("no longer in the stack file"), List.of(), null,
                        new LiveResource("acl-b", "network-acl", "acl-2", json("{\"vpc\": \"vpc-1\", \"subnets\": [\"subnet-b\"]}"), Map.of())));
        assertEquals(List.of(new HandOver("network-acl", "subnets", "acl-b", "acl", "subnet-b")), HandOver.of(changes, TYPES));
        List<String> order = ExecutionOrder.order(changes, null, TYPES).stream().map(Change::id).toList();
        assertTrue(order.indexOf("acl") < order.indexOf("acl-b"), "acl takes b before acl-b is deleted: " + order);
    }

    static TypeRegistry registry(ResourceType... types) {
        Map<String, ResourceType> m = new LinkedHashMap<>();
        for (ResourceType t : types) m.put(t.name(), t);
        return new TypeRegistry() {
            @Override public Optional<ResourceType> find(String name) { return Optional.ofNullable(m.get(name)); }
            @Override public Collection<ResourceType> all() { return m.values(); }
        };
    }
}
