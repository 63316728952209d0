package io.netstack.analysis;

import static io.netstack.analysis.Stacks.base;
import static io.netstack.analysis.Stacks.lineOf;
import static io.netstack.analysis.Stacks.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule: a stack that triggers it (the finding, its resource and line) and one that does not. */
class LinterTest {
    static List<Finding> findings(String text, Rules.Rule rule) {
        return Linter.lint(model(text)).stream().filter(f -> f.rule() == rule).toList();
    }

    static Finding only(String text, Rules.Rule rule) {
        List<Finding> f = findings(text, rule);
        assertEquals(1, f.size(), () -> "expected one " + rule.id() + " finding, got " + f);
        return f.get(0);
    }

    static final String SSH = """
                "admin": { "type": "security-group", "vpc": "${vpc}", "description": "admin",
                           "ingress": [ { "protocol": "tcp", "ports": "22", "from": "0.0.0.0/0" } ] }""";

    @Test
    void adminPortExposedOnlyWhereASubnetRoutesToTheInternet() {
        String text = base(SSH);
        Finding f = only(text, Rules.ADMIN_PORT_EXPOSED);
        assertEquals("admin", f.id());
        assertEquals(lineOf(text, "\"ports\": \"22\""), f.location().line());
        assertTrue(f.message().contains("SSH 22") && f.message().contains("pub-a"), f.message());

        // Same group in a VPC whose only subnet has no internet route: no path, no finding.
        String isolated = """
                {
                  "stack": "t", "region": "eu-west-1",
                  "resources": {
                    "vpc": { "type": "vpc", "cidr": "10.0.0.0/16" },
                    "priv": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24", "zone": "eu-west-1a" },
                """ + SSH + "\n  }\n}\n";
        assertEquals(List.of(), findings(isolated, Rules.ADMIN_PORT_EXPOSED));
    }

    @Test
    void adminPortBehindANaclThatDeniesItIsNotExposed() {
        String nacl = """
                "pub-acl": { "type": "network-acl", "vpc": "${vpc}", "subnets": ["${pub-a}"],
                             "ingress": [ { "rule": 100, "protocol": "tcp", "ports": "22", "cidr": "0.0.0.0/0", "action": "deny" },
                                          { "rule": 200, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" } ],
                             "egress": [ { "rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" } ] }""";
        assertEquals(List.of(), findings(base(SSH + ",\n" + nacl), Rules.ADMIN_PORT_EXPOSED));
        // A non-admin port open to the world is not this rule's business.
        assertEquals(List.of(), findings(base(SSH.replace("\"22\"", "\"443\"")), Rules.ADMIN_PORT_EXPOSED));
    }

    @Test
    void publicIpWithoutInternetRoute() {
        String text = base("""
                "pub-b": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24", "zone": "eu-west-1b", "mapPublicIp": true }""");
        Finding f = only(text, Rules.PUBLIC_IP_WITHOUT_IGW);
        assertEquals("pub-b", f.id());
        assertEquals(lineOf(text, "\"pub-b\""), f.location().line());
        // pub-a maps public IPs and routes to the internet gateway: not flagged.
        assertEquals(List.of(), findings(base(""), Rules.PUBLIC_IP_WITHOUT_IGW));
    }

    @Test
    void natGatewayWithoutInternetRoute() {
        String text = base("""
                "eip-b": { "type": "elastic-ip" },
                "nat-b": { "type": "nat-gateway", "subnet": "${priv-b}", "eip": "${eip-b}" }""");
        Finding f = only(text, Rules.NAT_WITHOUT_IGW);
        assertEquals("nat-b", f.id());
        assertTrue(f.message().contains("priv-b"), f.message());
        assertEquals(List.of(), findings(base(""), Rules.NAT_WITHOUT_IGW));
    }

    @Test
    void crossZoneNat() {
        String text = base("").replace("\"subnets\": [\"${priv-a}\"]", "\"subnets\": [\"${priv-a}\", \"${priv-b}\"]");
        Finding f = only(text, Rules.CROSS_ZONE_NAT);
        assertEquals("priv-rt-a", f.id());
        assertTrue(f.message().contains("priv-b (eu-west-1b)") && !f.message().contains("priv-a"), f.message());
        assertEquals(List.of(), findings(base(""), Rules.CROSS_ZONE_NAT));
    }

