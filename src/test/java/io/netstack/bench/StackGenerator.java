package io.netstack.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Realistic generated stacks for benchmarks and the plan call-count test: up to 5 VPCs (the
 * default per-region quota; one stack has one region), each with subnets over three zones,
 * security groups with CIDR rules and a rule naming the VPC's first group (late-bound, as real
 * stacks do), and, when those types are registered, an internet gateway, route tables (each
 * associated with its share of the subnets, a default route to the IGW) and network ACLs (each on
 * its own subnets, with allow/deny entries). Default quotas are respected (200 subnets per VPC,
 * 60 rules per group, 20 entries per NACL direction), so validation passes without warnings.
 *
 * <p>Only types in {@code available} are used: the generator follows what the provider registers.
 */
public final class StackGenerator {
    /** Amazon VPC quotas: 5 VPCs per region. */
    static final int MAX_VPCS = 5;
    /** Amazon VPC quotas: 200 subnets per VPC. */
    static final int MAX_SUBNETS_PER_VPC = 200;

    private StackGenerator() {}

    /** What a generated stack holds, per type. */
    public record Shape(int vpcs, int subnets, int securityGroups, int routeTables, int networkAcls, int internetGateways) {
        public int total() {
            return vpcs + subnets + securityGroups + routeTables + networkAcls + internetGateways;
        }

        @Override
        public String toString() {
            return vpcs + " VPCs, " + internetGateways + " internet gateways, " + subnets + " subnets, " + securityGroups + " security groups, "
                    + routeTables + " route tables, " + networkAcls + " network ACLs";
        }
    }

    public static ObjectNode generate(String stack, String region, int size, Set<String> available) {
        return build(stack, region, size, available, null);
    }

    public static Shape shape(int size, Set<String> available) {
        Shape[] out = new Shape[1];
        build("x", "eu-west-1", size, available, out);
        return out[0];
    }

    private static ObjectNode build(String stack, String region, int size, Set<String> available, Shape[] shapeOut) {
        if (size < 4) throw new IllegalArgumentException("a generated stack has at least 4 resources");
        boolean igw = available.contains("internet-gateway");
        boolean rt = available.contains("route-table");
        boolean acl = available.contains("network-acl");
        int vpcs = Math.min(MAX_VPCS, Math.max(size >= 20 ? 2 : 1, size / 150));
        int rest = size - vpcs - (igw ? vpcs : 0);
        int[] subnets = new int[vpcs], groups = new int[vpcs], tables = new int[vpcs], acls = new int[vpcs];
        for (int v = 0; v < vpcs; v++) {
            int share = rest / vpcs + (v < rest % vpcs ? 1 : 0);
            int t = rt ? Math.max(1, share * 12 / 100) : 0;
            int a = acl ? Math.max(1, share * 8 / 100) : 0;
            int s = Math.min(MAX_SUBNETS_PER_VPC, Math.max(1, (share - t - a) * 45 / 100));
            int g = share - t - a - s;
            if (g < 1) throw new IllegalArgumentException("size " + size + " is too small for the registered types");
            subnets[v] = s;
            groups[v] = g;
            tables[v] = t;
            acls[v] = a;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("stack", stack);
        root.put("region", region);
        root.putObject("tags").put("generated-by", "netstack-bench");
        ObjectNode res = root.putObject("resources");
        int totalSubnets = 0, totalGroups = 0, totalTables = 0, totalAcls = 0;
        for (int v = 0; v < vpcs; v++) {
            String vpc = "net" + v;
            String cidr = "10." + (10 + v) + ".0.0/16";
            ObjectNode vb = res.putObject(vpc);
            vb.put("type", "vpc");
            vb.put("cidr", cidr);
            vb.put("dnsHostnames", v % 2 == 0);
            vb.putObject("tags").put("tier", "net" + v);
            if (igw) {
                ObjectNode ib = res.putObject(vpc + "-igw");
                ib.put("type", "internet-gateway");
                ib.put("vpc", ref(vpc));
            }
            List<String> subnetIds = new ArrayList<>();
            for (int s = 0; s < subnets[v]; s++) {
                String id = vpc + "-sn" + s;
                subnetIds.add(id);
                ObjectNode sb = res.putObject(id);
                sb.put("type", "subnet");
                sb.put("vpc", ref(vpc));
                sb.put("cidr", "10." + (10 + v) + "." + s + ".0/24");
                sb.put("zone", region + (char) ('a' + s % 3));
                if (s % 4 == 0) sb.put("mapPublicIp", true);
            }
            totalSubnets += subnets[v];
            for (int g = 0; g < groups[v]; g++) {
                String id = vpc + "-sg" + g;
                ObjectNode gb = res.putObject(id);
                gb.put("type", "security-group");
                gb.put("vpc", ref(vpc));
                gb.put("description", "generated group " + g + " of " + vpc);
                ArrayNode in = gb.putArray("ingress");
                in.addObject().put("protocol", "tcp").put("ports", "443").put("from", cidr).put("description", "HTTPS inside the VPC");
                in.addObject().put("protocol", "tcp").put("ports", Integer.toString(8000 + g % 1000)).put("from", "10.0.0.0/8");
                if (g > 0) in.addObject().put("protocol", "tcp").put("ports", "1024-65535").put("from", ref(vpc + "-sg0")).put("description", "from the front group");
                if (g % 3 == 0) {
                    ArrayNode out = gb.putArray("egress");
                    out.addObject().put("protocol", "tcp").put("ports", "443").put("to", "0.0.0.0/0");
                    out.addObject().put("protocol", "udp").put("ports", "53").put("to", cidr);
                }
            }
            totalGroups += groups[v];
            // Each subnet goes to at most one route table and one NACL (AWS allows one of each).
            for (int t = 0; t < tables[v]; t++) {
                ObjectNode tb = res.putObject(vpc + "-rt" + t);
                tb.put("type", "route-table");
                tb.put("vpc", ref(vpc));
                ArrayNode assoc = tb.putArray("subnets");
                for (int s = t; s < subnetIds.size(); s += tables[v]) assoc.add(ref(subnetIds.get(s)));
                ArrayNode routes = tb.putArray("routes");
                if (igw && t == 0) routes.addObject().put("destination", "0.0.0.0/0").put("target", ref(vpc + "-igw"));
            }
            totalTables += tables[v];
            for (int a = 0; a < acls[v]; a++) {
                ObjectNode ab = res.putObject(vpc + "-acl" + a);
                ab.put("type", "network-acl");
                ab.put("vpc", ref(vpc));
                ArrayNode assoc = ab.putArray("subnets");
                for (int s = a; s < subnetIds.size(); s += acls[v]) assoc.add(ref(subnetIds.get(s)));
                ArrayNode in = ab.putArray("ingress");
                in.addObject().put("rule", 100).put("protocol", "tcp").put("ports", "443").put("cidr", "0.0.0.0/0").put("action", "allow");
                in.addObject().put("rule", 110).put("protocol", "tcp").put("ports", "1024-65535").put("cidr", cidr).put("action", "allow");
                in.addObject().put("rule", 200).put("protocol", "all").put("cidr", "0.0.0.0/0").put("action", "deny");
                ArrayNode out = ab.putArray("egress");
                out.addObject().put("rule", 100).put("protocol", "all").put("cidr", "0.0.0.0/0").put("action", "allow");
            }
            totalAcls += acls[v];
        }
        if (shapeOut != null) shapeOut[0] = new Shape(vpcs, totalSubnets, totalGroups, totalTables, totalAcls, igw ? vpcs : 0);
        return root;
    }

    private static String ref(String id) {
        return "${" + id + "}";
    }
}
