package io.netstack.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import io.netstack.testing.faults.FaultConfig;
import io.netstack.testing.faults.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

/**
 * Issue 11, bug 1: re-wiring never strands a subnet. Going from one NAT gateway to one per zone
 * moves the b and c subnets from the shared private route table to new tables that can only be
 * made once their NAT gateways are available; splitting a NACL in two moves them to a new NACL.
 * Then subnets trade places between existing tables and NACLs (swap), then all goes back (merge).
 * While each re-wiring apply runs, a watcher reads the associations of every
 * private subnet straight from moto, many times, and must never find one on the VPC's main
 * route table or on its default NACL.
 *
 * <p>Gap covered by the {@link FaultProxy}: moto answers at once and reports NAT gateways
 * {@code available} immediately, so a wrong order leaves a window too short to see. The proxy
 * adds 300–400 ms to every call of the CLI and keeps new NAT gateways {@code pending} for 3 s
 * (AWS: minutes), which opens the window a disassociate-first apply leaves wide enough for the
 * watcher (which talks to moto directly, without the proxy) to see. moto also lets a subnet be
 * associated with two route tables at once (docs/moto-notes.md), so the final state alone proves
 * nothing about the order: watching does.
 */
@ExtendWith(AwsApiExtension.class)
class RewireIT {
    static final String REGION = FaultStacks.REGION;
    static final List<String> PRIVATE = List.of("p-a1", "p-a2", "p-b1", "p-b2", "p-c1", "p-c2");
    /** Between two reads of the watcher; far below the proxy's per-call latency. */
    static final long WATCH_EVERY_MILLIS = 40;
    static final FaultConfig SLOW = FaultConfig.none().withLatency(Duration.ofMillis(300), Duration.ofMillis(100)).withPendingWindow(Duration.ofSeconds(3));

    static String subnets(String... ids) {
        return String.join(", ", java.util.Arrays.stream(ids).map(i -> "\"${" + i + "}\"").toList());
    }

    static final String ENTRIES = """
            "ingress": [ { "rule": 100, "protocol": "tcp", "ports": "443", "cidr": "10.71.0.0/16", "action": "allow" } ],
            "egress":  [ { "rule": 100, "protocol": "all", "cidr": "0.0.0.0/0", "action": "allow" } ]""";

    /** {@code perZone}: one NAT gateway, route table and second NACL per zone; otherwise one of each shared by all private subnets. */
    static String stack(String name, boolean perZone) {
        return stack(name, perZone, false);
    }

