package io.netstack.provider.ec2.vpnconnection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Finder;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ObservedSecrets;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GatewayType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VpnConnection;
import software.amazon.awssdk.services.ec2.model.VpnStaticRoute;
import software.amazon.awssdk.services.ec2.model.VpnTunnelOptionsSpecification;

/**
 * {@code vpn-connection}: a site-to-site IPsec VPN between a customer gateway and a VPN gateway
 * or a transit gateway (exactly one). The gateways, {@code staticRoutesOnly} and {@code tunnels}
 * are create-only; static {@code routes} are a set, changed in place with
 * Create/DeleteVpnConnectionRoute.
 *
 * <p><b>Tunnels.</b> AWS always builds two tunnels. {@code tunnels} is either absent (AWS picks
 * inside CIDRs and pre-shared keys; nothing is managed) or gives both, each with its
 * {@code insideCidr} (a /30 of 169.254.0.0/16) and optionally a {@code preSharedKey}. A tunnel is
 * identified by its inside CIDR, not by its position: DescribeVpnConnections does not promise to
 * return tunnels in the order they were given, so both sides are put in inside-CIDR order
 * ({@link #normalize}) and that is also the order of TunnelOptions in the create and of the
 * {@code tunnel1Address}/{@code tunnel2Address} attributes. Each key stays with its CIDR.
 *
 * <p><b>Pre-shared keys are write-only.</b> They are sent in CreateVpnConnection and never read
 * back into properties, never logged, never put in an error message: AWS failure messages of
 * calls that carried a key are scrubbed of it and lose their SDK cause. AWS returns the keys in
 * DescribeVpnConnections; each is turned into an in-process MAC as it is read
 * ({@link ObservedSecrets}), and the plan compares the file's key with it. Where a response has no
 * key, the slow salted digest the engine passes as {@link ResourceSpec#secretsDigest()} is the
 * fallback: stored in the {@code netstack:secrets} tag at creation and reported back as the
 * attribute of the same name ("" when the object has none, so that adding a key to a connection
 * made without one also plans a replacement).
 *
 * <p>Reads: one DescribeVpnConnections filtered by {@code tag:netstack:stack} (no pagination on this
 * call, docs/aws-facts.md), ownership re-checked client-side, deleted/deleting connections dropped
 * (moto keeps them visible as {@code deleted}); plus, only when some owned connection ends on a
 * transit gateway, one paginated DescribeTransitGatewayAttachments for their attachment ids.
 */
public final class VpnConnectionType extends Ec2Type {
    /**
     * Terraform vpnConnectionCreatedTimeout = 40 m (internal/service/ec2/wait.go); docs/aws-facts.md:
     * about 30 min to {@code available} on AWS. The waiter prints "still waiting" lines meanwhile.
     */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(40);
    /** Terraform vpnConnectionDeletedTimeout = 30 m. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(30);
    /**
     * Terraform waits only 15 s for a static route (vpnConnectionRouteCreated/DeletedTimeout); a
     * route being slower than that is not a failure worth stopping an apply for, so allow 2 m.
     */
    static final Duration ROUTE_TIMEOUT = Duration.ofMinutes(2);
    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    static final Status<VpnConnection> STATE = Status.of(VpnConnection::stateAsString);
    static final Wait AVAILABLE = Wait.available(CREATE_TIMEOUT);
    static final Wait ROUTES_SETTLED = Wait.until("static routes settled", ROUTE_TIMEOUT, "settled");
    static final Deletion DELETION = Deletion.of("DeleteVpnConnection", DELETE_TIMEOUT, "InvalidVpnConnectionID.NotFound");
    static final Deletion ROUTE_DELETION = Deletion.of("DeleteVpnConnectionRoute", ROUTE_TIMEOUT, "InvalidRoute.NotFound");
    /** AWS always creates two tunnels per VPN connection. */
    static final int TUNNELS = 2;
    /** EC2 API reference (VpnTunnelOptionsSpecification.TunnelInsideCidr): these /30s are reserved. */
    static final Set<String> RESERVED_INSIDE_CIDRS = Set.of("169.254.0.0/30", "169.254.1.0/30", "169.254.2.0/30",
            "169.254.3.0/30", "169.254.4.0/30", "169.254.5.0/30", "169.254.169.252/30");
    static final Cidr LINK_LOCAL = Cidr.parse("169.254.0.0/16");
    /** EC2 API reference (PreSharedKey): 8–64 of alphanumerics, '.' and '_', not starting with '0'. */
    static final Pattern PSK = Pattern.compile("[A-Za-z1-9._][A-Za-z0-9._]{7,63}");
    static final String PSK_RULE = "8–64 characters of A–Z, a–z, 0–9, '.' and '_', not starting with 0";

