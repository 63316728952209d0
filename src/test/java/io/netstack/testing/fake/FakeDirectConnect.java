package io.netstack.testing.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.directconnect.model.AssociatedGateway;
import software.amazon.awssdk.services.directconnect.model.CreateDirectConnectGatewayAssociationResponse;
import software.amazon.awssdk.services.directconnect.model.CreateDirectConnectGatewayResponse;
import software.amazon.awssdk.services.directconnect.model.CreateTransitVirtualInterfaceResponse;
import software.amazon.awssdk.services.directconnect.model.DeleteDirectConnectGatewayAssociationResponse;
import software.amazon.awssdk.services.directconnect.model.DeleteDirectConnectGatewayResponse;
import software.amazon.awssdk.services.directconnect.model.DeleteVirtualInterfaceResponse;
import software.amazon.awssdk.services.directconnect.model.DescribeDirectConnectGatewayAssociationsResponse;
import software.amazon.awssdk.services.directconnect.model.DescribeDirectConnectGatewaysResponse;
import software.amazon.awssdk.services.directconnect.model.DescribeTagsResponse;
import software.amazon.awssdk.services.directconnect.model.DescribeVirtualInterfacesResponse;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGateway;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGatewayAssociation;
import software.amazon.awssdk.services.directconnect.model.ResourceTag;
import software.amazon.awssdk.services.directconnect.model.RouteFilterPrefix;
import software.amazon.awssdk.services.directconnect.model.Tag;
import software.amazon.awssdk.services.directconnect.model.TagResourceResponse;
import software.amazon.awssdk.services.directconnect.model.UntagResourceResponse;
import software.amazon.awssdk.services.directconnect.model.UpdateDirectConnectGatewayAssociationResponse;
import software.amazon.awssdk.services.directconnect.model.UpdateDirectConnectGatewayResponse;
import software.amazon.awssdk.services.directconnect.model.VirtualInterface;

/**
 * An in-memory Direct Connect: gateways, gateway associations, virtual interfaces and their tags,
 * with AWS's transitional states ({@code pending}, {@code associating}, {@code updating},
 * {@code deleting}, …) lasting {@link #pendingReads} reads each, AWS's pagination
 * ({@code nextToken}, small pages so paginators are exercised), and AWS's error shape
 * ({@code {"__type": "DirectConnectClientException", "message": …}}, missing objects spelled
 * "… does not exist"). It covers a gap of moto, which implements none of these (docs/moto-notes.md).
 *
 * <p>What it checks like AWS: the connection exists, a VLAN is used once per connection, a gateway
 * with associations or interfaces cannot be deleted, a pair is associated once, a transit gateway
 * association needs allowed prefixes, tags go on and come off by ARN. A new interface settles in
 * {@code down} by default: what AWS shows on a real connection whose BGP session is not up.
 */
public final class FakeDirectConnect {
    public record Answer(int status, String body) {}

    public static final String ACCOUNT = "123456789012";
    /** The connection tests create virtual interfaces on. */
    public static final String CONNECTION = "dxcon-fgabc123";
    /** What AWS picks as allowed prefixes of a VPN gateway association when none are given (the VPC's CIDR). */
    public static final String DEFAULT_VGW_PREFIX = "10.0.0.0/16";

    private int pendingReads = 1;
    private int pageSize = 2;
    private boolean inlineVifTags;
    private String vifSettles = "down";
    private final Set<String> connections = new LinkedHashSet<>(List.of(CONNECTION));
    private final Map<String, Gw> gateways = new LinkedHashMap<>();
    private final Map<String, Assoc> associations = new LinkedHashMap<>();
    private final Map<String, Vif> vifs = new LinkedHashMap<>();

    /** A state that moves to {@code next} after {@code left} more reads. */
    final class Phase {
        String state, next;
        int left;
        Runnable onSettle;

        Phase(String state) {
            this.state = state;
        }

        void go(String pending, String settled, Runnable then) {
            state = pending;
            next = settled;
            left = pendingReads;
            onSettle = then;
            if (left <= 0) settle();
        }

        String read() {
            if (next != null) {
                if (left <= 0) settle();
                else left--;
            }
            return state;
        }

        private void settle() {
            state = next;
            next = null;
            if (onSettle != null) {
                Runnable r = onSettle;
                onSettle = null;
                r.run();
            }
        }
    }