    static String nacl(String ingress, String egress) {
        return "\"acl\": { \"type\": \"network-acl\", \"vpc\": \"${vpc}\", \"subnets\": [\"${priv-a}\"],\n"
                + "  \"ingress\": [ " + ingress + " ],\n  \"egress\": [ " + egress + " ] }";
    }

    @Test
    void naclThatBlocksRepliesBothWays() {
        String in443 = "{ \"rule\": 100, \"protocol\": \"tcp\", \"ports\": \"443\", \"cidr\": \"10.0.0.0/24\", \"action\": \"allow\" }";
        String out443 = "{ \"rule\": 100, \"protocol\": \"tcp\", \"ports\": \"443\", \"cidr\": \"0.0.0.0/0\", \"action\": \"allow\" }";
        String text = base(nacl(in443, out443));
        List<Finding> f = findings(text, Rules.NACL_REPLY_BLOCKED);
        assertEquals(2, f.size(), f::toString);
        assertTrue(f.get(0).message().contains("allows tcp/443 in from 10.0.0.0/24 (rule 100) but its replies out to 10.0.0.0/24"), f.get(0).message());
        assertTrue(f.get(1).message().contains("allows tcp/443 out to 0.0.0.0/0"), f.get(1).message());

        String ephIn = "{ \"rule\": 200, \"protocol\": \"tcp\", \"ports\": \"1024-65535\", \"cidr\": \"0.0.0.0/0\", \"action\": \"allow\" }";
        String ephOut = "{ \"rule\": 200, \"protocol\": \"tcp\", \"ports\": \"1024-65535\", \"cidr\": \"10.0.0.0/16\", \"action\": \"allow\" }";
        assertEquals(List.of(), findings(base(nacl(in443 + ", " + ephIn, out443 + ", " + ephOut)), Rules.NACL_REPLY_BLOCKED));
    }

    static List<Finding> findings(Rules.Rule rule, String... texts) {
        return Linter.lint(Stacks.model(texts)).stream().filter(f -> f.rule() == rule).toList();
    }

    /** A second stack, "other": the validator sees one file at a time, so what spans files is lint's. */
    static String other(String cidr, String vpcExtra, String resources) {
        return """
                {
                  "stack": "other", "region": "eu-west-1",
                  "resources": {
                    "vpc": { "type": "vpc", "cidr": "%s", "defaultSecurityGroup": {}%s },
                    "igw": { "type": "internet-gateway", "vpc": "${vpc}" }%s
                  }
                }
                """.formatted(cidr, vpcExtra, resources.isEmpty() ? "" : ",\n" + resources);
    }

    @Test
    void blackholeRouteToAnotherStacksGateway() {
        String text = base("""
                "bad-rt": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${priv-b}"],
                            "routes": [ { "destination": "0.0.0.0/0", "target": "${stack:other/igw}" } ] }""");
        List<Finding> f = findings(Rules.BLACKHOLE_ROUTE, text, other("10.9.0.0/16", "", ""));
        assertEquals(1, f.size(), f::toString);
        assertEquals("bad-rt", f.get(0).id());
        assertEquals(lineOf(text, "${stack:other/igw}"), f.get(0).location().line());
        assertTrue(f.get(0).message().contains("belongs to VPC vpc"), f.get(0).message());
        // Alone, the other stack's gateway is unknown: no guess.
        assertEquals(List.of(), findings(Rules.BLACKHOLE_ROUTE, text));
        assertEquals(List.of(), findings(Rules.BLACKHOLE_ROUTE, base(""), other("10.9.0.0/16", "", "")));
    }

    static String peering(String peerDns) {
        return other("%CIDR%", peerDns, """
                "peer": { "type": "vpc-peering", "vpc": "${vpc}", "peerVpc": "${stack:t/vpc}", "autoAccept": true, "dnsResolution": true }""");
    }

    @Test
    void overlappingPeeredVpcsAcrossStacks() {
        List<Finding> f = findings(Rules.OVERLAPPING_CIDRS, base(""), peering(", \"dnsHostnames\": true").replace("%CIDR%", "10.0.128.0/17"));
        assertEquals(1, f.size(), f::toString);
        assertEquals("peer", f.get(0).id());
        assertEquals("other.json", f.get(0).location().file());
        assertTrue(f.get(0).message().contains("10.0.0.0/16") && f.get(0).message().contains("10.0.128.0/17"), f.get(0).message());
        assertEquals(List.of(), findings(Rules.OVERLAPPING_CIDRS, base(""), peering(", \"dnsHostnames\": true").replace("%CIDR%", "10.1.0.0/16")));
    }