    private static final Schema SCHEMA = new Schema(true, List.of("tunnel1Address", "tunnel2Address", "transitGatewayAttachmentId"),
            Property.ref("customerGateway", List.of("customer-gateway"), List.of("cgw-")).required().createOnly(),
            Property.ref("vpnGateway", List.of("vpn-gateway"), List.of("vgw-")).createOnly()
                    .describe("the VPN gateway to connect (or transitGateway: exactly one of them)"),
            Property.ref("transitGateway", List.of("transit-gateway"), List.of("tgw-")).createOnly()
                    .describe("the transit gateway to connect (or vpnGateway: exactly one of them)"),
            Property.bool("staticRoutesOnly").createOnly().defaultValue(false)
                    .describe("static routing instead of BGP (for devices without BGP)"),
            Property.list("routes", Property.cidr("route")).defaultEmptyList()
                    .describe("static routes to on-premises networks (IPv4 CIDRs; needs staticRoutesOnly, VPN gateway only)"),
            Property.list("tunnels", Property.object("tunnel",
                    Property.cidr("insideCidr").required().describe("a /30 of 169.254.0.0/16 for the tunnel's inside addresses"),
                    Property.string("preSharedKey").writeOnly()
                            .describe("IKE pre-shared key, " + PSK_RULE + "; use ${env.NAME}")))
                    .createOnly().ordered()
                    .describe("both tunnels (AWS always makes two), or none to let AWS choose"));

    private final Finder<VpnConnection> connections = finder("DescribeVpnConnections", vpnId -> ec2().describeVpnConnections(r -> r.vpnConnectionIds(vpnId)).vpnConnections(),
            VpnConnection::vpnConnectionId, VpnConnection::stateAsString, GONE_STATES);

    public VpnConnectionType(AwsSession aws) {
        super(aws, "vpn-connection", "VPN connection", SCHEMA);
    }

    /** Tunnels are identified by inside CIDR (see the class comment): sort both sides by it. */
    @Override
    public ObjectNode normalize(ObjectNode p) {
        return VpnConnectionTranslator.normalize(p);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        VpnConnectionValidation.validate(b, v);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(ctx, List.of(Ec2Tags.stackFilter(ctx.stack())), null);
    }

    private List<LiveResource> read(TypeContext ctx, List<Filter> filters, String resource) {
        List<VpnConnection> owned = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        List<VpnConnection> all = AwsCalls.call(resource, "DescribeVpnConnections",
                () -> ec2().describeVpnConnections(r -> r.filters(filters)).vpnConnections());
        for (VpnConnection c : all) {
            if (gone(c.stateAsString())) continue;
            Ec2Tags.ownedId(c.tags(), ctx.stack()).ifPresent(id -> {
                owned.add(c);
                ids.put(c.vpnConnectionId(), id);
            });
        }
        Map<String, String> attachments = tgwAttachments(resource, owned);
        List<LiveResource> out = new ArrayList<>();
        for (VpnConnection c : owned) out.add(VpnConnectionTranslator.translate(name(), ids.get(c.vpnConnectionId()), c, attachments.get(c.vpnConnectionId())));
        return out;
    }

    /** VPN connection id → its transit gateway attachment id, for connections that end on a TGW (one call, only if there are any). */
    private Map<String, String> tgwAttachments(String resource, List<VpnConnection> owned) {
        List<String> onTgw = owned.stream().filter(c -> VpnConnectionTranslator.present(c.transitGatewayId())).map(VpnConnection::vpnConnectionId).toList();
        Map<String, String> out = new HashMap<>();
        if (onTgw.isEmpty()) return out;
        AwsCalls.run(resource, "DescribeTransitGatewayAttachments", () -> ec2().describeTransitGatewayAttachmentsPaginator(r -> r.filters(
                        Ec2Tags.filter("resource-type", "vpn"), Ec2Tags.filter("resource-id", onTgw)))
                .transitGatewayAttachments().forEach(a -> {
                    // moto ignores these filters (docs/moto-notes.md): match client-side.
                    String s = a.stateAsString();
                    if (onTgw.contains(a.resourceId()) && !"deleted".equals(s) && !"deleting".equals(s)) out.put(a.resourceId(), a.transitGatewayAttachmentId());
                }));
        return out;
    }