    final class Gw {
        String id, name, region;
        long asn;
        final Phase phase = new Phase("pending");
        final Map<String, String> tags = new TreeMap<>();
    }

    final class Assoc {
        String id, dxgwId, gatewayId, gatewayType, region;
        final Phase phase = new Phase("associating");
        Set<String> prefixes = new TreeSet<>();
    }

    final class Vif {
        String id, connectionId, type, name, authKey, amazonAddress, customerAddress, family, vgwId, dxgwId, region;
        int vlan, mtu;
        long asn, amazonSideAsn;
        List<String> prefixes = new ArrayList<>();
        final Phase phase = new Phase("pending");
        final Map<String, String> tags = new TreeMap<>();
    }

    // ------------------------------------------------------------------ test knobs and views

    public synchronized FakeDirectConnect pendingReads(int n) {
        pendingReads = n;
        return this;
    }

    public synchronized FakeDirectConnect pageSize(int n) {
        pageSize = n;
        return this;
    }

    /** Whether DescribeVirtualInterfaces returns tags inline (else only DescribeTags does). */
    public synchronized FakeDirectConnect inlineVirtualInterfaceTags(boolean on) {
        inlineVifTags = on;
        return this;
    }

    /** The state a new interface settles in: {@code down} (default) or {@code available}. */
    public synchronized FakeDirectConnect virtualInterfacesSettleIn(String state) {
        vifSettles = state;
        return this;
    }

    public synchronized FakeDirectConnect addConnection(String id) {
        connections.add(id);
        return this;
    }

    /** Live gateways (not deleted) as id → name. */
    public synchronized Map<String, String> gateways() {
        Map<String, String> out = new LinkedHashMap<>();
        gateways.values().stream().filter(g -> !g.phase.state.equals("deleted")).forEach(g -> out.put(g.id, g.name));
        return out;
    }

    public synchronized Map<String, String> gatewayTags(String id) {
        return Map.copyOf(gateways.get(id).tags);
    }

    /** Live associations as association id → "dxgw-id → gateway-id prefixes". */
    public synchronized Map<String, String> associations() {
        Map<String, String> out = new LinkedHashMap<>();
        associations.values().stream().filter(a -> !a.phase.state.equals("disassociated"))
                .forEach(a -> out.put(a.id, a.dxgwId + " → " + a.gatewayId + " " + a.prefixes));
        return out;
    }

    /** Live interfaces as id → "type vlan mtu state". */
    public synchronized Map<String, String> virtualInterfaces() {
        Map<String, String> out = new LinkedHashMap<>();
        vifs.values().stream().filter(v -> !v.phase.state.equals("deleted"))
                .forEach(v -> out.put(v.id, v.type + " " + v.vlan + " " + v.mtu + " " + v.phase.state));
        return out;
    }

    public synchronized String authKeyOf(String vifId) {
        return vifs.get(vifId).authKey;
    }

    public synchronized Map<String, String> virtualInterfaceTags(String vifId) {
        return Map.copyOf(vifs.get(vifId).tags);
    }

    /** Adds an association outside netstack (as a person in the console would). */
    public synchronized String associateByHand(String dxgwId, String gatewayId, String... prefixes) {
        Assoc a = new Assoc();
        a.id = UUID.randomUUID().toString();
        a.dxgwId = dxgwId;
        a.gatewayId = gatewayId;
        a.gatewayType = gatewayId.startsWith("tgw-") ? "transitGateway" : "virtualPrivateGateway";
        a.region = "eu-west-1";
        a.prefixes.addAll(List.of(prefixes));
        a.phase.state = "associated";
        associations.put(a.id, a);
        return a.id;
    }

    // ------------------------------------------------------------------ protocol

