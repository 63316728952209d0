package io.netstack.provider.ec2.networkacl;

import static io.netstack.provider.AwsCalls.ignoringNotFound;
import static io.netstack.provider.AwsCalls.mutateRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.Property;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.IcmpTypeCode;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.PortRange;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.RuleAction;

/**
 * Translator between NACL entries in stack form
 * ({@code {"rule": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow"}})
 * and EC2's {@link NetworkAclEntry}s.
 *
 * <p>Canonical form, so that what was applied reads back equal (the same conventions as
 * security-group rules): protocol names for tcp/udp/icmp/icmpv6 and "all" for -1, other protocols
 * as their number; tcp/udp 0-65535 is "all", a single port is "443"; ICMP ports are {@code type}
 * or {@code type-code}, -1 meaning all; protocols without ports always have "all"; CIDRs in AWS's
 * text form; action lower-case.
 *
 * <p>The API speaks protocol numbers, ports as a {@link PortRange} and ICMP as an
 * {@link IcmpTypeCode}; ICMPv6 with an IPv6 CIDR needs both type and code (-1 for all).
 * AWS's own {@code *} entries (rule 32767, and 32768 for IPv6) are never read: they can be neither
 * changed nor deleted (Terraform skips them too; moto's new NACLs do not have them).
 */
public final class NetworkAclEntries {
    /** Rule numbers users may use (VPC user guide, "Network ACL basics"). */
    public static final int MIN_RULE = 1, MAX_RULE = 32766;
    /**
     * Amazon VPC quotas: 20 inbound and 20 outbound rules per network ACL (adjustable to 40),
     * enforced separately for IPv4 and IPv6 rules, the default deny rules not counted.
     */
    static final int MAX_ENTRIES_PER_FAMILY = 20;

    /** ICMP "type", "type-code" or "type--1" (any code). */
    private static final java.util.regex.Pattern ICMP_PORTS = java.util.regex.Pattern.compile("(\\d{1,3})(?:-(\\d{1,3}|-1))?");
    private static final Map<String, String> NAMES = Map.of("-1", "all", "6", "tcp", "17", "udp", "1", "icmp", "58", "icmpv6");
    private static final Map<String, String> NUMBERS = Map.of("all", "-1", "tcp", "6", "udp", "17", "icmp", "1", "icmpv6", "58");

    private NetworkAclEntries() {}

    public static Property.Builder schema(String name) {
        return Property.list(name, Property.object("entry",
                Property.integer("rule").required().range(MIN_RULE, MAX_RULE).describe("rule number: lower numbers are evaluated first"),
                Property.string("protocol").required().describe("tcp, udp, icmp, icmpv6, all, or an IP protocol number"),
                Property.string("ports").describe("\"443\", \"1024-65535\" or \"all\" (ICMP: \"type\" or \"type-code\")"),
                Property.cidr("cidr").required().describe("IPv4 or IPv6 CIDR"),
                Property.string("action").required().oneOf("allow", "deny")));
    }

    static String protocol(String p) {
        String lower = p == null ? "all" : p.trim().toLowerCase();
        return NAMES.getOrDefault(lower, lower);
    }

    static boolean isPortProtocol(String proto) {
        return proto.equals("tcp") || proto.equals("udp");
    }

    static boolean isIcmp(String proto) {
        return proto.equals("icmp") || proto.equals("icmpv6");
    }

    static String canonicalPorts(String proto, String ports) {
        if (ports == null || ports.isBlank() || ports.equals("all")) return "all";
        if (isIcmp(proto)) {
            if (ports.equals("-1") || ports.equals("-1--1")) return "all";
            if (ports.endsWith("--1")) return ports.substring(0, ports.length() - 3);
            return ports;
        }
        if (!isPortProtocol(proto)) return "all";
        String[] r = ports.split("-");
        if (r.length == 2 && r[0].equals(r[1])) return r[0];
        if (r.length == 2 && r[0].equals("0") && r[1].equals("65535")) return "all";
        return ports;
    }

    /** Canonical form of one entry. */
    static ObjectNode canonical(JsonNode e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        JsonNode rule = e.get("rule");
        if (rule != null && rule.canConvertToInt()) o.put("rule", rule.asInt());
        else if (rule != null) o.set("rule", rule);
        String proto = protocol(e.path("protocol").asText("all"));
        o.put("protocol", proto);
        o.put("ports", canonicalPorts(proto, e.path("ports").asText("all")));
        String cidr = e.path("cidr").asText();
        o.put("cidr", Cidr.isCidr(cidr) ? Cidr.canonical(cidr) : cidr);
        o.put("action", e.path("action").asText().toLowerCase());
        return o;
    }

