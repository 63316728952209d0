package io.netstack.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.spi.Ownership;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Every EC2 object of the kinds netstack creates, read straight from the test API (not through a
 * fault proxy, and not through netstack): the ground truth the fault tests judge netstack by.
 * Kinds are named like netstack's types. AWS's own objects (a VPC's default security group, main
 * route table and default network ACL) and deleted NAT gateways/endpoints are left out.
 */
final class Inventory {
    record Obj(String kind, String awsId, String vpcId, Map<String, String> tags) {
        String stack() {
            return tags.get(Ownership.STACK_TAG);
        }

        String id() {
            return tags.get(Ownership.ID_TAG);
        }

        boolean ownedBy(String s) {
            return s.equals(stack());
        }

        boolean tagged() {
            return stack() != null && id() != null;
        }

        @Override
        public String toString() {
            return kind + " " + awsId + (vpcId == null ? "" : " in " + vpcId) + (tagged() ? " [" + stack() + "/" + id() + "]" : " [untagged]");
        }
    }

    private final List<Obj> all;

    private Inventory(List<Obj> all) {
        this.all = all;
    }

    static Inventory read(Ec2Client ec2) {
        List<Obj> out = new ArrayList<>();
        ec2.describeVpcsPaginator(r -> { }).vpcs().forEach(v -> out.add(new Obj("vpc", v.vpcId(), v.vpcId(), tags(v.tags()))));
        ec2.describeSubnetsPaginator(r -> { }).subnets().forEach(s -> out.add(new Obj("subnet", s.subnetId(), s.vpcId(), tags(s.tags()))));
        ec2.describeSecurityGroupsPaginator(r -> { }).securityGroups().stream().filter(g -> !"default".equals(g.groupName()))
                .forEach(g -> out.add(new Obj("security-group", g.groupId(), g.vpcId(), tags(g.tags()))));
        ec2.describeRouteTablesPaginator(r -> { }).routeTables().stream()
                .filter(t -> t.associations().stream().noneMatch(a -> Boolean.TRUE.equals(a.main())))
                .forEach(t -> out.add(new Obj("route-table", t.routeTableId(), t.vpcId(), tags(t.tags()))));
        ec2.describeNetworkAclsPaginator(r -> { }).networkAcls().stream().filter(a -> !Boolean.TRUE.equals(a.isDefault()))
                .forEach(a -> out.add(new Obj("network-acl", a.networkAclId(), a.vpcId(), tags(a.tags()))));
        ec2.describeInternetGatewaysPaginator(r -> { }).internetGateways().forEach(g -> out.add(new Obj("internet-gateway", g.internetGatewayId(),
                g.attachments().isEmpty() ? null : g.attachments().get(0).vpcId(), tags(g.tags()))));
        ec2.describeEgressOnlyInternetGatewaysPaginator(r -> { }).egressOnlyInternetGateways().forEach(g -> out.add(new Obj("egress-only-internet-gateway",
                g.egressOnlyInternetGatewayId(), g.attachments().isEmpty() ? null : g.attachments().get(0).vpcId(), tags(g.tags()))));
        ec2.describeNatGatewaysPaginator(r -> { }).natGateways().stream().filter(n -> !"deleted".equals(n.stateAsString()))
                .forEach(n -> out.add(new Obj("nat-gateway", n.natGatewayId(), n.vpcId(), tags(n.tags()))));
        ec2.describeAddresses().addresses().forEach(a -> out.add(new Obj("elastic-ip", a.allocationId(), null, tags(a.tags()))));
        ec2.describeVpcEndpointsPaginator(r -> { }).vpcEndpoints().stream().filter(e -> !"deleted".equalsIgnoreCase(e.stateAsString()))
                .forEach(e -> out.add(new Obj("vpc-endpoint", e.vpcEndpointId(), e.vpcId(), tags(e.tags()))));
        return new Inventory(out);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> m = new TreeMap<>();
        if (tags != null) tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    List<Obj> all() {
        return all;
    }

    List<Obj> owned(String stack) {
        return all.stream().filter(o -> o.ownedBy(stack)).toList();
    }

    Set<String> vpcIds(String stack) {
        return owned(stack).stream().filter(o -> o.kind().equals("vpc")).map(Obj::awsId).collect(Collectors.toSet());
    }

    /** Objects inside {@code vpcIds} without both ownership tags. */
    List<Obj> untaggedIn(Collection<String> vpcIds) {
        return all.stream().filter(o -> o.vpcId() != null && vpcIds.contains(o.vpcId()) && !o.tagged()).toList();
    }

    /** Objects that are here but were not in {@code before}, and carry no ownership tags. */
    List<Obj> newUntagged(Inventory before) {
        Set<String> old = before.all.stream().map(Obj::awsId).collect(Collectors.toSet());
        return all.stream().filter(o -> !old.contains(o.awsId()) && !o.tagged()).toList();
    }

    /** logical id → type of every resource in a stack file, as loaded (templates and modules expanded, e.g. three-tier's net-vpc). */
    static Map<String, String> resources(Path stackFile) {
        Map<String, String> out = new TreeMap<>();
        io.netstack.stack.StackLoader.load(stackFile, Map.of(), Map.of()).resources().values().forEach(b -> out.put(b.id(), b.type()));
        return out;
    }

    /**
     * Exactly one live object per logical id of the file, of the file's type, and no owned object
     * with an id the file does not have.
     */
    void assertExactlyOneEach(String stack, Map<String, String> resources, String context) {
        Map<String, List<Obj>> byId = new TreeMap<>();
        for (Obj o : owned(stack)) byId.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(o);
        List<String> problems = new ArrayList<>();
        resources.forEach((id, type) -> {
            List<Obj> l = byId.getOrDefault(id, List.of());
            if (l.size() != 1) problems.add(id + ": " + l.size() + " live objects " + l);
            else if (!l.get(0).kind().equals(type)) problems.add(id + ": a " + l.get(0).kind() + " where the file says " + type);
        });
        byId.forEach((id, l) -> {
            if (!resources.containsKey(id)) problems.add(id + ": owned but not in the stack file " + l);
        });
        assertTrue(problems.isEmpty(), context + ": " + String.join("; ", problems));
        assertEquals(resources.size(), owned(stack).size(), context);
    }
}