    public synchronized Answer handle(String action, String region, JsonNode in) {
        try {
            return switch (action) {
                case "CreateDirectConnectGateway" -> createGateway(region, in);
                case "DescribeDirectConnectGateways" -> describeGateways(in);
                case "UpdateDirectConnectGateway" -> updateGateway(in);
                case "DeleteDirectConnectGateway" -> deleteGateway(in);
                case "CreateDirectConnectGatewayAssociation" -> createAssociation(region, in);
                case "DescribeDirectConnectGatewayAssociations" -> describeAssociations(in);
                case "UpdateDirectConnectGatewayAssociation" -> updateAssociation(in);
                case "DeleteDirectConnectGatewayAssociation" -> deleteAssociation(in);
                case "CreatePrivateVirtualInterface" -> createVif(region, "private", in.path("connectionId").asText(), in.path("newPrivateVirtualInterface"), false);
                case "CreateTransitVirtualInterface" -> createVif(region, "transit", in.path("connectionId").asText(), in.path("newTransitVirtualInterface"), true);
                case "CreatePublicVirtualInterface" -> createVif(region, "public", in.path("connectionId").asText(), in.path("newPublicVirtualInterface"), false);
                case "DescribeVirtualInterfaces" -> describeVifs(in);
                case "UpdateVirtualInterfaceAttributes" -> updateVif(in);
                case "DeleteVirtualInterface" -> deleteVif(in);
                case "TagResource" -> tag(in);
                case "UntagResource" -> untag(in);
                case "DescribeTags" -> describeTags(in);
                default -> new Answer(400, "{\"__type\":\"UnknownOperationException\",\"message\":\"the fake does not implement " + action + "\"}");
            };
        } catch (ClientError e) {
            ObjectNode o = SdkWire.MAPPER.createObjectNode().put("__type", "DirectConnectClientException").put("message", e.getMessage());
            return new Answer(400, o.toString());
        }
    }

    static final class ClientError extends RuntimeException {
        ClientError(String message) {
            super(message);
        }
    }

    private static Answer ok(SdkPojo body) {
        return new Answer(200, SdkWire.json(body).toString());
    }

    private static String req(JsonNode in, String field) {
        String v = in.path(field).asText(null);
        if (v == null || v.isEmpty()) throw new ClientError(field + " is required");
        return v;
    }

    private static Map<String, String> tagsOf(JsonNode tags) {
        Map<String, String> m = new TreeMap<>();
        tags.forEach(t -> m.put(t.path("key").asText(), t.path("value").asText("")));
        return m;
    }

    private static List<Tag> sdkTags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    /** One page of {@code all} from {@code nextToken} (an index), and the next token or null. */
    private <T> List<T> page(List<T> all, JsonNode in, String[] next) {
        int from = in.hasNonNull("nextToken") ? Integer.parseInt(in.get("nextToken").asText()) : 0;
        int size = Math.min(pageSize, in.path("maxResults").asInt(100));
        int to = Math.min(all.size(), from + size);
        next[0] = to < all.size() ? String.valueOf(to) : null;
        return all.subList(from, to);
    }

    // ------------------------------------------------------------------ gateways

    private Gw gateway(String id) {
        Gw g = gateways.get(id);
        if (g == null || g.phase.state.equals("deleted")) throw new ClientError("Direct Connect Gateway " + id + " does not exist");
        return g;
    }

    private DirectConnectGateway sdk(Gw g, String state) {
        return DirectConnectGateway.builder().directConnectGatewayId(g.id).directConnectGatewayName(g.name).amazonSideAsn(g.asn)
                .ownerAccount(ACCOUNT).directConnectGatewayState(state).tags(sdkTags(g.tags)).build();
    }

    private Answer createGateway(String region, JsonNode in) {
        Gw g = new Gw();
        g.id = UUID.randomUUID().toString();
        g.name = req(in, "directConnectGatewayName");
        g.asn = in.path("amazonSideAsn").asLong(64512);
        g.region = region;
        g.tags.putAll(tagsOf(in.path("tags")));
        gateways.put(g.id, g);
        g.phase.go("pending", "available", null);
        return ok(CreateDirectConnectGatewayResponse.builder().directConnectGateway(sdk(g, g.phase.state)).build());
    }

    private Answer describeGateways(JsonNode in) {
        List<DirectConnectGateway> all = new ArrayList<>();
        String only = in.path("directConnectGatewayId").asText(null);
        for (Gw g : gateways.values()) {
            if (only != null && !only.equals(g.id)) continue;
            String s = g.phase.read();
            if (s.equals("deleted")) continue; // "Deleted Direct Connect gateways are not returned."
            all.add(sdk(g, s));
        }
        String[] next = new String[1];
        List<DirectConnectGateway> page = page(all, in, next);
        return ok(DescribeDirectConnectGatewaysResponse.builder().directConnectGateways(page).nextToken(next[0]).build());
    }

    private Answer updateGateway(JsonNode in) {
        Gw g = gateway(req(in, "directConnectGatewayId"));
        g.name = req(in, "newDirectConnectGatewayName");
        return ok(UpdateDirectConnectGatewayResponse.builder().directConnectGateway(sdk(g, g.phase.state)).build());
    }

