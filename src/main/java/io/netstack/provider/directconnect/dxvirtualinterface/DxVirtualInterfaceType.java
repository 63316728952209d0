package io.netstack.provider.directconnect.dxvirtualinterface;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
import io.netstack.provider.Finder;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.provider.directconnect.DxCalls;
import io.netstack.provider.directconnect.DxTags;
import io.netstack.provider.directconnect.DxType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.directconnect.model.ResourceTag;
import software.amazon.awssdk.services.directconnect.model.RouteFilterPrefix;
import software.amazon.awssdk.services.directconnect.model.Tag;
import software.amazon.awssdk.services.directconnect.model.VirtualInterface;

/**
 * {@code dx-virtual-interface}: a private, transit or public virtual interface on an existing
 * connection or LAG ({@code dxcon-…}/{@code dxlag-…}, which netstack does not manage). Everything
 * that shapes the BGP session is create-only; {@code mtu} and {@code name} change in place with
 * UpdateVirtualInterfaceAttributes.
 *
 * <p><b>BGP auth key.</b> {@code authKey} is write-only ({@code ${env.NAME}} allowed): sent in the
 * create call and nowhere else. DescribeVirtualInterfaces returns the key in clear; on read it is
 * turned at once into an in-process MAC ({@link io.netstack.spi.ObservedSecrets}) that the plan
 * compares the file's key with, and is never logged or shown. As a fallback (a response without the
 * key), a slow salted digest ({@link ResourceSpec#SECRETS_TAG}) goes on the interface as a tag at
 * creation and comes back as the attribute of the same name. Either way a changed key plans a
 * replacement (AWS cannot change a key in place). An interface made without a key reports the
 * digest {@value #NO_SECRETS}, so adding a key later is seen too. The key is checked (6–80
 * printable ASCII characters, no spaces) before it is sent, and AWS errors of the create call are
 * scrubbed of it.
 *
 * <p><b>Ownership and reads.</b> Virtual interfaces take tags (creation {@code tags}, TagResource),
 * so they carry the usual {@code netstack:stack}/{@code netstack:id}. DescribeVirtualInterfaces has
 * no filter and no pagination: one call returns every interface in the region. The tags come
 * inline when the response has them; for interfaces whose entry has none, netstack reads them with
 * one DescribeTags per interface (N interfaces in the region ⇒ 1 + N calls; a region holds tens at
 * most: 50 virtual interfaces per connection by default).
 *
 * <p><b>States.</b> A new interface on a real connection whose BGP session is not up yet is
 * {@code down}, so {@code available} and {@code down} both count as created. {@code deleting},
 * {@code deleted} and {@code rejected} interfaces are not listed.
 */
public final class DxVirtualInterfaceType extends DxType {
    /** Terraform aws_dx_private/transit/public_virtual_interface: create, update and delete 10 m each. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    /** The secrets attribute of an interface made without a key. */
    public static final String NO_SECRETS = "none";
    static final Set<String> CREATED = Set.of("available", "down");
    static final Set<String> GONE_STATES = Set.of("deleting", "deleted", "rejected");
    static final Status<VirtualInterface> STATE = Status.of(VirtualInterface::virtualInterfaceStateAsString);
    static final Deletion DELETION = Deletion.of("DeleteVirtualInterface", DELETE_TIMEOUT, DxCalls.CLIENT_EXCEPTION);
    static final Pattern CONNECTION = Pattern.compile("dx(con|lag)-[0-9a-z]+");
    /**
     * Direct Connect API reference (NewPrivateVirtualInterface.authKey): 6–80 characters. The
     * charset is netstack's: printable ASCII without spaces, what router MD5 password fields
     * accept everywhere; a key outside it is refused before AWS sees it, not half-configured.
     */
    static final Pattern AUTH_KEY = Pattern.compile("[\\x21-\\x7E]{6,80}");
    static final String AUTH_KEY_RULE = "6–80 printable ASCII characters without spaces";
    /** Allowed MTUs by kind (Direct Connect User Guide, "MTUs for private virtual interfaces or transit virtual interfaces"). */
    static final Map<String, List<Integer>> MTUS = Map.of("private", List.of(1500, 9001), "transit", List.of(1500, 8500), "public", List.of(1500));

