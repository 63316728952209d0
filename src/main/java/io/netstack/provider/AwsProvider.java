package io.netstack.provider;

import io.netstack.provider.cloudfront.distribution.DistributionType;
import io.netstack.provider.directconnect.dxgateway.DxGatewayType;
import io.netstack.provider.directconnect.dxgatewayassociation.DxGatewayAssociationType;
import io.netstack.provider.directconnect.dxvirtualinterface.DxVirtualInterfaceType;
import io.netstack.provider.ec2.clientvpn.ClientVpnEndpointType;
import io.netstack.provider.ec2.dhcpoptions.DhcpOptionsType;
import io.netstack.provider.ec2.customergateway.CustomerGatewayType;
import io.netstack.provider.ec2.egressonlyinternetgateway.EgressOnlyInternetGatewayType;
import io.netstack.provider.ec2.endpointservice.EndpointServiceType;
import io.netstack.provider.ec2.flowlog.FlowLogType;
import io.netstack.provider.ec2.vpcendpoint.VpcEndpointType;
import io.netstack.provider.ec2.vpcpeering.VpcPeeringType;
import io.netstack.provider.ec2.vpcpeeringacceptance.VpcPeeringAcceptanceType;
import io.netstack.provider.ec2.vpnconnection.VpnConnectionType;
import io.netstack.provider.ec2.vpngateway.VpnGatewayType;
import io.netstack.provider.ec2.elasticip.ElasticIpType;
import io.netstack.provider.ec2.internetgateway.InternetGatewayType;
import io.netstack.provider.ec2.natgateway.NatGatewayType;
import io.netstack.provider.ec2.networkacl.NetworkAclType;
import io.netstack.provider.ec2.routetable.RouteTableType;
import io.netstack.provider.ec2.securitygroup.SecurityGroupType;
import io.netstack.provider.ec2.subnet.SubnetType;
import io.netstack.provider.ec2.transitgateway.TransitGatewayType;
import io.netstack.provider.ec2.transitgatewayattachment.TransitGatewayAttachmentType;
import io.netstack.provider.ec2.transitgatewayattachmentacceptance.TransitGatewayAttachmentAcceptanceType;
import io.netstack.provider.ec2.transitgatewaypeering.TransitGatewayPeeringType;
import io.netstack.provider.ec2.transitgatewayroutetable.TransitGatewayRouteTableType;
import io.netstack.provider.ec2.vpc.VpcType;
import io.netstack.provider.ram.resourceshare.RamResourceShareType;
import io.netstack.provider.ram.shareacceptance.RamShareAcceptanceType;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of AWS resource types: one line per type. */
public final class AwsProvider implements TypeRegistry {
    private final Map<String, ResourceType> types = new LinkedHashMap<>();
    private final AwsSession session;

    public AwsProvider(AwsSession session) {
        this.session = session;
        register(List.of(
                new VpcType(session),
                new DhcpOptionsType(session),
                new SubnetType(session),
                new SecurityGroupType(session),
                new InternetGatewayType(session),
                new EgressOnlyInternetGatewayType(session),
                new ElasticIpType(session),
                new NatGatewayType(session),
                new RouteTableType(session),
                new NetworkAclType(session),
                new TransitGatewayType(session),
                new TransitGatewayAttachmentType(session),
                new TransitGatewayAttachmentAcceptanceType(session),
                new TransitGatewayRouteTableType(session),
                new TransitGatewayPeeringType(session),
                new VpcPeeringType(session),
                new VpcPeeringAcceptanceType(session),
                new VpcEndpointType(session),
                new EndpointServiceType(session),
                new FlowLogType(session),
                new CustomerGatewayType(session),
                new VpnGatewayType(session),
                new VpnConnectionType(session),
                new ClientVpnEndpointType(session),
                new DxGatewayType(session),
                new DxGatewayAssociationType(session),
                new DxVirtualInterfaceType(session),
                new DistributionType(session),
                new RamResourceShareType(session),
                new RamShareAcceptanceType(session)
        ));
    }

    private void register(List<ResourceType> all) {
        for (ResourceType t : all) types.put(t.name(), t);
    }

    public AwsSession session() {
        return session;
    }

    @Override
    public Optional<ResourceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public Collection<ResourceType> all() {
        return types.values();
    }

    /**
     * The SDK's regions (generated from its partitions metadata, so they include the China,
     * GovCloud and ISO partitions), less its global pseudo-regions ("aws-global"). A region newer
     * than the SDK needs a newer netstack: better than a typo that passes validation and then
     * makes every call to a host that does not exist.
     */
    private static final java.util.Set<String> REGIONS = software.amazon.awssdk.regions.Region.regions().stream()
            .filter(r -> !r.isGlobalRegion()).map(software.amazon.awssdk.regions.Region::id)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    @Override
    public Optional<java.util.Set<String>> knownRegions() {
        return Optional.of(REGIONS);
    }

    @Override
    public io.netstack.spi.Pressure pressure() {
        return session.pressure();
    }

    @Override
    public Optional<io.netstack.spi.StackLocks> locks() {
        return Optional.of(new io.netstack.provider.lock.KeyPairLocks(session));
    }