    private Answer deleteGateway(JsonNode in) {
        Gw g = gateway(req(in, "directConnectGatewayId"));
        boolean associated = associations.values().stream().anyMatch(a -> a.dxgwId.equals(g.id) && !a.phase.state.equals("disassociated"));
        boolean attached = vifs.values().stream().anyMatch(v -> g.id.equals(v.dxgwId) && !v.phase.state.equals("deleted"));
        if (associated || attached) {
            throw new ClientError("Direct Connect Gateway " + g.id + " has " + (associated ? "gateway associations" : "virtual interfaces attached") + " and cannot be deleted");
        }
        g.phase.go("deleting", "deleted", null);
        return ok(DeleteDirectConnectGatewayResponse.builder().directConnectGateway(sdk(g, g.phase.state)).build());
    }

    // ------------------------------------------------------------------ associations

    private DirectConnectGatewayAssociation sdk(Assoc a, String state) {
        DirectConnectGatewayAssociation.Builder b = DirectConnectGatewayAssociation.builder().associationId(a.id).directConnectGatewayId(a.dxgwId)
                .directConnectGatewayOwnerAccount(ACCOUNT).associationState(state)
                .associatedGateway(AssociatedGateway.builder().id(a.gatewayId).type(a.gatewayType).ownerAccount(ACCOUNT).region(a.region).build())
                .allowedPrefixesToDirectConnectGateway(a.prefixes.stream().map(c -> RouteFilterPrefix.builder().cidr(c).build()).toList());
        if (a.gatewayId.startsWith("vgw-")) b.virtualGatewayId(a.gatewayId).virtualGatewayOwnerAccount(ACCOUNT).virtualGatewayRegion(a.region);
        return b.build();
    }

    private Assoc association(String id) {
        Assoc a = associations.get(id);
        if (a == null || a.phase.state.equals("disassociated")) throw new ClientError("Direct Connect gateway association " + id + " does not exist");
        return a;
    }

    private static Set<String> cidrs(JsonNode prefixes) {
        Set<String> out = new TreeSet<>();
        prefixes.forEach(p -> out.add(p.path("cidr").asText()));
        return out;
    }

    private Answer createAssociation(String region, JsonNode in) {
        Gw g = gateway(req(in, "directConnectGatewayId"));
        if (!g.phase.state.equals("available")) throw new ClientError("Direct Connect Gateway " + g.id + " is not available");
        String gw = in.hasNonNull("gatewayId") ? in.get("gatewayId").asText() : req(in, "virtualGatewayId");
        if (!gw.startsWith("vgw-") && !gw.startsWith("tgw-")) throw new ClientError("Gateway " + gw + " does not exist");
        boolean taken = associations.values().stream().anyMatch(a -> a.dxgwId.equals(g.id) && a.gatewayId.equals(gw) && !a.phase.state.equals("disassociated"));
        if (taken) throw new ClientError("Gateway " + gw + " is already associated with Direct Connect Gateway " + g.id);
        Set<String> prefixes = cidrs(in.path("addAllowedPrefixesToDirectConnectGateway"));
        if (gw.startsWith("tgw-") && prefixes.isEmpty()) throw new ClientError("Allowed prefixes are required for a transit gateway association");
        Assoc a = new Assoc();
        a.id = UUID.randomUUID().toString();
        a.dxgwId = g.id;
        a.gatewayId = gw;
        a.gatewayType = gw.startsWith("tgw-") ? "transitGateway" : "virtualPrivateGateway";
        a.region = region;
        a.prefixes = prefixes.isEmpty() ? new TreeSet<>(Set.of(DEFAULT_VGW_PREFIX)) : prefixes;
        associations.put(a.id, a);
        a.phase.go("associating", "associated", null);
        return ok(CreateDirectConnectGatewayAssociationResponse.builder().directConnectGatewayAssociation(sdk(a, a.phase.state)).build());
    }