    private static final Schema SCHEMA = new Schema(true, List.of("arn", "amazonSideAsn", "awsDevice", "jumboFrameCapable"),
            Property.string("connection").required().createOnly().describe("the connection or LAG (dxcon-…/dxlag-…) it runs on; netstack does not manage connections"),
            Property.string("kind").required().createOnly().oneOf("private", "transit", "public"),
            Property.string("name").describe("interface name, changed in place; default <stack>-<id>"),
            Property.integer("vlan").required().createOnly().range(1, 4094),
            Property.integer("customerAsn").required().createOnly().range(1, 4294967295L).describe("the BGP ASN of your router"),
            Property.ref("dxGateway", List.of("dx-gateway"), List.of()).createOnly().describe("Direct Connect gateway (private or transit)"),
            Property.ref("vpnGateway", List.of("vpn-gateway"), List.of("vgw-")).createOnly().describe("VPN gateway (private only; instead of dxGateway)"),
            Property.integer("mtu").defaultValue(1500).describe("1500 or 9001 (private), 1500 or 8500 (transit), 1500 (public); changed in place"),
            Property.string("authKey").createOnly().writeOnly().describe("BGP MD5 key (6–80 printable ASCII characters, no spaces); may be ${env.NAME}; AWS generates one if omitted"),
            Property.string("addressFamily").createOnly().oneOf("ipv4", "ipv6").defaultValue("ipv4"),
            Property.string("amazonAddress").createOnly().describe("Amazon-side peer address with prefix length, e.g. 169.254.255.1/30; AWS assigns one if omitted (private, transit)"),
            Property.string("customerAddress").createOnly().describe("your peer address with prefix length; AWS assigns one if omitted (private, transit)"),
            Property.list("prefixes", Property.cidr("cidr")).createOnly().describe("public only: the public prefixes you advertise"));

    private final Finder<VirtualInterface> interfaces = finder("DescribeVirtualInterfaces", vifId -> dx().describeVirtualInterfaces(r -> r.virtualInterfaceId(vifId)).virtualInterfaces(),
            VirtualInterface::virtualInterfaceId, VirtualInterface::virtualInterfaceStateAsString, GONE_STATES);