    /**
     * {@code swapped} (with {@code perZone}): p-b2 and p-c2 trade route tables, p-a2 and p-b1 trade
     * NACLs — each pair moves between two existing holders in opposite directions.
     */
    static String stack(String name, boolean perZone, boolean swapped) {
        StringBuilder r = new StringBuilder("""
                "vpc": { "type": "vpc", "cidr": "10.71.0.0/16" },
                "igw": { "type": "internet-gateway", "vpc": "${vpc}" },
                "pub-a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.71.0.0/24", "zone": "eu-west-1a" },
                "pub-b": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.71.1.0/24", "zone": "eu-west-1b" },
                "pub-c": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.71.2.0/24", "zone": "eu-west-1c" },
                "public": { "type": "route-table", "vpc": "${vpc}", "subnets": [%s],
                            "routes": [ { "destination": "0.0.0.0/0", "target": "${igw}" } ] },
                "ip-a": { "type": "elastic-ip" },
                "nat-a": { "type": "nat-gateway", "subnet": "${pub-a}", "eip": "${ip-a}" },
                """.formatted(subnets("pub-a", "pub-b", "pub-c")));
        for (int i = 0; i < PRIVATE.size(); i++) {
            String z = PRIVATE.get(i).substring(2, 3);
            r.append("\"%s\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.71.%d.0/24\", \"zone\": \"eu-west-1%s\" },\n"
                    .formatted(PRIVATE.get(i), 10 + i, z));
        }
        if (perZone) {
            r.append("""
                    "ip-b": { "type": "elastic-ip" },
                    "ip-c": { "type": "elastic-ip" },
                    "nat-b": { "type": "nat-gateway", "subnet": "${pub-b}", "eip": "${ip-b}" },
                    "nat-c": { "type": "nat-gateway", "subnet": "${pub-c}", "eip": "${ip-c}" },
                    "private": { "type": "route-table", "vpc": "${vpc}", "subnets": [%s],
                                 "routes": [ { "destination": "0.0.0.0/0", "target": "${nat-a}" } ] },
                    "private-b": { "type": "route-table", "vpc": "${vpc}", "subnets": [%s],
                                   "routes": [ { "destination": "0.0.0.0/0", "target": "${nat-b}" } ] },
                    "private-c": { "type": "route-table", "vpc": "${vpc}", "subnets": [%s],
                                   "routes": [ { "destination": "0.0.0.0/0", "target": "${nat-c}" } ] },
                    "acl": { "type": "network-acl", "vpc": "${vpc}", "subnets": [%s], %s },
                    "acl-bc": { "type": "network-acl", "vpc": "${vpc}", "subnets": [%s], %s }
                    """.formatted(subnets("p-a1", "p-a2"), swapped ? subnets("p-b1", "p-c2") : subnets("p-b1", "p-b2"),
                    swapped ? subnets("p-c1", "p-b2") : subnets("p-c1", "p-c2"),
                    swapped ? subnets("p-a1", "p-b1") : subnets("p-a1", "p-a2"), ENTRIES,
                    swapped ? subnets("p-a2", "p-b2", "p-c1", "p-c2") : subnets("p-b1", "p-b2", "p-c1", "p-c2"), ENTRIES));
        } else {
            String all = subnets(PRIVATE.toArray(String[]::new));
            r.append("""
                    "private": { "type": "route-table", "vpc": "${vpc}", "subnets": [%s],
                                 "routes": [ { "destination": "0.0.0.0/0", "target": "${nat-a}" } ] },
                    "acl": { "type": "network-acl", "vpc": "${vpc}", "subnets": [%s], %s }
                    """.formatted(all, all, ENTRIES));
        }
        return """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": { %s } }
                """.formatted(name, r);
    }

