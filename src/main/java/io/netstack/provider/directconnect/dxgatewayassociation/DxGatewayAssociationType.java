package io.netstack.provider.directconnect.dxgatewayassociation;

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
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
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
import java.util.TreeSet;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGateway;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGatewayAssociation;
import software.amazon.awssdk.services.directconnect.model.RouteFilterPrefix;

/**
 * {@code dx-gateway-association}: a Direct Connect gateway associated with a VPN gateway or a
 * transit gateway; {@code allowedPrefixes} (a set) is changed in place with
 * UpdateDirectConnectGatewayAssociation. When omitted AWS picks the prefixes (a VPN gateway's VPC
 * CIDRs) and netstack leaves them alone; a transit gateway association needs them.
 *
 * <p><b>Ownership.</b> An association has no tags and no name, and a stack may hold several on one
 * gateway, so "it belongs to the stack when its gateway does" cannot tell which block it is. Its
 * owner and logical id are therefore recorded on its Direct Connect gateway, as one tag per
 * association: key {@code netstack:association:<vgw-… or tgw-…>} (a gateway has at most one
 * association per associated gateway), value {@code <region>/<stack>/<logical id>}. The tag is
 * written <em>before</em> CreateDirectConnectGatewayAssociation, so a run that dies between the two
 * leaves at worst a tag without an association (ignored, overwritten by the next create), never an
 * association nobody owns; it is removed after the association is deleted. This works for
 * gateways of another stack or of nobody ({@code "dxGateway": "<uuid>"}) as well. An association
 * made by hand (no tag) is never adopted or deleted: creating one for the same pair fails with a
 * conflict that says so.
 *
 * <p><b>Reads.</b> One paginated DescribeDirectConnectGateways (shared shape with {@code dx-gateway};
 * tags inline), then DescribeDirectConnectGatewayAssociations per gateway that carries an
 * association tag of this stack (the API needs a gateway, association or virtual gateway id).
 */
public final class DxGatewayAssociationType extends DxType {
    /** Terraform aws_dx_gateway_association: 30 m create/update/delete; often > 15 min (docs/aws-facts.md). */
    static final Duration ASSOCIATE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration DISASSOCIATE_TIMEOUT = Duration.ofMinutes(30);
    static final Set<String> GONE_STATES = Set.of("disassociating", "disassociated");
    static final Status<DirectConnectGatewayAssociation> STATE = Status.of(DirectConnectGatewayAssociation::associationStateAsString,
            DirectConnectGatewayAssociation::stateChangeError);
    static final Deletion DELETION = Deletion.of("DeleteDirectConnectGatewayAssociation", DISASSOCIATE_TIMEOUT, DxCalls.CLIENT_EXCEPTION);
    /** Tag key prefix on the Direct Connect gateway; the associated gateway's id follows. */
    public static final String TAG_PREFIX = "netstack:association:";

    private static final Schema SCHEMA = new Schema(false, List.of("associatedGatewayType"),
            Property.ref("dxGateway", List.of("dx-gateway"), List.of()).required().createOnly()
                    .describe("the Direct Connect gateway (a reference, or the gateway's id)"),
            Property.ref("gateway", List.of("vpn-gateway", "transit-gateway"), List.of("vgw-", "tgw-")).required().createOnly()
                    .describe("the VPN gateway or transit gateway to associate"),
            Property.list("allowedPrefixes", Property.cidr("cidr"))
                    .describe("prefixes advertised from the gateway to on-premises; omitted = AWS's choice (a VPN gateway's VPC CIDRs); required for a transit gateway"));

    private final Finder<DirectConnectGatewayAssociation> associations = finder("DescribeDirectConnectGatewayAssociations",
            associationId -> dx().describeDirectConnectGatewayAssociations(r -> r.associationId(associationId)).directConnectGatewayAssociations(),
            DirectConnectGatewayAssociation::associationId, DirectConnectGatewayAssociation::associationStateAsString, GONE_STATES);