    private Answer describeAssociations(JsonNode in) {
        String id = in.path("associationId").asText(null), dxgw = in.path("directConnectGatewayId").asText(null);
        String gw = in.path("associatedGatewayId").asText(null), vgw = in.path("virtualGatewayId").asText(null);
        if (id == null && dxgw == null && gw == null && vgw == null) {
            throw new ClientError("You must specify a Direct Connect gateway, a virtual private gateway, or an association");
        }
        List<DirectConnectGatewayAssociation> all = new ArrayList<>();
        for (Assoc a : associations.values()) {
            if (id != null && !id.equals(a.id) || dxgw != null && !dxgw.equals(a.dxgwId) || gw != null && !gw.equals(a.gatewayId) || vgw != null && !vgw.equals(a.gatewayId)) continue;
            all.add(sdk(a, a.phase.read()));
        }
        String[] next = new String[1];
        List<DirectConnectGatewayAssociation> page = page(all, in, next);
        return ok(DescribeDirectConnectGatewayAssociationsResponse.builder().directConnectGatewayAssociations(page).nextToken(next[0]).build());
    }

    private Answer updateAssociation(JsonNode in) {
        Assoc a = association(req(in, "associationId"));
        if (!a.phase.state.equals("associated")) throw new ClientError("Association " + a.id + " is " + a.phase.state + ", not associated");
        Set<String> after = new TreeSet<>(a.prefixes);
        after.addAll(cidrs(in.path("addAllowedPrefixesToDirectConnectGateway")));
        after.removeAll(cidrs(in.path("removeAllowedPrefixesToDirectConnectGateway")));
        a.phase.go("updating", "associated", () -> a.prefixes = after); // AWS shows the new prefixes once the update settles
        return ok(UpdateDirectConnectGatewayAssociationResponse.builder().directConnectGatewayAssociation(sdk(a, a.phase.state)).build());
    }

    private Answer deleteAssociation(JsonNode in) {
        Assoc a = association(req(in, "associationId"));
        a.phase.go("disassociating", "disassociated", null);
        return ok(DeleteDirectConnectGatewayAssociationResponse.builder().directConnectGatewayAssociation(sdk(a, a.phase.state)).build());
    }

    // ------------------------------------------------------------------ virtual interfaces

    private Vif vif(String id) {
        Vif v = vifs.get(id);
        if (v == null) throw new ClientError("Virtual interface " + id + " does not exist");
        return v;
    }

    private VirtualInterface sdk(Vif v, String state) {
        VirtualInterface.Builder b = VirtualInterface.builder().virtualInterfaceId(v.id).ownerAccount(ACCOUNT).location("EqLD5").connectionId(v.connectionId)
                .virtualInterfaceType(v.type).virtualInterfaceName(v.name).vlan(v.vlan).asnLong(v.asn).amazonSideAsn(v.amazonSideAsn)
                .authKey(v.authKey).amazonAddress(v.amazonAddress).customerAddress(v.customerAddress).addressFamily(v.family)
                .virtualInterfaceState(state).mtu(v.mtu).jumboFrameCapable(true).region(v.region).awsDeviceV2("EqLD5-2abc3def")
                .virtualGatewayId(v.vgwId == null ? "" : v.vgwId).directConnectGatewayId(v.dxgwId == null ? "" : v.dxgwId)
                .routeFilterPrefixes(v.prefixes.stream().map(c -> RouteFilterPrefix.builder().cidr(c).build()).toList());
        if (v.asn <= Integer.MAX_VALUE) b.asn((int) v.asn);
        if (inlineVifTags) b.tags(sdkTags(v.tags));
        return b.build();
    }

