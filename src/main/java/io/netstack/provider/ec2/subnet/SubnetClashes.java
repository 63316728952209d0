package io.netstack.provider.ec2.subnet;

import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cross-subnet checks of one stack, computed once for all its subnets: overlapping CIDRs and
 * repeated IPv6 indexes within a VPC, and each subnet's position in its VPC (for the quota
 * warning). Each clash is reported once, on the later subnet in the file, naming the first
 * subnet in the file it clashes with.
 *
 * <p>Comparing every subnet with every earlier one took over 300 s for 20,000 subnets. Here the
 * overlaps come from one sort per VPC: two CIDR blocks overlap only when one contains the other,
 * so in address order (shorter prefix first) the blocks containing a subnet are exactly those on
 * a stack of "open" blocks, and those it contains follow it contiguously. O(n log n).
 */
final class SubnetClashes {
    record Clash(String pointer, String message) {}

    private final Map<String, List<Clash>> byId = new HashMap<>();
    private final Map<String, Integer> positionInVpc = new HashMap<>();
    /** Steps taken (sort comparisons and sweep steps), so a test can check the growth is not quadratic. */
    long steps;

    private record Entry(int index, ResourceBlock block, Cidr cidr, long first, long last) {}

    private static final class Open {
        final Entry e;
        /** The first-in-file among this block and the open blocks under it (which all contain it). */
        final Entry firstAround;
        /** The first-in-file among the blocks it contains, once they have been seen. */
        Entry firstInside;

        Open(Entry e, Entry firstAround) {
            this.e = e;
            this.firstAround = firstAround;
        }
    }

    SubnetClashes(List<ResourceBlock> subnets) {
        Map<String, List<Entry>> vpcs = new LinkedHashMap<>();
        int index = 0;
        for (ResourceBlock b : subnets) {
            String vpc = String.valueOf(b.properties().get("vpc"));
            List<Entry> group = vpcs.computeIfAbsent(vpc, k -> new ArrayList<>());
            positionInVpc.put(b.id(), group.size() + 1);
            Cidr c;
            try {
                c = Cidr.parse(b.properties().path("cidr").asText());
            } catch (IllegalArgumentException e) {
                c = null; // reported by the schema check
            }
            boolean v4 = c != null && !c.ipv6();
            group.add(new Entry(index++, b, v4 ? c : null, v4 ? c.network().longValue() : 0, v4 ? c.last().longValue() : -1));
        }
        for (List<Entry> group : vpcs.values()) {
            overlaps(group);
            ipv6Indexes(group);
        }
    }

    List<Clash> of(String id) {
        return byId.getOrDefault(id, List.of());
    }

    int positionInVpc(String id) {
        return positionInVpc.getOrDefault(id, 0);
    }

    private void overlaps(List<Entry> group) {
        List<Entry> sorted = new ArrayList<>(group.stream().filter(e -> e.cidr() != null).toList());
        Comparator<Entry> order = Comparator.comparingLong(Entry::first).thenComparingInt(e -> e.cidr().prefix()).thenComparingInt(Entry::index);
        sorted.sort((a, b) -> {
            steps++;
            return order.compare(a, b);
        });
        Deque<Open> open = new ArrayDeque<>();
        for (Entry e : sorted) {
            while (!open.isEmpty() && open.peek().e.last() < e.first()) close(open);
            steps++;
            Entry around = open.isEmpty() ? e : earlier(open.peek().firstAround, e);
            open.push(new Open(e, around));
        }
        while (!open.isEmpty()) close(open);
    }

    /** The top block's insides are all seen: report it if an earlier subnet contains it or lies in it. */
    private void close(Deque<Open> open) {
        steps++;
        Open o = open.pop();
        if (!open.isEmpty()) {
            Open parent = open.peek();
            parent.firstInside = earlier(parent.firstInside, earlier(o.firstInside, o.e));
        }
        Entry first = earlier(o.firstAround == o.e ? null : o.firstAround, o.firstInside);
        if (first != null && first.index() < o.e.index()) {
            add(o.e, "/cidr", o.e.cidr() + " overlaps subnet " + first.block().id() + " (" + first.cidr() + ") in the same VPC");
        }
    }

    private static Entry earlier(Entry a, Entry b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.index() <= b.index() ? a : b;
    }

    private void ipv6Indexes(List<Entry> group) {
        Map<String, Entry> firstWith = new HashMap<>();
        for (Entry e : group) {
            var idx = e.block().properties().get("ipv6Index");
            if (idx == null || idx.isNull()) continue;
            Entry first = firstWith.putIfAbsent(idx.toString(), e);
            if (first != null) add(e, "/ipv6Index", "ipv6Index " + idx + " is already used by subnet " + first.block().id());
        }
    }

    private void add(Entry e, String pointer, String message) {
        byId.computeIfAbsent(e.block().id(), k -> new ArrayList<>()).add(new Clash(pointer, message));
    }
}