    @Test
    void overlappingVpcsOnOneTransitGatewayRouteTable() {
        String hub = """
                {
                  "stack": "hub", "region": "eu-west-1",
                  "resources": {
                    "a": { "type": "vpc", "cidr": "10.0.0.0/16", "defaultSecurityGroup": {} },
                    "b": { "type": "vpc", "cidr": "%s", "defaultSecurityGroup": {} },
                    "a-1": { "type": "subnet", "vpc": "${a}", "cidr": "10.0.1.0/24", "zone": "eu-west-1a" },
                    "b-1": { "type": "subnet", "vpc": "${b}", "cidr": "%s", "zone": "eu-west-1a" },
                    "tgw": { "type": "transit-gateway", "defaultRouteTableAssociation": false, "defaultRouteTablePropagation": false },
                    "att-a": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${a}", "subnets": ["${a-1}"] },
                    "att-b": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${b}", "subnets": ["${b-1}"] },
                    "rt": { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                            "associations": ["${att-a}", "${att-b}"], "propagations": ["${att-a}", "${att-b}"] }
                  }
                }
                """;
        List<Finding> f = findings(Rules.OVERLAPPING_CIDRS, hub.formatted("10.0.0.0/16", "10.0.2.0/24"));
        assertEquals(1, f.size(), f::toString);
        assertEquals("rt", f.get(0).id());
        assertEquals(List.of(), findings(Rules.OVERLAPPING_CIDRS, hub.formatted("10.1.0.0/16", "10.1.2.0/24")));
    }

    @Test
    void peeringDnsWithoutHostnamesAcrossStacks() {
        List<Finding> f = findings(Rules.PEERING_DNS, base("").replace("\"dnsHostnames\": true, ", ""), peering(", \"dnsHostnames\": true").replace("%CIDR%", "10.1.0.0/16"));
        assertEquals(1, f.size(), f::toString);
        assertTrue(f.get(0).message().contains("VPC vpc lacks"), f.get(0).message());
        assertEquals(List.of(), findings(Rules.PEERING_DNS, base(""), peering(", \"dnsHostnames\": true").replace("%CIDR%", "10.1.0.0/16")));
    }

    @Test
    void vpcWithoutFlowLogs() {
        Finding f = only(base(""), Rules.NO_FLOW_LOGS);
        assertEquals("vpc", f.id());
        String logged = base("""
                "flow": { "type": "flow-log", "resource": "${vpc}", "traffic": "ALL",
                          "destination": { "s3": "arn:aws:s3:::flow-logs-bucket" } }""");
        assertEquals(List.of(), findings(logged, Rules.NO_FLOW_LOGS));
    }

    @Test
    void defaultSecurityGroupNotEmptied() {
        assertEquals(List.of(), findings(base(""), Rules.DEFAULT_SG_OPEN));
        Finding unmanaged = only(base("").replace(", \"defaultSecurityGroup\": {}", ""), Rules.DEFAULT_SG_OPEN);
        assertTrue(unmanaged.message().contains("as AWS creates it"), unmanaged.message());
        Finding kept = only(base("").replace("\"defaultSecurityGroup\": {}",
                "\"defaultSecurityGroup\": { \"ingress\": [ { \"protocol\": \"all\", \"from\": \"10.0.0.0/16\" } ] }"), Rules.DEFAULT_SG_OPEN);
        assertTrue(kept.message().contains("keeps 1 ingress"), kept.message());
    }

    @Test
    void unrestrictedEgressWhereOtherGroupsRestrictTheirs() {
        String open = """
                "web": { "type": "security-group", "vpc": "${vpc}", "description": "web",
                         "ingress": [ { "protocol": "tcp", "ports": "443", "from": "0.0.0.0/0" } ] }""";
        String restricted = """
                "app": { "type": "security-group", "vpc": "${vpc}", "description": "app",
                         "egress": [ { "protocol": "tcp", "ports": "443", "to": "0.0.0.0/0" } ] }""";
        Finding f = only(base(open + ",\n" + restricted), Rules.UNRESTRICTED_EGRESS);
        assertEquals("web", f.id());
        assertTrue(f.message().contains("while app restricts theirs"), f.message());
        assertEquals(List.of(), findings(base(open), Rules.UNRESTRICTED_EGRESS));
    }