    public static void normalize(ObjectNode props, String list) {
        JsonNode entries = props.get(list);
        if (entries == null || !entries.isArray()) return;
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode e : entries) out.add(e.isObject() ? canonical(e) : e);
        props.set(list, out);
    }

    /** Entries of one direction from AWS, AWS's default {@code *} entries left out. */
    public static ArrayNode fromAws(List<NetworkAclEntry> entries, boolean egress) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (NetworkAclEntry e : entries) {
            if (Boolean.TRUE.equals(e.egress()) != egress) continue;
            if (e.ruleNumber() == null || e.ruleNumber() < MIN_RULE || e.ruleNumber() > MAX_RULE) continue;
            out.add(fromAws(e));
        }
        return out;
    }

    static ObjectNode fromAws(NetworkAclEntry e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rule", e.ruleNumber());
        String proto = protocol(e.protocol());
        o.put("protocol", proto);
        o.put("ports", portsText(proto, e.portRange(), e.icmpTypeCode()));
        String cidr = e.cidrBlock() != null ? e.cidrBlock() : e.ipv6CidrBlock();
        o.put("cidr", cidr == null ? "" : Cidr.canonical(cidr));
        o.put("action", e.ruleActionAsString() == null ? "" : e.ruleActionAsString().toLowerCase());
        return o;
    }

    static String portsText(String proto, PortRange range, IcmpTypeCode icmp) {
        if (isIcmp(proto)) {
            if (icmp == null || icmp.type() == null || icmp.type() == -1) return "all";
            return icmp.code() == null || icmp.code() == -1 ? String.valueOf(icmp.type()) : icmp.type() + "-" + icmp.code();
        }
        if (!isPortProtocol(proto) || range == null || range.from() == null) return "all";
        int from = range.from(), to = range.to() == null ? from : range.to();
        if (from == 0 && to == 65535) return "all";
        return from == to ? String.valueOf(from) : from + "-" + to;
    }

    /** Entries of a list keyed by rule number (rule numbers are unique per direction). */
    public static Map<Integer, ObjectNode> byRule(JsonNode entries) {
        Map<Integer, ObjectNode> m = new TreeMap<>();
        if (entries != null) for (JsonNode e : entries) {
            ObjectNode c = canonical(e);
            m.put(c.path("rule").asInt(), c);
        }
        return m;
    }

    /** "443" → {443, 443}; "1024-65535" → {1024, 65535}; ICMP "3-4" → {3, 4}, "8" → {8, -1}. */
    static int[] pair(String ports, int second) {
        String[] r = ports.split("-");
        int a = Integer.parseInt(r[0].trim());
        int b = r.length > 1 ? Integer.parseInt(r[1].trim()) : second == Integer.MIN_VALUE ? a : second;
        return new int[] {a, b};
    }

    public static CreateNetworkAclEntryRequest createRequest(String aclId, boolean egress, JsonNode entry) {
        ObjectNode c = canonical(entry);
        CreateNetworkAclEntryRequest.Builder b = CreateNetworkAclEntryRequest.builder()
                .networkAclId(aclId).egress(egress).ruleNumber(c.get("rule").asInt())
                .ruleAction(RuleAction.fromValue(c.get("action").asText()));
        String proto = c.get("protocol").asText();
        b.protocol(NUMBERS.getOrDefault(proto, proto));
        String cidr = c.get("cidr").asText();
        if (cidr.contains(":")) b.ipv6CidrBlock(cidr);
        else b.cidrBlock(cidr);
        PortRange pr = portRange(proto, c.get("ports").asText());
        if (pr != null) b.portRange(pr);
        IcmpTypeCode ic = icmp(proto, c.get("ports").asText());
        if (ic != null) b.icmpTypeCode(ic);
        return b.build();
    }

    public static ReplaceNetworkAclEntryRequest replaceRequest(String aclId, boolean egress, JsonNode entry) {
        CreateNetworkAclEntryRequest c = createRequest(aclId, egress, entry);
        return ReplaceNetworkAclEntryRequest.builder()
                .networkAclId(aclId).egress(egress).ruleNumber(c.ruleNumber()).ruleAction(c.ruleAction())
                .protocol(c.protocol()).cidrBlock(c.cidrBlock()).ipv6CidrBlock(c.ipv6CidrBlock())
                .portRange(c.portRange()).icmpTypeCode(c.icmpTypeCode()).build();
    }

    /**
     * Brings one direction of a NACL ({@code network-acl}, or a VPC's default NACL) to {@code want}:
     * replace changed rules, create new ones, then delete dropped ones; says whether it called AWS.
     */
    public static boolean sync(Ec2Client ec2, TypeContext ctx, String id, String aclId, boolean egress, JsonNode want, JsonNode have) {
        Map<Integer, ObjectNode> w = byRule(want), h = byRule(have);
        boolean touched = false;
        for (Map.Entry<Integer, ObjectNode> e : w.entrySet()) {
            ObjectNode entry = e.getValue();
            if (h.containsKey(e.getKey())) {
                if (h.get(e.getKey()).equals(entry)) continue;
                mutateRun(ctx, id, "ReplaceNetworkAclEntry", () -> ec2.replaceNetworkAclEntry(replaceRequest(aclId, egress, entry)));
            } else {
                try {
                    mutateRun(ctx, id, "CreateNetworkAclEntry", () -> ec2.createNetworkAclEntry(createRequest(aclId, egress, entry)));
                } catch (AwsFailure f) {
                    // The rule number appeared since the NACL was read (e.g. an earlier attempt whose response was lost).
                    if (!"NetworkAclEntryAlreadyExists".equals(f.code())) throw f;
                    mutateRun(ctx, id, "ReplaceNetworkAclEntry", () -> ec2.replaceNetworkAclEntry(replaceRequest(aclId, egress, entry)));
                }
            }
            touched = true;
        }
        for (Integer rule : h.keySet()) {
            if (w.containsKey(rule)) continue;
            // an entry already gone is what this wanted
            ignoringNotFound(id, "DeleteNetworkAclEntry", () -> ec2.deleteNetworkAclEntry(r -> r.networkAclId(aclId).egress(egress).ruleNumber(rule)));
            touched = true;
        }
        return touched;
    }

    private static PortRange portRange(String proto, String ports) {
        if (!isPortProtocol(proto)) return null;
        int[] r = ports.equals("all") ? new int[] {0, 65535} : pair(ports, Integer.MIN_VALUE);
        return PortRange.builder().from(r[0]).to(r[1]).build();
    }

    private static IcmpTypeCode icmp(String proto, String ports) {
        if (!isIcmp(proto)) return null;
        int[] tc = ports.equals("all") ? new int[] {-1, -1} : pair(ports, -1);
        return IcmpTypeCode.builder().type(tc[0]).code(tc[1]).build();
    }

    /** Checks of one direction's entries beyond the schema: protocol, ports, CIDR family, duplicate rule numbers, quota. */
    public static void validate(ResourceBlock block, Validation v, String list, JsonNode entries) {
        if (entries == null || !entries.isArray()) return;
        Map<Integer, Integer> seen = new HashMap<>();
        int v4 = 0, v6 = 0;
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = "/" + list + "/" + i;
            int rule = e.path("rule").asInt();
            Integer prev = seen.putIfAbsent(rule, i);
            if (prev != null) v.error(block, at + "/rule", "duplicate " + list + " rule number " + rule + " (also " + list + "[" + prev + "]): rule numbers are unique per direction");
            String cidr = e.path("cidr").asText("");
            boolean ipv6 = cidr.contains(":");
            if (ipv6) v6++;
            else v4++;
            String raw = e.path("protocol").asText("");
            String proto = protocol(raw);
            if (!NUMBERS.containsKey(proto)) {
                try {
                    int n = Integer.parseInt(proto);
                    if (n < 0 || n > 255) v.error(block, at + "/protocol", "protocol number " + n + " is outside 0..255");
                } catch (NumberFormatException x) {
                    v.error(block, at + "/protocol", "unknown protocol \"" + raw + "\" (tcp, udp, icmp, icmpv6, all, or a number 0-255)");
                    continue;
                }
            }
            String ports = e.path("ports").asText("all");
            if (isPortProtocol(proto) && !ports.equals("all")) {
                try {
                    int[] r = pair(ports, Integer.MIN_VALUE);
                    if (ports.split("-").length > 2 || r[0] < 0 || r[1] > 65535 || r[0] > r[1]) {
                        v.error(block, at + "/ports", "port range \"" + ports + "\" must be within 0-65535, low to high");
                    }
                } catch (NumberFormatException x) {
                    v.error(block, at + "/ports", "ports must be \"443\", \"1024-65535\" or \"all\", got \"" + ports + "\"");
                }
            } else if (isIcmp(proto) && !ports.equals("all")) {
                java.util.regex.Matcher m = ICMP_PORTS.matcher(ports);
                boolean ok = m.matches() && Integer.parseInt(m.group(1)) <= 255 && (m.group(2) == null || Integer.parseInt(m.group(2)) <= 255);
                if (!ok) v.error(block, at + "/ports", "ICMP ports are \"type\" or \"type-code\" within 0-255 (e.g. \"8\" or \"3-4\"), got \"" + ports + "\"");
            } else if (!ports.equals("all") && !isPortProtocol(proto) && !isIcmp(proto)) {
                v.error(block, at + "/ports", "protocol " + proto + " has no ports: use \"all\" or leave ports out");
            }
            if (proto.equals("icmpv6") && Cidr.isCidr(cidr) && !ipv6) v.error(block, at + "/cidr", "icmpv6 entries need an IPv6 CIDR");
        }
        if (v4 > MAX_ENTRIES_PER_FAMILY || v6 > MAX_ENTRIES_PER_FAMILY) {
            v.warning(block, "/" + list, "more than " + MAX_ENTRIES_PER_FAMILY + " " + (v6 > MAX_ENTRIES_PER_FAMILY ? "IPv6" : "IPv4") + " " + list
                    + " entries exceeds the default quota of " + MAX_ENTRIES_PER_FAMILY + " rules per network ACL direction (adjustable)");
        }
    }
}