    public DxVirtualInterfaceType(AwsSession aws) {
        super(aws, "dx-virtual-interface", "virtual interface", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        String kind = p.path("kind").asText();
        String conn = p.path("connection").asText();
        if (!CONNECTION.matcher(conn).matches()) v.error(b, "/connection", "\"" + conn + "\" is not a connection or LAG id (dxcon-… or dxlag-…)");
        boolean dxgw = p.has("dxGateway"), vgw = p.has("vpnGateway");
        switch (kind) {
            case "private" -> {
                if (dxgw == vgw) v.error(b, dxgw ? "/vpnGateway" : "", "a private virtual interface needs exactly one of dxGateway and vpnGateway");
            }
            case "transit" -> {
                if (!dxgw) v.error(b, "", "a transit virtual interface needs dxGateway");
                if (vgw) v.error(b, "/vpnGateway", "a transit virtual interface attaches to a Direct Connect gateway, not a VPN gateway");
            }
            case "public" -> {
                if (dxgw) v.error(b, "/dxGateway", "a public virtual interface has no gateway");
                if (vgw) v.error(b, "/vpnGateway", "a public virtual interface has no gateway");
                if (!p.has("prefixes") || p.get("prefixes").isEmpty()) v.error(b, "", "a public virtual interface needs the public prefixes it advertises (prefixes)");
                if (!p.has("amazonAddress") || !p.has("customerAddress")) v.error(b, "", "a public virtual interface needs amazonAddress and customerAddress (public IPs you own)");
            }
            default -> { }
        }
        if (p.has("prefixes") && !kind.equals("public")) v.error(b, "/prefixes", "prefixes are for public virtual interfaces only");
        if (p.has("mtu") && MTUS.containsKey(kind) && !MTUS.get(kind).contains(p.get("mtu").asInt())) {
            v.error(b, "/mtu", "a " + kind + " virtual interface's MTU is " + String.join(" or ", MTUS.get(kind).stream().map(String::valueOf).toList()) + ", got " + p.get("mtu").asText());
        }
        JsonNode key = p.get("authKey");
        if (key != null && key.isTextual() && !key.asText().startsWith("${") && !AUTH_KEY.matcher(key.asText()).matches()) {
            // Never echo the key: the message names the rule, not the value.
            v.error(b, "/authKey", "not a valid BGP auth key: " + AUTH_KEY_RULE);
        }
        for (String a : List.of("amazonAddress", "customerAddress")) {
            if (p.has(a) && !isAddressWithPrefix(p.get(a).asText())) {
                v.error(b, "/" + a, "\"" + p.get(a).asText() + "\" is not an address with a prefix length, like 169.254.255.1/30");
            }
        }
        String name = p.path("name").asText(null);
        if (name != null && (name.isBlank() || name.length() > 100)) v.error(b, "/name", "a virtual interface name is 1–100 characters");
    }

    /** {@code 169.254.255.1/30}: an address (host bits allowed) and a prefix length. */
    static boolean isAddressWithPrefix(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return false;
        String addr = s.substring(0, slash);
        boolean v6 = addr.contains(":");
        try {
            int len = Integer.parseInt(s.substring(slash + 1));
            if (len < 1 || len > (v6 ? 128 : 32)) return false;
            Cidr.parse(addr + (v6 ? "/128" : "/32"));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<VirtualInterface> all = DxCalls.call(null, "DescribeVirtualInterfaces", () -> dx().describeVirtualInterfaces().virtualInterfaces());
        List<LiveResource> out = new ArrayList<>();
        for (VirtualInterface vif : all) {
            if (GONE_STATES.contains(vif.virtualInterfaceStateAsString())) continue;
            List<Tag> tags = tags(ctx, null, vif);
            DxTags.ownedId(tags, ctx.stack(), null).ifPresent(id -> out.add(translate(ctx, id, vif, tags)));
        }
        return out;
    }

    /** The interface's tags: inline when the response has them, else one DescribeTags. */
    private List<Tag> tags(TypeContext ctx, String resource, VirtualInterface vif) {
        if (vif.hasTags()) return vif.tags();
        String arn = arn(ctx, vif);
        return find(resource, "DescribeTags", () -> dx().describeTags(r -> r.resourceArns(arn)).resourceTags()).orElse(List.of()).stream()
                .filter(t -> arn.equals(t.resourceArn())).findFirst().map(ResourceTag::tags).orElse(List.of());
    }

    static String arn(TypeContext ctx, VirtualInterface vif) {
        return DxTags.virtualInterfaceArn(vif.region() != null && !vif.region().isBlank() ? vif.region() : ctx.region(), vif.ownerAccount(), vif.virtualInterfaceId());
    }

    private LiveResource translate(TypeContext ctx, String id, VirtualInterface vif, List<Tag> tags) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("connection", vif.connectionId());
        p.put("kind", vif.virtualInterfaceType());
        p.put("name", vif.virtualInterfaceName());
        if (vif.vlan() != null) p.put("vlan", vif.vlan());
        Long asn = vif.asnLong() != null ? vif.asnLong() : vif.asn() == null ? null : Long.valueOf(vif.asn());
        if (asn != null) p.put("customerAsn", asn);
        String dxgw = DxCalls.blankToNull(vif.directConnectGatewayId()), vgw = DxCalls.blankToNull(vif.virtualGatewayId());
        if (dxgw != null) p.put("dxGateway", dxgw);
        if (vgw != null) p.put("vpnGateway", vgw);
        if (vif.mtu() != null) p.put("mtu", vif.mtu());
        if (vif.addressFamilyAsString() != null) p.put("addressFamily", vif.addressFamilyAsString());
        if (DxCalls.blankToNull(vif.amazonAddress()) != null) p.put("amazonAddress", vif.amazonAddress());
        if (DxCalls.blankToNull(vif.customerAddress()) != null) p.put("customerAddress", vif.customerAddress());
        if (vif.hasRouteFilterPrefixes() && !vif.routeFilterPrefixes().isEmpty()) {
            ArrayNode a = p.putArray("prefixes");
            for (RouteFilterPrefix r : vif.routeFilterPrefixes()) a.add(r.cidr());
        }
        // The auth key AWS returns becomes an in-process MAC at once (ObservedSecrets): the plan
        // compares the file's key with what AWS has, and the key itself goes no further.
        p.set("tags", DxTags.userTags(tags));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (vif.ownerAccount() != null) attrs.put("arn", arn(ctx, vif));
        if (vif.amazonSideAsn() != null) attrs.put("amazonSideAsn", String.valueOf(vif.amazonSideAsn()));
        if (DxCalls.blankToNull(vif.awsDeviceV2()) != null) attrs.put("awsDevice", vif.awsDeviceV2());
        if (vif.jumboFrameCapable() != null) attrs.put("jumboFrameCapable", String.valueOf(vif.jumboFrameCapable()));
        attrs.put(ResourceSpec.SECRETS_TAG, DxTags.toMap(tags).getOrDefault(ResourceSpec.SECRETS_TAG, NO_SECRETS));
        if (DxCalls.blankToNull(vif.authKey()) != null) attrs.put(ObservedSecrets.ATTRIBUTE, ObservedSecrets.encode(Map.of("/authKey", vif.authKey())));
        return new LiveResource(id, name(), vif.virtualInterfaceId(), p, attrs);
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String vifId) {
        return interfaces.find(id, vifId).map(v -> translate(ctx, id, v, tags(ctx, id, v)));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        // before the create call: an object of a global type never exists without the marker naming its type
        aws.markers().ensure(ctx.stack(), spec.id(), name());
        String id = spec.id(), conn = spec.text("connection"), kind = spec.text("kind");
        String name = spec.text("name") != null ? spec.text("name") : defaultName(ctx.stack(), id);
        int vlan = spec.properties().path("vlan").asInt();
        long asn = spec.properties().path("customerAsn").asLong();
        Integer asnInt = asn <= Integer.MAX_VALUE ? (int) asn : null; // older API members take an int; asnLong wins when both are sent
        Integer mtu = spec.properties().has("mtu") ? spec.properties().get("mtu").asInt() : null;
        String authKey = spec.text("authKey"), family = spec.text("addressFamily"), amazon = spec.text("amazonAddress"), customer = spec.text("customerAddress");
        List<Tag> tags = DxTags.toTags(spec.tags());
        if (authKey != null && !AUTH_KEY.matcher(authKey).matches()) {
            // The value came from the environment (literals are checked by validate): name the rule, never the value.
            throw new io.netstack.spi.AwsFailure(io.netstack.spi.ErrorCategory.INVALID_REQUEST, id, null, "authKey is not a valid BGP auth key: " + AUTH_KEY_RULE);
        }
        String action = switch (kind) {
            case "private" -> "CreatePrivateVirtualInterface";
            case "transit" -> "CreateTransitVirtualInterface";
            default -> "CreatePublicVirtualInterface";
        };
        String vifId = DxCalls.call(id, action, () -> switch (kind) {
            case "private" -> dx().createPrivateVirtualInterface(r -> r.connectionId(conn).newPrivateVirtualInterface(n -> n
                    .virtualInterfaceName(name).vlan(vlan).asn(asnInt).asnLong(asn).mtu(mtu).authKey(authKey).addressFamily(family)
                    .amazonAddress(amazon).customerAddress(customer)
                    .directConnectGatewayId(spec.text("dxGateway")).virtualGatewayId(spec.text("vpnGateway")).tags(tags))).virtualInterfaceId();
            case "transit" -> dx().createTransitVirtualInterface(r -> r.connectionId(conn).newTransitVirtualInterface(n -> n
                    .virtualInterfaceName(name).vlan(vlan).asn(asnInt).asnLong(asn).mtu(mtu).authKey(authKey).addressFamily(family)
                    .amazonAddress(amazon).customerAddress(customer).directConnectGatewayId(spec.text("dxGateway")).tags(tags)))
                    .virtualInterface().virtualInterfaceId();
            default -> dx().createPublicVirtualInterface(r -> r.connectionId(conn).newPublicVirtualInterface(n -> n
                    .virtualInterfaceName(name).vlan(vlan).asn(asnInt).asnLong(asn).authKey(authKey).addressFamily(family)
                    .amazonAddress(amazon).customerAddress(customer).tags(tags)
                    .routeFilterPrefixes(prefixes(spec.properties().get("prefixes"))))).virtualInterfaceId();
        });
        await(ctx, id, vifId, new Wait("available or down", CREATE_TIMEOUT, CREATED, GONE_STATES, Wait.NOT_VISIBLE_YET), () -> interfaces.find(id, vifId, Set.of()), STATE);
        return readBack(ctx, id, vifId, () -> readOne(ctx, id, vifId));
    }

    static List<RouteFilterPrefix> prefixes(JsonNode n) {
        List<RouteFilterPrefix> out = new ArrayList<>();
        if (n != null) n.forEach(c -> out.add(RouteFilterPrefix.builder().cidr(c.asText()).build()));
        return out;
    }

    public static String defaultName(String stack, String id) {
        String n = stack + "-" + id;
        return n.length() <= 100 ? n : n.substring(0, 100);
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), vifId = live.awsId();
        boolean mtu = changed.contains("mtu") && spec.properties().has("mtu") && spec.properties().get("mtu").asInt() != live.properties().path("mtu").asInt();
        boolean rename = changed.contains("name") && spec.text("name") != null && !spec.text("name").equals(live.properties().path("name").asText(null));
        ensureExists(id, vifId, () -> interfaces.find(id, vifId));
        boolean touched = false;
        if (mtu || rename) {
            run(id, "UpdateVirtualInterfaceAttributes", () -> dx().updateVirtualInterfaceAttributes(r -> {
                r.virtualInterfaceId(vifId);
                if (mtu) r.mtu(spec.properties().get("mtu").asInt());
                if (rename) r.virtualInterfaceName(spec.text("name"));
            }));
            int want = spec.properties().path("mtu").asInt(live.properties().path("mtu").asInt());
            await(ctx, id, vifId, new Wait("updated", UPDATE_TIMEOUT, CREATED, GONE_STATES, null), () -> interfaces.find(id, vifId, Set.of()),
                    v -> new Waiter.Outcome(mtu && v.mtu() != null && v.mtu() != want ? "updating" : v.virtualInterfaceStateAsString(), null));
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, vifId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), vifId = live.awsId();
        deleteAndWaitGone(ctx, id, vifId, DELETION, () -> dx().deleteVirtualInterface(r -> r.virtualInterfaceId(vifId)),
                () -> interfaces.find(id, vifId, DELETED), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return taggedPermissions(List.of("directconnect:DescribeTags", "directconnect:DescribeVirtualInterfaces"),
                List.of("directconnect:CreatePrivateVirtualInterface", "directconnect:CreatePublicVirtualInterface", "directconnect:CreateTransitVirtualInterface"),
                List.of("directconnect:UpdateVirtualInterfaceAttributes"), List.of("directconnect:DeleteVirtualInterface"));
    }
}