    @Test
    void shadowedNaclRule() {
        String denyAll = "{ \"rule\": 100, \"protocol\": \"all\", \"cidr\": \"0.0.0.0/0\", \"action\": \"deny\" }";
        String allow443 = "{ \"rule\": 110, \"protocol\": \"tcp\", \"ports\": \"443\", \"cidr\": \"10.0.0.0/16\", \"action\": \"allow\" }";
        String text = base(nacl(denyAll + ", " + allow443, ""));
        Finding f = only(text, Rules.SHADOWED_NACL_RULE);
        assertTrue(f.message().contains("ingress rule 110 (allow) never matches: rule 100") && f.message().endsWith("does the opposite"), f.message());
        assertEquals(lineOf(text, "\"rule\": 110"), f.location().line());
        String ordered = base(nacl(allow443.replace("110", "90") + ", " + denyAll, ""));
        assertEquals(List.of(), findings(ordered, Rules.SHADOWED_NACL_RULE));
    }

    @Test
    void lintIgnoreSilencesARuleForOneResourceOrTheWholeFile() {
        String text = base(SSH);
        assertEquals(1, findings(text, Rules.NO_FLOW_LOGS).size());
        String ignored = base(SSH, """
                  "lintIgnore": [ { "rule": "NS301", "id": "vpc", "reason": "flow logs are enabled account-wide by the security team" },
                                  { "rule": "admin-port-exposed", "reason": "bastion by design" } ]""");
        assertEquals(List.of(), findings(ignored, Rules.NO_FLOW_LOGS));
        assertEquals(List.of(), findings(ignored, Rules.ADMIN_PORT_EXPOSED));
        // An entry for another resource silences nothing.
        String other = base(SSH, "\"lintIgnore\": [ { \"rule\": \"NS301\", \"id\": \"igw\", \"reason\": \"wrong resource\" } ]");
        assertEquals(1, findings(other, Rules.NO_FLOW_LOGS).size());
    }

    @Test
    void resourcesOfUnmanagedVpcsAreUnknownNotErrors() {
        String text = """
                {
                  "stack": "t", "region": "eu-west-1",
                  "resources": {
                    "a": { "type": "subnet", "vpc": "vpc-0123456789abcdef0", "cidr": "10.0.1.0/24", "zone": "eu-west-1a", "mapPublicIp": true },
                    "rt": { "type": "route-table", "vpc": "vpc-0123456789abcdef0", "subnets": ["${a}"],
                            "routes": [ { "destination": "0.0.0.0/0", "target": "igw-0123456789abcdef0" } ] },
                    "admin": { "type": "security-group", "vpc": "vpc-0123456789abcdef0", "description": "admin",
                               "ingress": [ { "protocol": "tcp", "ports": "22", "from": "0.0.0.0/0" } ] }
                  }
                }
                """;
        List<Finding> all = Linter.lint(model(text));
        // A literal igw-… counts as an internet route (no NS102); the group's VPC is not in the files,
        // so nothing is guessed about which subnets it guards (no NS101).
        assertEquals(List.of(), all.stream().map(f -> f.rule().id()).toList());
    }

    @Test
    void threeTierExampleIsJudgedByItsPaths() {
        String text;
        try {
            text = java.nio.file.Files.readString(java.nio.file.Path.of("stacks/three-tier.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Its public subnets map public IPs and route to the internet gateway (single-attribute
        // linters flag them); port 80/443 open to the world is no admin port; the database NACL
        // answers on 1024-65535. What remains: no flow log, and web's default egress.
        // (Loaded under its own path: the file uses ./modules/vpc.json, whose VPC is net-vpc.)
        List<String> got = Linter.lint(NetworkModel.of(List.of(Stacks.load(text, "stacks/three-tier.json")))).stream().map(f -> f.rule().id() + " " + f.id()).toList();
        assertEquals(List.of("NS301 net-vpc", "NS303 web"), got);
    }

    @Test
    void everyRuleHasADistinctIdAndNameAndIsDocumented() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (Rules.Rule r : Rules.ALL) {
            assertEquals(r, Rules.find(r.id()));
            assertEquals(r, Rules.find(r.name()));
            assertTrue(readme.contains(r.id()) && readme.contains(r.name()), r.id() + " " + r.name() + " has no README line");
        }
    }
}