    public DxGatewayAssociationType(AwsSession aws) {
        super(aws, "dx-gateway-association", "Direct Connect gateway association", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode gw = b.properties().get("gateway");
        boolean transit = gw != null && (gw.asText().startsWith("tgw-")
                || v.target(gw).map(t -> t.type().equals("transit-gateway")).orElse(false));
        JsonNode prefixes = b.properties().get("allowedPrefixes");
        if (transit && (prefixes == null || prefixes.isEmpty())) {
            v.error(b, "/gateway", "an association with a transit gateway needs allowedPrefixes (AWS has no default for transit gateways)");
        }
        eachCidr(b, "allowedPrefixes", (c, at, before) -> {
            if (before.contains(c)) v.error(b, at, c + " is listed twice");
        });
    }

    /** The tag value that records an association of {@code stack}/{@code id} in {@code region}. */
    static String mark(String region, String stack, String id) {
        return region + "/" + stack + "/" + id;
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<DirectConnectGateway> gateways = DxCalls.gateways(dx(), null, null);
        String prefix = mark(ctx.region(), ctx.stack(), "");
        List<LiveResource> out = new ArrayList<>();
        for (DirectConnectGateway g : gateways) {
            String s = g.directConnectGatewayStateAsString();
            if ("deleting".equals(s) || "deleted".equals(s)) continue;
            Map<String, String> mine = new LinkedHashMap<>(); // associated gateway id → logical id
            DxTags.toMap(g.tags()).forEach((k, val) -> {
                if (k.startsWith(TAG_PREFIX) && val.startsWith(prefix) && val.length() > prefix.length()) {
                    mine.put(k.substring(TAG_PREFIX.length()), val.substring(prefix.length()));
                }
            });
            if (mine.isEmpty()) continue;
            for (DirectConnectGatewayAssociation a : DxCalls.associations(dx(), null, g.directConnectGatewayId(), null, null)) {
                String id = mine.get(associatedId(a));
                if (id != null && live(a)) out.add(translate(id, a));
            }
        }
        return out;
    }

    static boolean live(DirectConnectGatewayAssociation a) {
        return !GONE_STATES.contains(a.associationStateAsString());
    }

    /** The associated gateway's id (older responses name a VPN gateway only in virtualGatewayId). */
    static String associatedId(DirectConnectGatewayAssociation a) {
        if (a.associatedGateway() != null && a.associatedGateway().id() != null) return a.associatedGateway().id();
        return a.virtualGatewayId();
    }

    private LiveResource translate(String id, DirectConnectGatewayAssociation a) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("dxGateway", a.directConnectGatewayId());
        p.put("gateway", associatedId(a));
        ArrayNode prefixes = p.putArray("allowedPrefixes");
        prefixes(a).forEach(prefixes::add);
        Map<String, String> attrs = new LinkedHashMap<>();
        if (a.associatedGateway() != null && a.associatedGateway().typeAsString() != null) attrs.put("associatedGatewayType", a.associatedGateway().typeAsString());
        return new LiveResource(id, name(), a.associationId(), p, attrs);
    }

    static Set<String> prefixes(DirectConnectGatewayAssociation a) {
        Set<String> out = new TreeSet<>();
        for (RouteFilterPrefix r : a.allowedPrefixesToDirectConnectGateway()) out.add(Cidr.canonical(r.cidr()));
        return out;
    }

    static Set<String> prefixes(JsonNode n) {
        Set<String> out = new TreeSet<>();
        if (n != null) n.forEach(c -> out.add(Cidr.canonical(c.asText())));
        return out;
    }

    static List<RouteFilterPrefix> filters(Set<String> cidrs) {
        return cidrs.stream().map(c -> RouteFilterPrefix.builder().cidr(c).build()).toList();
    }