    /**
     * Finds {@code id} of another stack by its ownership tags. Costs the look-ups of {@link #scope}
     * and one Describe per type that stack owns (the same reads as that stack's plan), once per referenced stack and id per plan
     * (the planner memoises). Read-only: nothing of the other stack is ever changed.
     */
    @Override
    public Optional<io.netstack.spi.LiveResource> findInStack(String stack, String id) {
        io.netstack.spi.Progress quiet = io.netstack.spi.Progress.NONE;
        io.netstack.spi.Waiter waiter = new io.netstack.spi.Waiter(io.netstack.spi.Sleeper.SYSTEM, quiet, 1.0);
        io.netstack.spi.Retry retry = new io.netstack.spi.Retry(io.netstack.spi.Sleeper.SYSTEM, quiet, 1.0);
        io.netstack.spi.TypeContext ctx = new io.netstack.spi.TypeContext() {
            @Override public String stack() { return stack; }
            @Override public String region() { return session.region(); }
            @Override public io.netstack.spi.Waiter waiter() { return waiter; }
            @Override public io.netstack.spi.Retry retry() { return retry; }
        };
        OwnedTypes.Owned lookUp = lookUp(ctx);
        java.util.Set<String> owned = scope(ctx, java.util.Set.of(), false, lookUp);
        Optional<io.netstack.spi.LiveResource> found = find(ctx, id, owned);
        if (found.isPresent()) return found;
        // The tagging API behind the hint for RAM shares is eventually consistent: a share the
        // referenced stack created seconds ago (the spoke planned right after the hub's apply in one
        // command) can be missing from it. A reference names the stack and id it needs, so the
        // regional hinted types the hint did not return are read in full (one GetResourceShares).
        java.util.Set<String> unread = new java.util.TreeSet<>(OwnedTypes.REGIONAL_HINTED_TYPES);
        unread.removeAll(owned);
        found = find(ctx, id, unread);
        if (found.isPresent()) return found;
        // A stack applied before markers existed has none: its global objects are found the way
        // its destroy finds them (the hint for every unmarked global type). Only on a miss, and
        // from the same DescribeTags.
        java.util.Set<String> rest = scope(ctx, java.util.Set.of(), true, lookUp);
        rest.removeAll(owned);
        rest.removeAll(unread);
        return find(ctx, id, rest);
    }

    private Optional<io.netstack.spi.LiveResource> find(io.netstack.spi.TypeContext ctx, String id, java.util.Set<String> read) {
        for (ResourceType t : types.values()) {
            if (!read.contains(t.name())) continue;
            for (io.netstack.spi.LiveResource r : t.list(ctx)) {
                if (r.id().equals(id)) return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The file's types, plus those {@link OwnedTypes} finds the stack owning: EC2 and the global
     * types its marker names from one DescribeTags ({@link GlobalMarkers}), and the global types
     * from the tagging API (a hint), asked only for marked types the file does not declare. A
     * destroy (whose planner has no desired resources, but reads the file's types in full) reads
     * every marked type in full and asks the hint for the unmarked ones
     * ({@link OwnedTypes#globalScope}).
     */
    @Override
    public java.util.Set<String> scope(io.netstack.spi.TypeContext ctx, java.util.Set<String> declared, boolean destroy) {
        return scope(ctx, declared, destroy, lookUp(ctx));
    }

    /** The owned-type look-up (one paginated DescribeTags), its marker rows remembered by the session. */
    private OwnedTypes.Owned lookUp(io.netstack.spi.TypeContext ctx) {
        OwnedTypes.Owned owned = OwnedTypes.ec2(session, ctx.stack());
        session.markers().seen(ctx.stack(), owned.marked(), owned.markerId());
        return owned;
    }

    private java.util.Set<String> scope(io.netstack.spi.TypeContext ctx, java.util.Set<String> declared, boolean destroy, OwnedTypes.Owned owned) {
        java.util.Set<String> scope = new java.util.TreeSet<>(declared);
        scope.addAll(owned.ec2());
        java.util.Set<String> global = new java.util.TreeSet<>(OwnedTypes.GLOBAL_TYPES);
        global.retainAll(types.keySet());
        OwnedTypes.GlobalScope g = OwnedTypes.globalScope(declared, owned.marked(), global, destroy);
        scope.addAll(g.inFull());
        if (!g.hinted().isEmpty()) scope.addAll(OwnedTypes.global(session, ctx.stack(), ctx.region(), g.hinted()));
        scope.retainAll(types.keySet());
        return scope;
    }

    /**
     * Brings the stack's marker up to date ({@link GlobalMarkers#settle}): marks the global types
     * of live objects it does not name, and removes the types of which a full read finds nothing
     * left. Calls nothing when the stack has no marker and holds no global object.
     */
    @Override
    public void settled(io.netstack.spi.TypeContext ctx, java.util.Set<String> declared, java.util.Set<String> live, boolean destroy) {
        java.util.Set<String> liveGlobal = new java.util.TreeSet<>(live);
        liveGlobal.retainAll(OwnedTypes.GLOBAL_TYPES);
        session.markers().settle(ctx.stack(), declared, destroy, liveGlobal,
                t -> find(t).map(x -> x.list(ctx)).orElse(java.util.List.of()));
    }

    @Override
    public ScopeNeeds scopeNeeds() {
        return new ScopeNeeds(OwnedTypes.LOOKUP_ACTIONS, java.util.Set.of(), io.netstack.provider.lock.KeyPairLocks.ACTIONS, OwnedTypes.companions(),
                OwnedTypes.GLOBAL_TYPES, GlobalMarkers.ACTIONS);
    }
}