    @Test
    void splittingAndMergingRouteTablesAndNaclsNeverStrandsASubnet(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("rewire");
        Path f = StackFiles.write(dir, "s.json", stack(name, false));
        try (Ec2Client ec2 = api.ec2(REGION); FaultProxy proxy = FaultProxy.start(api.endpoint(), SLOW)) {
            // The starting point goes straight to moto: only the re-wiring is under test.
            Cli.Result first = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, first.exit(), first.toString());
            Map<String, String> ids = ownedIds(ec2, name);
            String vpc = ids.get("vpc");
            Map<String, String> subnetIds = new TreeMap<>();
            for (String s : PRIVATE) subnetIds.put(ids.get(s), s);
            Map<String, String> env = proxy.env(api.cliEnv(REGION));

            // 1. Split: one NAT gateway → one per zone; one NACL → two.
            StackFiles.write(dir, "s.json", stack(name, true));
            Watch split = watch(ec2, vpc, subnetIds, () -> Cli.run(env, "apply", f.toString(), "--auto-approve"));
            System.out.println("[RewireIT] split: " + split.summary() + "; " + proxy.stats().summary());
            split.assertNeverStranded("split");
            ids = ownedIds(ec2, name);
            Map<String, String> tableOf = split.last().routeTables(), aclOf = split.last().acls();
            for (String s : List.of("p-a1", "p-a2")) {
                assertEquals(ids.get("private"), tableOf.get(s), s);
                assertEquals(ids.get("acl"), aclOf.get(s), s);
            }
            for (String s : List.of("p-b1", "p-b2")) assertEquals(ids.get("private-b"), tableOf.get(s), s);
            for (String s : List.of("p-c1", "p-c2")) assertEquals(ids.get("private-c"), tableOf.get(s), s);
            for (String s : List.of("p-b1", "p-b2", "p-c1", "p-c2")) assertEquals(ids.get("acl-bc"), aclOf.get(s), s);
            assertNoChanges(api, f);

            // 2. Swap between existing holders: both sides change at once, neither may let go first.
            proxy.resetCounts();
            StackFiles.write(dir, "s.json", stack(name, true, true));
            Watch swap = watch(ec2, vpc, subnetIds, () -> Cli.run(env, "apply", f.toString(), "--auto-approve"));
            System.out.println("[RewireIT] swap: " + swap.summary() + "; " + proxy.stats().summary());
            swap.assertNeverStranded("swap");
            assertEquals(ids.get("private-c"), swap.last().routeTables().get("p-b2"));
            assertEquals(ids.get("private-b"), swap.last().routeTables().get("p-c2"));
            assertEquals(ids.get("acl-bc"), swap.last().acls().get("p-a2"));
            assertEquals(ids.get("acl"), swap.last().acls().get("p-b1"));
            assertNoChanges(api, f);

            // 3. Merge: back to one NAT gateway, one private table, one NACL; the per-zone ones are deleted.
            proxy.resetCounts();
            StackFiles.write(dir, "s.json", stack(name, false));
            Watch merge = watch(ec2, vpc, subnetIds, () -> Cli.run(env, "apply", f.toString(), "--auto-approve"));
            System.out.println("[RewireIT] merge: " + merge.summary() + "; " + proxy.stats().summary());
            merge.assertNeverStranded("merge");
            ids = ownedIds(ec2, name);
            for (String s : PRIVATE) {
                assertEquals(ids.get("private"), merge.last().routeTables().get(s), s);
                assertEquals(ids.get("acl"), merge.last().acls().get(s), s);
            }
            Filter inVpc = Filter.builder().name("vpc-id").values(vpc).build();
            Set<String> tables = ec2.describeRouteTables(r -> r.filters(inVpc)).routeTables().stream()
                    .filter(t -> t.associations().stream().noneMatch(a -> Boolean.TRUE.equals(a.main()))).map(RouteTable::routeTableId).collect(Collectors.toSet());
            assertEquals(Set.of(ids.get("public"), ids.get("private")), tables, "the per-zone tables are deleted");
            Set<String> acls = ec2.describeNetworkAcls(r -> r.filters(inVpc)).networkAcls().stream()
                    .filter(a -> !Boolean.TRUE.equals(a.isDefault())).map(NetworkAcl::networkAclId).collect(Collectors.toSet());
            assertEquals(Set.of(ids.get("acl")), acls, "the second NACL is deleted");
            assertNoChanges(api, f);
        } finally {
            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
        }
    }

    static void assertNoChanges(AwsApi api, Path f) {
        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), "no changes after apply: " + plan);
    }

    /** Logical id → AWS id of every EC2 object tagged with the stack (one DescribeTags). */
    static Map<String, String> ownedIds(Ec2Client ec2, String stack) {
        Map<String, String> byAws = new TreeMap<>();
        Map<String, String> out = new TreeMap<>();
        ec2.describeTagsPaginator(r -> r.filters(Filter.builder().name("key").values("netstack:stack").build(),
                Filter.builder().name("value").values(stack).build())).tags().forEach(t -> byAws.put(t.resourceId(), t.resourceId()));
        ec2.describeTagsPaginator(r -> r.filters(Filter.builder().name("key").values("netstack:id").build())).tags().forEach(t -> {
            if (byAws.containsKey(t.resourceId())) out.put(t.value(), t.resourceId());
        });
        return out;
    }

    /** Where each watched subnet was at one moment: route table id ("main" when none) and NACL id ("default" for the default one). */
    record Snapshot(Map<String, String> routeTables, Map<String, String> acls) {}

    /** {@code torn}: reads that caught moto in the middle of a Replace and were not confirmed by the next read. */
    record Watch(Cli.Result apply, List<Snapshot> snapshots, List<String> stranded, int torn) {
        Snapshot last() {
            return snapshots.get(snapshots.size() - 1);
        }

        String summary() {
            return snapshots.size() + " snapshots, " + stranded.size() + " stranded sightings (" + torn + " torn reads not confirmed), apply exit " + apply.exit();
        }

        void assertNeverStranded(String what) {
            assertEquals(0, apply.exit(), what + ": " + apply);
            assertTrue(snapshots.size() >= 10, what + ": the watcher saw the apply many times: " + summary());
            assertEquals(List.of(), stranded, what + ": a subnet fell back to the main route table or the default NACL");
        }
    }

    /** Runs {@code apply} while a thread snapshots the associations of {@code subnets} (AWS id → logical id) straight from moto. */
    static Watch watch(Ec2Client ec2, String vpc, Map<String, String> subnets, java.util.function.Supplier<Cli.Result> apply) {
        List<Snapshot> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> stranded = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger errors = new AtomicInteger(), torn = new AtomicInteger();
        Thread watcher = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Snapshot s = snapshot(ec2, vpc, subnets);
                    seen.add(s);
                    List<String> suspects = strandedIn(s);
                    if (!suspects.isEmpty()) {
                        // moto's Replace…Association pops the old association, then adds the new one,
                        // and a Describe that runs meanwhile reads table after table: it can see the
                        // subnet in neither (AWS's Replace is one step). Such a torn read is gone on
                        // the next read; a subnet really left on the main table or default NACL
                        // stays there at least until the next proxied call (300 ms or more).
                        Snapshot again = snapshot(ec2, vpc, subnets);
                        seen.add(again);
                        List<String> confirmed = new ArrayList<>(strandedIn(again));
                        confirmed.retainAll(suspects);
                        confirmed.forEach(x -> stranded.add("#" + seen.size() + " " + x));
                        if (confirmed.size() < suspects.size()) torn.incrementAndGet();
                    }
                    Thread.sleep(WATCH_EVERY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                }
            }
        }, "rewire-watch");
        watcher.start();
        Cli.Result result;
        try {
            result = apply.get();
        } finally {
            stop.set(true);
            try {
                watcher.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // One last look after the apply: the end state is part of "at any moment".
        Snapshot end = snapshot(ec2, vpc, subnets);
        seen.add(end);
        strandedIn(end).forEach(x -> stranded.add("after the apply: " + x));
        assertTrue(errors.get() <= seen.size() / 10, "the watcher could read: " + errors.get() + " failed reads");
        return new Watch(result, List.copyOf(seen), List.copyOf(stranded), torn.get());
    }

    /** "p-b1 on the main route table", "p-b1 on the default NACL" for every subnet on AWS's default holder. */
    static List<String> strandedIn(Snapshot s) {
        List<String> out = new ArrayList<>();
        s.routeTables().forEach((subnet, rt) -> {
            if (rt.equals("main")) out.add(subnet + " on the main route table");
        });
        s.acls().forEach((subnet, acl) -> {
            if (acl.equals("default")) out.add(subnet + " on the default NACL");
        });
        return out;
    }

    static Snapshot snapshot(Ec2Client ec2, String vpc, Map<String, String> subnets) {
        Filter inVpc = Filter.builder().name("vpc-id").values(vpc).build();
        Map<String, String> rt = new TreeMap<>(), acl = new TreeMap<>();
        subnets.values().forEach(s -> rt.put(s, "main"));
        for (RouteTable t : ec2.describeRouteTablesPaginator(r -> r.filters(inVpc)).routeTables()) {
            for (RouteTableAssociation a : t.associations()) {
                boolean active = a.associationState() == null || a.associationState().stateAsString() == null
                        || Set.of("associated", "associating").contains(a.associationState().stateAsString());
                if (Boolean.TRUE.equals(a.main()) || a.subnetId() == null || !active || !subnets.containsKey(a.subnetId())) continue;
                rt.put(subnets.get(a.subnetId()), t.routeTableId());
            }
        }
        for (NetworkAcl a : ec2.describeNetworkAclsPaginator(r -> r.filters(inVpc)).networkAcls()) {
            for (NetworkAclAssociation as : a.associations()) {
                if (as.subnetId() == null || !subnets.containsKey(as.subnetId())) continue;
                acl.put(subnets.get(as.subnetId()), Boolean.TRUE.equals(a.isDefault()) ? "default" : a.networkAclId());
            }
        }
        subnets.values().forEach(s -> acl.putIfAbsent(s, "default"));
        return new Snapshot(rt, acl);
    }
}