    private Answer createVif(String region, String type, String connectionId, JsonNode n, boolean wrapped) {
        if (!connections.contains(connectionId)) throw new ClientError("Connection " + connectionId + " does not exist");
        int vlan = n.path("vlan").asInt();
        if (vlan < 1 || vlan > 4094) throw new ClientError("VLAN must be between 1 and 4094");
        boolean vlanTaken = vifs.values().stream().anyMatch(v -> v.connectionId.equals(connectionId) && v.vlan == vlan && !v.phase.state.equals("deleted"));
        // Like Direct Connect (issue 13 item 4), the error quotes the request, auth key included.
        if (vlanTaken) throw new ClientError("VLAN " + vlan + " is already in use on " + connectionId
                + (n.hasNonNull("authKey") ? " (request: vlan=" + vlan + ", authKey=" + n.get("authKey").asText() + ")" : ""));
        Vif v = new Vif();
        v.id = "dxvif-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36 * 36 * 36), 36);
        v.connectionId = connectionId;
        v.type = type;
        v.name = req(n, "virtualInterfaceName");
        v.vlan = vlan;
        v.asn = n.hasNonNull("asnLong") ? n.get("asnLong").asLong() : n.path("asn").asLong();
        v.mtu = n.path("mtu").asInt(1500);
        v.family = n.path("addressFamily").asText("ipv4");
        v.authKey = n.hasNonNull("authKey") ? n.get("authKey").asText() : "0x" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        int x = vifs.size() % 63;
        v.amazonAddress = n.path("amazonAddress").asText("169.254." + (x * 4) + ".1/30");
        v.customerAddress = n.path("customerAddress").asText("169.254." + (x * 4) + ".2/30");
        v.region = region;
        v.vgwId = n.path("virtualGatewayId").asText(null);
        v.dxgwId = n.path("directConnectGatewayId").asText(null);
        if (type.equals("private") && (v.vgwId == null) == (v.dxgwId == null)) throw new ClientError("Specify either a virtual gateway or a Direct Connect gateway");
        if (type.equals("transit") && v.dxgwId == null) throw new ClientError("A transit virtual interface needs a Direct Connect gateway");
        v.amazonSideAsn = v.dxgwId != null ? gateway(v.dxgwId).asn : 64512;
        n.path("routeFilterPrefixes").forEach(p -> v.prefixes.add(p.path("cidr").asText()));
        v.tags.putAll(tagsOf(n.path("tags")));
        vifs.put(v.id, v);
        v.phase.go("pending", vifSettles, null);
        VirtualInterface out = sdk(v, v.phase.state);
        return wrapped ? ok(CreateTransitVirtualInterfaceResponse.builder().virtualInterface(out).build()) : ok(out);
    }

    private Answer describeVifs(JsonNode in) {
        String only = in.path("virtualInterfaceId").asText(null), conn = in.path("connectionId").asText(null);
        if (only != null) vif(only);
        List<VirtualInterface> all = new ArrayList<>();
        for (Vif v : vifs.values()) {
            if (only != null && !only.equals(v.id) || conn != null && !conn.equals(v.connectionId)) continue;
            all.add(sdk(v, v.phase.read()));
        }
        return ok(DescribeVirtualInterfacesResponse.builder().virtualInterfaces(all).build());
    }

    private Answer updateVif(JsonNode in) {
        Vif v = vif(req(in, "virtualInterfaceId"));
        if (v.phase.state.startsWith("delet")) throw new ClientError("Virtual interface " + v.id + " is " + v.phase.state);
        if (in.hasNonNull("virtualInterfaceName")) v.name = in.get("virtualInterfaceName").asText();
        if (in.hasNonNull("mtu")) {
            int mtu = in.get("mtu").asInt();
            String settled = v.phase.state;
            v.phase.go("pending", settled, () -> v.mtu = mtu); // the new MTU shows once the interface settles
        }
        return ok(sdk(v, v.phase.state));
    }

    private Answer deleteVif(JsonNode in) {
        Vif v = vif(req(in, "virtualInterfaceId"));
        v.phase.go("deleting", "deleted", null);
        return ok(DeleteVirtualInterfaceResponse.builder().virtualInterfaceState("deleting").build());
    }

    // ------------------------------------------------------------------ tags

    private Map<String, String> tagsByArn(String arn) {
        int slash = arn.lastIndexOf('/');
        String id = slash < 0 ? arn : arn.substring(slash + 1);
        if (arn.contains(":dx-gateway/")) return gateway(id).tags;
        if (arn.contains(":dxvif/")) return vif(id).tags;
        throw new ClientError("Resource " + arn + " does not exist");
    }

    private Answer tag(JsonNode in) {
        Map<String, String> tags = tagsByArn(req(in, "resourceArn"));
        Map<String, String> add = tagsOf(in.path("tags"));
        if (tags.size() + add.keySet().stream().filter(k -> !tags.containsKey(k)).count() > 50) throw new ClientError("TooManyTags: at most 50 tags per resource");
        tags.putAll(add);
        return ok(TagResourceResponse.builder().build());
    }

    private Answer untag(JsonNode in) {
        Map<String, String> tags = tagsByArn(req(in, "resourceArn"));
        in.path("tagKeys").forEach(k -> tags.remove(k.asText()));
        return ok(UntagResourceResponse.builder().build());
    }

    private Answer describeTags(JsonNode in) {
        List<ResourceTag> out = new ArrayList<>();
        for (JsonNode a : in.path("resourceArns")) {
            out.add(ResourceTag.builder().resourceArn(a.asText()).tags(sdkTags(tagsByArn(a.asText()))).build());
        }
        return ok(DescribeTagsResponse.builder().resourceTags(out).build());
    }
}