    private Optional<LiveResource> readOne(String id, String associationId) {
        return associations.find(id, associationId).map(a -> translate(id, a));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        // before the create call: an object of a global type never exists without the marker naming its type
        aws.markers().ensure(ctx.stack(), spec.id(), name());
        String id = spec.id(), dxgwId = spec.text("dxGateway"), gwId = spec.text("gateway");
        DirectConnectGateway g = mutate(ctx, id, "DescribeDirectConnectGateways", () -> DxCalls.gateway(dx(), id, dxgwId)
                .orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, "DescribeDirectConnectGateways", "Direct Connect gateway " + dxgwId + " does not exist")));
        String key = TAG_PREFIX + gwId, mark = mark(ctx.region(), ctx.stack(), id);
        String recorded = DxTags.toMap(g.tags()).get(key);
        Optional<DirectConnectGatewayAssociation> existing = DxCalls.associations(dx(), id, dxgwId, gwId, null).stream()
                .filter(DxGatewayAssociationType::live).findFirst();
        if (existing.isPresent() && !mark.equals(recorded)) {
            throw new AwsFailure(ErrorCategory.CONFLICT, id, "CreateDirectConnectGatewayAssociation", null, null,
                    "Direct Connect gateway " + dxgwId + " is already associated with " + gwId + " (association " + existing.get().associationId() + ", "
                            + (recorded == null ? "made outside netstack" : "owned by " + recorded) + "); netstack does not take over associations it did not make", null);
        }
        String arn = DxTags.gatewayArn(ctx.region(), g.ownerAccount(), dxgwId);
        if (!mark.equals(recorded)) {
            DxCalls.run(id, "TagResource", () -> dx().tagResource(r -> r.resourceArn(arn).tags(DxTags.toTags(Map.of(key, mark)))));
        }
        Set<String> want = prefixes(spec.properties().get("allowedPrefixes"));
        String associationId;
        if (existing.isPresent()) {
            associationId = existing.get().associationId(); // ours, from a run that stopped before it could wait
        } else {
            try {
                associationId = DxCalls.call(id, "CreateDirectConnectGatewayAssociation", () -> dx().createDirectConnectGatewayAssociation(r -> {
                    r.directConnectGatewayId(dxgwId).gatewayId(gwId);
                    if (spec.properties().has("allowedPrefixes")) r.addAllowedPrefixesToDirectConnectGateway(filters(want));
                })).directConnectGatewayAssociation().associationId();
            } catch (AwsFailure f) {
                untag(id, arn, key);
                throw f;
            }
        }
        waitAssociated(ctx, id, associationId, ASSOCIATE_TIMEOUT, null);
        LiveResource live = readBack(ctx, id, associationId, () -> readOne(id, associationId));
        if (spec.properties().has("allowedPrefixes") && !want.equals(prefixes(live.properties().get("allowedPrefixes")))) {
            return update(ctx, live, spec, Set.of("allowedPrefixes"));
        }
        return live;
    }

    /** Waits for {@code associated} (and, after an update, for the allowed prefixes to read back as sent). */
    private void waitAssociated(TypeContext ctx, String id, String associationId, Duration timeout, Set<String> prefixes) {
        Wait associated = prefixes == null ? Wait.created("associated", timeout, "associated") : Wait.until("associated", timeout, "associated");
        await(ctx, id, associationId, associated.failingOn("disassociating", "disassociated"), () -> associations.find(id, associationId, Set.of()), a -> {
            String s = a.associationStateAsString();
            if ("associated".equals(s) && prefixes != null && !prefixes.equals(prefixes(a))) s = "updating";
            return new Waiter.Outcome(s, a.stateChangeError());
        });
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), associationId = live.awsId();
        ensureExists(id, associationId, () -> associations.find(id, associationId));
        if (!changed.contains("allowedPrefixes") || !spec.properties().has("allowedPrefixes")) return live;
        Set<String> want = prefixes(spec.properties().get("allowedPrefixes")), have = prefixes(live.properties().get("allowedPrefixes"));
        Set<String> add = new TreeSet<>(want), remove = new TreeSet<>(have);
        add.removeAll(have);
        remove.removeAll(want);
        if (add.isEmpty() && remove.isEmpty()) return live;
        run(id, "UpdateDirectConnectGatewayAssociation", () -> dx().updateDirectConnectGatewayAssociation(r -> {
            r.associationId(associationId);
            if (!add.isEmpty()) r.addAllowedPrefixesToDirectConnectGateway(filters(add));
            if (!remove.isEmpty()) r.removeAllowedPrefixesToDirectConnectGateway(filters(remove));
        }));
        waitAssociated(ctx, id, associationId, UPDATE_TIMEOUT, want);
        return updated(ctx, live, true, () -> readOne(id, associationId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), associationId = live.awsId();
        String dxgwId = live.properties().path("dxGateway").asText(), gwId = live.properties().path("gateway").asText();
        deleteAndWaitGone(ctx, id, associationId, DELETION, () -> dx().deleteDirectConnectGatewayAssociation(r -> r.associationId(associationId)),
                () -> associations.find(id, associationId, Set.of("disassociated")), STATE);
        DxCalls.gateway(dx(), id, dxgwId).ifPresent(g -> {
            String key = TAG_PREFIX + gwId;
            if (mark(ctx.region(), ctx.stack(), id).equals(DxTags.toMap(g.tags()).get(key))) {
                untag(id, DxTags.gatewayArn(ctx.region(), g.ownerAccount(), dxgwId), key);
            }
        });
    }

    /** Removes the ownership record; a gateway that is gone has nothing to clean. */
    private void untag(String id, String arn, String key) {
        try {
            DxCalls.run(id, "UntagResource", () -> dx().untagResource(r -> r.resourceArn(arn).tagKeys(key)));
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return taggedPermissions(List.of("directconnect:DescribeDirectConnectGatewayAssociations", "directconnect:DescribeDirectConnectGateways"),
                List.of("directconnect:CreateDirectConnectGatewayAssociation"), List.of("directconnect:UpdateDirectConnectGatewayAssociation"),
                List.of("directconnect:DeleteDirectConnectGatewayAssociation"));
    }
}
