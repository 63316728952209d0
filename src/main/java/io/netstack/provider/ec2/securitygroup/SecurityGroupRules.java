package io.netstack.provider.ec2.securitygroup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Property;
import io.netstack.stack.Cidr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Translator between security group rules in stack form
 * ({@code {"protocol":"tcp","ports":"443","from":"0.0.0.0/0","description":"…"}}) and EC2's
 * {@link IpPermission}s. One stack rule has exactly one peer; AWS groups peers per
 * protocol/port, so one IpPermission may become several rules. Shared by {@code security-group}
 * and {@code vpc} (which manages its default group's rules).
 *
 * <p>Canonical form, so that what was applied reads back equal: protocol names, never numbers,
 * for tcp/udp/icmp/icmpv6 and "all" for -1; tcp/udp 0-65535 is "all"; a single port is "443";
 * ICMP ports are {@code type} or {@code type-code}, -1 meaning all; an empty description is absent.
 */
public final class SecurityGroupRules {
    private static final Map<String, String> PROTOCOL_NAMES = Map.of("-1", "all", "6", "tcp", "17", "udp", "1", "icmp", "58", "icmpv6");
    private static final Map<String, String> PROTOCOL_NUMBERS = Map.of("all", "-1", "tcp", "tcp", "udp", "udp", "icmp", "icmp", "icmpv6", "icmpv6");
    private static final Set<String> PORTLESS = Set.of("all");

    private SecurityGroupRules() {}

    /** The schema of one rule; {@code peer} is "from" (ingress) or "to" (egress). */
    public static Property.Builder ruleSchema(String name, String peer) {
        return Property.list(name, Property.object("rule",
                Property.string("protocol").required().describe("tcp, udp, icmp, icmpv6, all, or an IP protocol number"),
                Property.string("ports").describe("\"443\", \"1024-65535\" or \"all\" (ICMP: \"type\" or \"type-code\")"),
                Property.string(peer).required().describe("IPv4/IPv6 CIDR, security group reference or id, or prefix list id pl-…"),
                Property.string("description")));
    }

    public static String protocol(String p) {
        String lower = p.toLowerCase();
        return PROTOCOL_NAMES.getOrDefault(lower, lower);
    }

    /** Canonical form of one rule (protocol name, ports text, CIDR text, no empty description). */
    public static ObjectNode canonical(JsonNode rule, String peer) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        String proto = protocol(rule.path("protocol").asText("all"));
        o.put("protocol", proto);
        String ports = rule.path("ports").asText("all");
        o.put("ports", canonicalPorts(proto, ports));
        String p = rule.path(peer).asText();
        o.put(peer, Cidr.isCidr(p) ? Cidr.canonical(p) : p);
        String d = rule.path("description").asText("");
        if (!d.isEmpty()) o.put("description", d);
        return o;
    }

    static String canonicalPorts(String proto, String ports) {
        if (PORTLESS.contains(proto) || !isPortProtocol(proto) && !isIcmp(proto)) return "all";
        if (ports == null || ports.isEmpty() || ports.equals("all")) return "all";
        if (isIcmp(proto)) {
            if (ports.equals("-1") || ports.equals("-1--1")) return "all";
            if (ports.endsWith("--1")) return ports.substring(0, ports.length() - 3);
            return ports;
        }
        String[] r = ports.split("-");
        if (r.length == 2 && r[0].equals(r[1])) return r[0];
        if (r.length == 2 && r[0].equals("0") && r[1].equals("65535")) return "all";
        return ports;
    }

    static boolean isPortProtocol(String proto) {
        return proto.equals("tcp") || proto.equals("udp");
    }

    static boolean isIcmp(String proto) {
        return proto.equals("icmp") || proto.equals("icmpv6");
    }

    /** Stack rules from EC2 permissions. */
    public static ArrayNode fromAws(List<IpPermission> perms, String peer) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (IpPermission p : perms) {
            String proto = protocol(p.ipProtocol());
            String ports = portsText(proto, p.fromPort(), p.toPort());
            for (IpRange r : p.ipRanges()) out.add(rule(proto, ports, peer, r.cidrIp(), r.description()));
            for (Ipv6Range r : p.ipv6Ranges()) out.add(rule(proto, ports, peer, r.cidrIpv6(), r.description()));
            for (UserIdGroupPair g : p.userIdGroupPairs()) out.add(rule(proto, ports, peer, g.groupId(), g.description()));
            for (PrefixListId pl : p.prefixListIds()) out.add(rule(proto, ports, peer, pl.prefixListId(), pl.description()));
        }
        return out;
    }

    private static ObjectNode rule(String proto, String ports, String peerKey, String peer, String description) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("protocol", proto);
        o.put("ports", ports);
        o.put(peerKey, Cidr.isCidr(peer) ? Cidr.canonical(peer) : peer);
        if (description != null && !description.isEmpty()) o.put("description", description);
        return o;
    }

    static String portsText(String proto, Integer from, Integer to) {
        if (proto.equals("all") || from == null) return "all";
        if (isIcmp(proto)) {
            if (from == -1) return "all";
            return to == null || to == -1 ? String.valueOf(from) : from + "-" + to;
        }
        if (!isPortProtocol(proto)) return "all";
        if (from == 0 && to == 65535) return "all";
        return from.equals(to) ? String.valueOf(from) : from + "-" + to;
    }

    /** One EC2 permission per stack rule (peer references already resolved to AWS ids). */
    public static IpPermission toAws(JsonNode rule, String peer) {
        ObjectNode c = canonical(rule, peer);
        String proto = c.get("protocol").asText();
        IpPermission.Builder b = IpPermission.builder().ipProtocol(PROTOCOL_NUMBERS.getOrDefault(proto, proto));
        String ports = c.get("ports").asText();
        if (isPortProtocol(proto)) {
            int[] r = ports.equals("all") ? new int[] {0, 65535} : range(ports);
            b.fromPort(r[0]).toPort(r[1]);
        } else if (isIcmp(proto)) {
            if (ports.equals("all")) b.fromPort(-1).toPort(-1);
            else {
                String[] tc = ports.split("-");
                b.fromPort(Integer.parseInt(tc[0])).toPort(tc.length > 1 ? Integer.parseInt(tc[1]) : -1);
            }
        }
        String p = c.get(peer).asText();
        String d = c.path("description").asText(null);
        if (p.startsWith("pl-")) b.prefixListIds(PrefixListId.builder().prefixListId(p).description(d).build());
        else if (p.startsWith("sg-")) b.userIdGroupPairs(UserIdGroupPair.builder().groupId(p).description(d).build());
        else if (p.contains(":")) b.ipv6Ranges(Ipv6Range.builder().cidrIpv6(p).description(d).build());
        else b.ipRanges(IpRange.builder().cidrIp(p).description(d).build());
        return b.build();
    }

    /** "443" → {443, 443}; "1024-65535" → {1024, 65535}. */
    public static int[] range(String ports) {
        String[] r = ports.split("-");
        int a = Integer.parseInt(r[0].trim());
        int b = r.length > 1 ? Integer.parseInt(r[1].trim()) : a;
        return new int[] {a, b};
    }

    /** Rules in {@code have} not in {@code want}, and in {@code want} not in {@code have}, by canonical form. */
    public static Delta delta(JsonNode want, JsonNode have, String peer) {
        Map<String, JsonNode> w = index(want, peer), h = index(have, peer);
        List<JsonNode> add = new ArrayList<>(), remove = new ArrayList<>();
        w.forEach((k, v) -> {
            if (!h.containsKey(k)) add.add(v);
        });
        h.forEach((k, v) -> {
            if (!w.containsKey(k)) remove.add(v);
        });
        return new Delta(add, remove);
    }

    public record Delta(List<JsonNode> add, List<JsonNode> remove) {
        public boolean isEmpty() {
            return add.isEmpty() && remove.isEmpty();
        }
    }

    private static Map<String, JsonNode> index(JsonNode rules, String peer) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        if (rules != null) for (JsonNode r : rules) m.put(canonical(r, peer).toString(), r);
        return m;
    }

    /** Revokes what is no longer wanted, then authorizes what is new; rule peers are AWS ids. */
    public static void apply(software.amazon.awssdk.services.ec2.Ec2Client ec2, String resource, String groupId, boolean ingress, Delta d, String peer) {
        List<IpPermission> remove = d.remove().stream().map(r -> toAws(r, peer)).toList();
        List<IpPermission> add = d.add().stream().map(r -> toAws(r, peer)).toList();
        if (!remove.isEmpty()) {
            if (ingress) io.netstack.provider.AwsCalls.run(resource, "RevokeSecurityGroupIngress", () -> ec2.revokeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(remove)));
            else io.netstack.provider.AwsCalls.run(resource, "RevokeSecurityGroupEgress", () -> ec2.revokeSecurityGroupEgress(r -> r.groupId(groupId).ipPermissions(remove)));
        }
        if (!add.isEmpty()) {
            if (ingress) io.netstack.provider.AwsCalls.run(resource, "AuthorizeSecurityGroupIngress", () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(add)));
            else io.netstack.provider.AwsCalls.run(resource, "AuthorizeSecurityGroupEgress", () -> ec2.authorizeSecurityGroupEgress(r -> r.groupId(groupId).ipPermissions(add)));
        }
    }

    /** Canonicalises the rules of {@code list} in place (for {@code ResourceType.normalize}). */
    public static void normalize(com.fasterxml.jackson.databind.node.ObjectNode props, String list, String peer) {
        JsonNode rules = props.get(list);
        if (rules == null || !rules.isArray()) return;
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode r : rules) out.add(canonical(r, peer));
        props.set(list, out);
    }

    /** Schema-level checks of a rule list: protocol, ports, peer, duplicates. */
    public static void validate(io.netstack.stack.ResourceBlock block, io.netstack.spi.Validation v, String base, JsonNode rules, String peer) {
        if (rules == null || !rules.isArray()) return;
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            String at = base + "/" + i;
            String proto = protocol(r.path("protocol").asText(""));
            boolean known = PROTOCOL_NUMBERS.containsKey(proto);
            if (!known) {
                try {
                    int n = Integer.parseInt(proto);
                    if (n < 0 || n > 255) v.error(block, at + "/protocol", "protocol number " + n + " is outside 0..255");
                } catch (NumberFormatException e) {
                    v.error(block, at + "/protocol", "unknown protocol \"" + r.path("protocol").asText() + "\" (tcp, udp, icmp, icmpv6, all, or a number 0-255)");
                    continue;
                }
            }
            String ports = r.path("ports").asText("all");
            if (isPortProtocol(proto) && !ports.equals("all")) {
                try {
                    int[] range = range(ports);
                    if (range[0] < 0 || range[1] > 65535 || range[0] > range[1]) v.error(block, at + "/ports", "port range \"" + ports + "\" must be within 0-65535, low to high");
                } catch (NumberFormatException e) {
                    v.error(block, at + "/ports", "ports must be \"443\", \"1024-65535\" or \"all\", got \"" + ports + "\"");
                }
            } else if (isIcmp(proto) && !ports.equals("all")) {
                try {
                    int[] tc = range(ports);
                    if (tc[0] < 0 || tc[0] > 255 || tc.length > 1 && (tc[1] < -1 || tc[1] > 255)) v.error(block, at + "/ports", "ICMP type/code must be within 0-255");
                } catch (NumberFormatException e) {
                    v.error(block, at + "/ports", "ICMP ports are \"type\" or \"type-code\" (e.g. \"8\" or \"3-4\"), got \"" + ports + "\"");
                }
            } else if (!ports.equals("all") && (proto.equals("all") || !isPortProtocol(proto) && !isIcmp(proto))) {
                v.error(block, at + "/ports", "protocol " + proto + " has no ports: use \"all\" or leave ports out");
            }
            String p = r.path(peer).asText("");
            if (!p.startsWith("${") && !p.startsWith("sg-") && !p.startsWith("pl-")) {
                try {
                    io.netstack.stack.Cidr.parse(p);
                } catch (IllegalArgumentException e) {
                    v.error(block, at + "/" + peer, e.getMessage() + " (expected a CIDR, a security group reference or id, or a prefix list id)");
                    continue;
                }
            }
            if (proto.equals("icmpv6") && io.netstack.stack.Cidr.isCidr(p) && !p.contains(":")) {
                v.error(block, at + "/" + peer, "icmpv6 rules need an IPv6 CIDR");
            }
            String key = canonical(r, peer).without("description").toString();
            Integer prev = seen.putIfAbsent(key, i);
            if (prev != null) v.error(block, at, "duplicate rule: same as " + base.substring(base.lastIndexOf('/') + 1) + "[" + prev + "]");
        }
    }
}