    /**
     * The connections that end on the VPN gateways of the import's VPCs: one DescribeVpnConnections
     * filtered by vpn-gateway-id (the gateways come from the read the vpn-gateway type imports
     * from). Connections to a transit gateway are not imported yet. The pre-shared keys AWS returns
     * are never written: the importer puts {@code ${env.…}} placeholders in their place.
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        if (scope.byReference() || scope.vpcIds().isEmpty()) return List.of();
        List<String> vgws = io.netstack.provider.ec2.vpngateway.VpnGatewayType.ofVpcs(ec2(), scope).stream().map(g -> g.vpnGatewayId()).toList();
        if (vgws.isEmpty()) return List.of();
        List<LiveResource> out = new ArrayList<>();
        // The region's connections unfiltered, kept by gateway here: DescribeVpnConnections takes no
        // pagination and a region holds few, and moto answers a vpn-gateway-id filter with a 500 once
        // any connection to a transit gateway exists (docs/moto-notes.md).
        for (VpnConnection c : AwsCalls.call(null, "DescribeVpnConnections", () -> ec2().describeVpnConnections().vpnConnections())) {
            if (gone(c.stateAsString()) || !vgws.contains(c.vpnGatewayId())) continue;
            out.add(Ec2Tags.any().mark(VpnConnectionTranslator.translate(name(), c.vpnConnectionId(), c, null), c.tags()));
        }
        return out;
    }

    static boolean gone(String state) {
        return GONE_STATES.contains(state);
    }


    private Optional<LiveResource> readOne(String id, String vpnId) {
        return connections.find(id, vpnId).map(c -> VpnConnectionTranslator.translate(name(), id, c, tgwAttachments(id, List.of(c)).get(vpnId)));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        List<String> secrets = new ArrayList<>();
        List<VpnTunnelOptionsSpecification> tunnels = new ArrayList<>();
        JsonNode ts = spec.properties().get("tunnels");
        if (ts != null) {
            for (int i = 0; i < ts.size(); i++) {
                JsonNode t = ts.get(i);
                VpnTunnelOptionsSpecification.Builder tb = VpnTunnelOptionsSpecification.builder().tunnelInsideCidr(t.path("insideCidr").asText());
                JsonNode psk = t.get("preSharedKey");
                if (psk != null && !psk.isNull()) {
                    String key = psk.asText();
                    if (!PSK.matcher(key).matches()) {
                        // The value came from the environment (literals are checked by validate): name the rule, never the value.
                        throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, "CreateVpnConnection",
                                "tunnels[" + i + "].preSharedKey is not a valid pre-shared key: " + PSK_RULE);
                    }
                    secrets.add(key);
                    tb.preSharedKey(key);
                }
                tunnels.add(tb.build());
            }
        }
        String cgw = spec.text("customerGateway"), vgw = spec.text("vpnGateway"), tgw = spec.text("transitGateway");
        boolean staticOnly = spec.bool("staticRoutesOnly", false);
        VpnConnection c = scrubbed(secrets, () -> mutate(ctx, id, "CreateVpnConnection", () -> ec2().createVpnConnection(r -> {
            r.type(GatewayType.IPSEC_1.toString()).customerGatewayId(cgw)
                    .options(o -> {
                        o.staticRoutesOnly(staticOnly);
                        if (!tunnels.isEmpty()) o.tunnelOptions(tunnels);
                    })
                    .tagSpecifications(Ec2Tags.spec(ResourceType.VPN_CONNECTION, spec.tags()));
            if (VpnConnectionTranslator.present(vgw)) r.vpnGatewayId(vgw);
            if (VpnConnectionTranslator.present(tgw)) r.transitGatewayId(tgw);
        }).vpnConnection()));
        String vpnId = c.vpnConnectionId();
        await(ctx, id, vpnId, AVAILABLE, () -> connections.find(id, vpnId, Set.of()), STATE);
        List<String> routes = new ArrayList<>();
        spec.properties().path("routes").forEach(r -> routes.add(r.asText()));
        if (!routes.isEmpty()) syncRoutes(ctx, id, vpnId, routes, List.of());
        return readBack(ctx, id, vpnId, () -> readOne(id, vpnId));
    }

    /**
     * Runs a call that carried pre-shared keys; if AWS's answer quotes one of them, the failure is
     * rebuilt without it and without the SDK exception (whose message would repeat it).
     */
    static <T> T scrubbed(List<String> secrets, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsFailure f) {
            boolean leaked = false;
            for (Throwable t = f; t != null && !leaked; t = t.getCause()) leaked = containsAny(t.getMessage(), secrets);
            if (!leaked) throw f;
            String msg = f.getMessage() == null ? "" : f.getMessage();
            for (String s : secrets) if (!s.isEmpty()) msg = msg.replace(s, "(sensitive)");
            throw new AwsFailure(f.category(), f.resource(), f.action(), f.code(), f.requestId(), msg, null);
        }
    }

    private static boolean containsAny(String text, List<String> secrets) {
        if (text == null) return false;
        for (String s : secrets) if (!s.isEmpty() && text.contains(s)) return true;
        return false;
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), vpnId = live.awsId();
        return updateExisting(ctx, live, spec, changed, () -> connections.find(id, vpnId), now -> {
            if (!changed.contains("routes")) return false;
            List<String> have = new ArrayList<>();
            for (VpnStaticRoute r : now.routes()) if (!gone(r.stateAsString())) have.add(Cidr.canonical(r.destinationCidrBlock()));
            List<String> want = new ArrayList<>();
            spec.properties().path("routes").forEach(r -> want.add(Cidr.canonical(r.asText())));
            return syncRoutes(ctx, id, vpnId, want, have);
        }, () -> readOne(id, vpnId));
    }

    /** Adds missing static routes first (traffic keeps flowing), then removes extra ones; waits for each. */
    private boolean syncRoutes(TypeContext ctx, String id, String vpnId, List<String> want, List<String> have) {
        List<String> add = want.stream().map(Cidr::canonical).filter(c -> !have.contains(c)).distinct().toList();
        List<String> remove = have.stream().filter(c -> !want.contains(c)).distinct().toList();
        for (String cidr : add) {
            mutateRun(ctx, id, "CreateVpnConnectionRoute", () -> ec2().createVpnConnectionRoute(r -> r.vpnConnectionId(vpnId).destinationCidrBlock(cidr)));
        }
        for (String cidr : remove) {
            deleteOnly(ctx, id, ROUTE_DELETION, () -> ec2().deleteVpnConnectionRoute(r -> r.vpnConnectionId(vpnId).destinationCidrBlock(cidr)));
        }
        if (add.isEmpty() && remove.isEmpty()) return false;
        await(ctx, id, vpnId, ROUTES_SETTLED, () -> connections.find(id, vpnId), c -> {
            Map<String, String> states = new HashMap<>();
            for (VpnStaticRoute r : c.routes()) states.put(Cidr.canonical(r.destinationCidrBlock()), r.stateAsString());
            for (String cidr : add) {
                String s = states.get(cidr);
                if (!"available".equals(s)) return new Waiter.Outcome("route " + cidr + " " + (s == null ? "not visible yet" : s), null);
            }
            for (String cidr : remove) {
                String s = states.get(cidr);
                if (s != null && !"deleted".equals(s)) return new Waiter.Outcome("route " + cidr + " " + s, null);
            }
            return new Waiter.Outcome("settled", null);
        });
        return true;
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), vpnId = live.awsId();
        deleteAndWaitGone(ctx, id, vpnId, DELETION, () -> ec2().deleteVpnConnection(r -> r.vpnConnectionId(vpnId)), () -> connections.find(id, vpnId, DELETED), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(List.of("DescribeTransitGatewayAttachments", "DescribeVpnConnections"), DELETION,
                List.of("CreateVpnConnection", "CreateVpnConnectionRoute"), List.of("CreateVpnConnectionRoute", "DeleteVpnConnectionRoute"),
                List.of("DeleteVpnConnectionRoute"), false);
    }
}
