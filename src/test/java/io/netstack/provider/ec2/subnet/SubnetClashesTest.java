package io.netstack.provider.ec2.subnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 13 item 9: the subnet overlap check finds what comparing all pairs found, without comparing all pairs. */
class SubnetClashesTest {
    static ResourceBlock subnet(String id, String vpc, String cidr) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", "${" + vpc + "}");
        p.put("cidr", cidr);
        return new ResourceBlock(id, "subnet", p, "/resources/" + id);
    }

    /** The old check: every subnet against every earlier one of its VPC; the first-in-file overlap named. */
    static String bruteForce(List<ResourceBlock> all, ResourceBlock b) {
        Cidr c = Cidr.parse(b.properties().get("cidr").asText());
        for (ResourceBlock o : all) {
            if (o == b) return null;
            if (!o.properties().get("vpc").equals(b.properties().get("vpc"))) continue;
            Cidr oc = Cidr.parse(o.properties().get("cidr").asText());
            if (oc.overlaps(c)) return c + " overlaps subnet " + o.id() + " (" + oc + ") in the same VPC";
        }
        return null;
    }

    @Test
    void findsTheSameOverlapsAsComparingEveryPair() {
        Random rnd = new Random(13);
        for (int round = 0; round < 200; round++) {
            List<ResourceBlock> subnets = new ArrayList<>();
            int n = 1 + rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                int prefix = 20 + rnd.nextInt(9);
                long net = (10L << 24) | ((long) rnd.nextInt(1 << 6) << 10);
                net &= ~((1L << (32 - prefix)) - 1);
                String cidr = (net >> 24 & 255) + "." + (net >> 16 & 255) + "." + (net >> 8 & 255) + "." + (net & 255) + "/" + prefix;
                subnets.add(subnet("s" + i, "vpc" + rnd.nextInt(2), cidr));
            }
            SubnetClashes clashes = new SubnetClashes(subnets);
            for (ResourceBlock b : subnets) {
                String expected = bruteForce(subnets, b);
                List<String> got = clashes.of(b.id()).stream().filter(c -> c.pointer().equals("/cidr")).map(SubnetClashes.Clash::message).toList();
                assertEquals(expected == null ? List.of() : List.of(expected), got, "round " + round + ", " + b.id() + " in " + subnets);
            }
        }
    }

    @Test
    void twentyThousandIdenticalSubnetsTakeNLogNStepsAndOneErrorEach() {
        int n = 20_000;
        List<ResourceBlock> subnets = new ArrayList<>();
        for (int i = 0; i < n; i++) subnets.add(subnet("s" + i, "vpc", "10.0.0.0/24"));
        SubnetClashes clashes = new SubnetClashes(subnets);
        // All pairs would be n²/2 = 200,000,000 comparisons; a sort and a sweep are ~n log2 n.
        assertTrue(clashes.steps < 40L * n, "steps: " + clashes.steps);
        assertEquals(0, clashes.of("s0").size());
        for (int i = 1; i < n; i++) assertEquals(List.of(new SubnetClashes.Clash("/cidr", "10.0.0.0/24 overlaps subnet s0 (10.0.0.0/24) in the same VPC")), clashes.of("s" + i));
    }

    @Test
    void repeatedIpv6IndexesAndQuotaPositionsAreCountedPerVpc() {
        List<ResourceBlock> subnets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ResourceBlock b = subnet("a" + i, "vpc", "10.0." + i + ".0/24");
            ((ObjectNode) b.properties()).put("ipv6Index", 7);
            subnets.add(b);
        }
        subnets.add(subnet("other", "vpc2", "10.0.0.0/24"));
        SubnetClashes clashes = new SubnetClashes(subnets);
        assertEquals(List.of(), clashes.of("a0"));
        assertEquals(List.of(new SubnetClashes.Clash("/ipv6Index", "ipv6Index 7 is already used by subnet a0")), clashes.of("a2"));
        assertEquals(List.of(), clashes.of("other"), "another VPC's subnet may reuse the CIDR");
        assertEquals(3, clashes.positionInVpc("a2"));
        assertEquals(1, clashes.positionInVpc("other"));
    }
}
