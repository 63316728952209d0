package io.netstack.provider.ec2.transitgatewayattachment;

import static io.netstack.provider.ec2.transitgateway.TgwFlags.enabled;
import static io.netstack.provider.ec2.transitgateway.TgwFlags.flag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AccepterTags;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Deletion;
import io.netstack.provider.ec2.transitgateway.TgwFlags;
import io.netstack.provider.ec2.transitgateway.TransitGatewayBusy;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.ec2.model.ModifyTransitGatewayVpcAttachmentRequestOptions;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TransitGatewayVpcAttachment;
import software.amazon.awssdk.services.ec2.model.TransitGatewayVpcAttachmentOptions;

/**
 * {@code transit-gateway-attachment}: a VPC attached to a transit gateway. Gateway and VPC are
 * create-only; subnets (one per availability zone), appliance mode, DNS and IPv6 support are
 * changed in place with one ModifyTransitGatewayVpcAttachment (subnets added and removed in the
 * same call, as AWS and Terraform do, so a subnet can be swapped for another in the same zone).
 *
 * <p>Create waits until the attachment is {@code available}: routes, route-table associations and
 * propagations that name it come after it in the dependency graph, so they never see a
 * {@code pending} attachment (docs/DESIGN.md principle 5). An attachment to a gateway shared from
 * another account whose {@code autoAcceptSharedAttachments} is off stops in
 * {@code pendingAcceptance}: that ends the create (the gateway's owner accepts it with a
 * {@code transit-gateway-attachment-acceptance} in its own stack, docs/stack-format.md "Handshakes"),
 * and an update of an attachment still waiting fails saying so. Per-attachment membership of the gateway's default route table
 * ({@code defaultRouteTableAssociation}/{@code Propagation}) is {@link TgwAttachmentDefaults}'s.
 *
 * <p>Reads: one paginated DescribeTransitGatewayVpcAttachments. moto ignores its tag filter, answers
 * it with peering attachments too, and drops the tags given at creation (docs/moto-notes.md): ownership
 * and kind are re-checked client-side, and the tags are written after creation when the created
 * object comes back without them.
 */
public final class TransitGatewayAttachmentType extends Ec2Type {
    /** terraform-provider-aws transitGatewayVPCAttachmentCreatedTimeout: 10 m (docs/aws-facts.md). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** transitGatewayVPCAttachmentUpdatedTimeout: 10 m (modifying → available). */
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    /** IncorrectState (pending, modifying) is retried. */
    static final Deletion DELETION = TransitGatewayBusy.deletion("DeleteTransitGatewayVpcAttachment", "InvalidTransitGatewayAttachmentID.NotFound");

    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    static final Set<String> FAILED_STATES = Set.of("failed", "failing", "rejected", "rejecting", "deleting", "deleted");
    /** The ModifyTransitGatewayVpcAttachment option of each on/off property. */
    private static final Map<String, BiConsumer<ModifyTransitGatewayVpcAttachmentRequestOptions.Builder, String>> MODIFY_FLAGS = Map.of(
            "applianceMode", ModifyTransitGatewayVpcAttachmentRequestOptions.Builder::applianceModeSupport,
            "dnsSupport", ModifyTransitGatewayVpcAttachmentRequestOptions.Builder::dnsSupport,
            "ipv6Support", ModifyTransitGatewayVpcAttachmentRequestOptions.Builder::ipv6Support,
            "securityGroupReferencing", ModifyTransitGatewayVpcAttachmentRequestOptions.Builder::securityGroupReferencingSupport);

    private static final Schema SCHEMA = new Schema(true, List.of("vpcOwnerId"),
            Property.ref("transitGateway", List.of("transit-gateway"), List.of("tgw-")).required().createOnly(),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).required().createOnly(),
            Property.list("subnets", Property.ref("subnet", List.of("subnet"), List.of("subnet-"))).required()
                    .describe("subnets the attachment puts its interfaces in: one per availability zone"),
            Property.bool("applianceMode").defaultValue(false)
                    .describe("keep both directions of a flow in one zone (stateful appliances in the VPC)"),
            Property.bool("dnsSupport").defaultValue(true),
            Property.bool("ipv6Support").defaultValue(false),
            Property.bool("securityGroupReferencing").defaultValue(true)
                    .describe("security group rules in the attached VPC may reference groups of other VPCs on the gateway (AWS's default here is on;"
                            + " it works only where the gateway's securityGroupReferencing is on too)"),
            Property.bool("defaultRouteTableAssociation")
                    .describe("associated with the gateway's default route table; absent: whatever the gateway's own defaultRouteTableAssociation did"),
            Property.bool("defaultRouteTablePropagation")
                    .describe("propagates its routes to the gateway's default route table; absent: whatever the gateway's own defaultRouteTablePropagation did"));

    private final TgwAttachmentDefaults defaults;

    public TransitGatewayAttachmentType(AwsSession aws) {
        super(aws, "transit-gateway-attachment", "transit-gateway-attachment", SCHEMA);
        this.defaults = new TgwAttachmentDefaults(aws);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode subnets = b.properties().get("subnets");
        if (subnets == null || !subnets.isArray() || subnets.isEmpty()) {
            v.error(b, "/subnets", "an attachment needs at least one subnet");
            return;
        }
        Map<String, String> zoneOwner = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        JsonNode vpc = b.properties().get("vpc");
        for (int i = 0; i < subnets.size(); i++) {
            JsonNode s = subnets.get(i);
            if (!seen.add(s.asText())) {
                v.error(b, "/subnets/" + i, s.asText() + " is listed twice");
                continue;
            }
            Optional<ResourceBlock> sb = v.target(s);
            if (sb.isEmpty()) continue;
            JsonNode sp = sb.get().properties();
            if (vpc != null && sp.has("vpc") && !sp.get("vpc").equals(vpc)) {
                v.error(b, "/subnets/" + i, "subnet " + sb.get().id() + " is in " + sp.get("vpc").asText() + ", not in the attached VPC " + vpc.asText());
            }
            String zone = sp.path("zone").asText(null);
            if (zone != null) {
                String other = zoneOwner.putIfAbsent(zone, sb.get().id());
                if (other != null) v.error(b, "/subnets/" + i, "subnets " + other + " and " + sb.get().id() + " are both in " + zone + ": an attachment takes one subnet per availability zone");
            }
            if (b.properties().path("ipv6Support").asBoolean(false) && !sp.has("ipv6Index")) {
                v.error(b, "/subnets/" + i, "ipv6Support needs subnets with an IPv6 block: " + sb.get().id() + " has no ipv6Index");
            }
        }
        // An attachment is associated with one route table at most: the default one or a listed one.
        if (b.properties().path("defaultRouteTableAssociation").asBoolean(false)) {
            for (ResourceBlock rt : v.blocksOfType("transit-gateway-route-table")) {
                for (JsonNode a : rt.properties().path("associations")) {
                    if (v.target(a).filter(t -> t.id().equals(b.id())).isPresent()) {
                        v.error(b, "/defaultRouteTableAssociation", "this attachment is listed in the associations of route table " + rt.id()
                                + ", and an attachment is associated with one route table at most: set defaultRouteTableAssociation to false or leave it out");
                    }
                }
            }
        }
        // AWS refuses a second attachment of the same VPC to the same gateway (DuplicateTransitGatewayAttachment).
        for (ResourceBlock other : v.blocksOfType(name())) {
            if (other.id().equals(b.id())) break;
            if (!other.type().equals(name())) continue;
            if (other.properties().path("vpc").equals(vpc) && other.properties().path("transitGateway").equals(b.properties().get("transitGateway"))) {
                v.error(b, "/vpc", "VPC " + vpc.asText() + " is already attached to this transit gateway by " + other.id() + " (one attachment per VPC and gateway)");
            }
        }
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        Map<String, TransitGatewayVpcAttachment> owned = new java.util.LinkedHashMap<>();
        AwsCalls.run(null, "DescribeTransitGatewayVpcAttachments", () -> ec2().describeTransitGatewayVpcAttachmentsPaginator(r -> r.filters(Ec2Tags.stackFilter(ctx.stack())))
                .transitGatewayVpcAttachments().forEach(a -> {
                    // moto answers with every kind of attachment, peerings included: only VPC attachments have a VPC.
                    if (a.vpcId() == null || GONE_STATES.contains(a.stateAsString())) return;
                    if (AccepterTags.isAccepter(a.tags())) return; // the hub's view of a spoke's attachment (transit-gateway-attachment-acceptance)
                    Ec2Tags.ownedId(a.tags(), ctx.stack()).ifPresent(id -> owned.put(id, a));
                }));
        TgwAttachmentDefaults.Snapshot snap = defaults.snapshot(null, owned.values().stream().map(TransitGatewayVpcAttachment::transitGatewayId).distinct().toList());
        List<LiveResource> out = new ArrayList<>();
        owned.forEach((id, a) -> out.add(translate(id, a, snap)));
        return out;
    }

    /** The VPC attachments of the VPCs: one Describe filtered by vpc-id (and the default route tables' associations, as list reads them). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        if (scope.byReference() || scope.vpcIds().isEmpty()) return List.of();
        List<TransitGatewayVpcAttachment> found = new ArrayList<>();
        AwsCalls.run(null, "DescribeTransitGatewayVpcAttachments", () -> ec2().describeTransitGatewayVpcAttachmentsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", scope.vpcIds())))
                .transitGatewayVpcAttachments().forEach(a -> {
                    if (a.vpcId() != null && scope.vpcIds().contains(a.vpcId()) && !GONE_STATES.contains(a.stateAsString())) found.add(a);
                }));
        if (found.isEmpty()) return List.of();
        TgwAttachmentDefaults.Snapshot snap = defaults.snapshot(null, found.stream().map(TransitGatewayVpcAttachment::transitGatewayId).distinct().toList());
        List<LiveResource> out = new ArrayList<>();
        for (TransitGatewayVpcAttachment a : found) out.add(Ec2Tags.any().mark(translate(a.transitGatewayAttachmentId(), a, snap), a.tags()));
        return out;
    }

    /** Attachments of the owned VPCs made by hand or another tool (one Describe filtered by vpc-id). */
    @Override
    public List<Unmanaged> unmanaged(TypeContext ctx, Set<String> vpcIds) {
        return unmanagedIn(vpcIds, "DescribeTransitGatewayVpcAttachments",
                () -> ec2().describeTransitGatewayVpcAttachmentsPaginator(r -> r.filters(Ec2Tags.filter("vpc-id", vpcIds))).transitGatewayVpcAttachments(),
                TransitGatewayVpcAttachment::tags, a -> a.vpcId() == null || !vpcIds.contains(a.vpcId()) || GONE_STATES.contains(a.stateAsString()) ? Optional.empty()
                        : Optional.of(new Unmanaged(name(), a.transitGatewayAttachmentId(), a.vpcId(), "attachment to transit gateway " + a.transitGatewayId())));
    }

    private LiveResource translate(String id, TransitGatewayVpcAttachment a, TgwAttachmentDefaults.Snapshot snap) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("transitGateway", a.transitGatewayId());
        p.put("vpc", a.vpcId());
        ArrayNode subnets = p.putArray("subnets");
        new TreeSet<>(a.subnetIds()).forEach(subnets::add);
        TransitGatewayVpcAttachmentOptions o = a.options();
        p.put("applianceMode", o != null && enabled(o.applianceModeSupportAsString()));
        p.put("dnsSupport", o == null || enabled(o.dnsSupportAsString()));
        p.put("ipv6Support", o != null && enabled(o.ipv6SupportAsString()));
        // Absent from an answer (a backend predating the option) is AWS's default for attachments: enabled.
        p.put("securityGroupReferencing", o == null || o.securityGroupReferencingSupport() == null || enabled(o.securityGroupReferencingSupportAsString()));
        if (snap.tables().containsKey(a.transitGatewayId())) {
            p.put("defaultRouteTableAssociation", snap.associated(a.transitGatewayAttachmentId()));
            p.put("defaultRouteTablePropagation", snap.propagating(a.transitGatewayAttachmentId()));
        }
        p.set("tags", Ec2Tags.userTags(a.tags()));
        Map<String, String> attrs = new HashMap<>();
        if (a.vpcOwnerId() != null) attrs.put("vpcOwnerId", a.vpcOwnerId());
        return new LiveResource(id, name(), a.transitGatewayAttachmentId(), p, attrs);
    }

    private Optional<TransitGatewayVpcAttachment> describe(String id, String attachmentId) {
        return find(id, "DescribeTransitGatewayVpcAttachments", () -> ec2().describeTransitGatewayVpcAttachments(r -> r.transitGatewayAttachmentIds(attachmentId))
                .transitGatewayVpcAttachments()).filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String attachmentId) {
        return describe(id, attachmentId).filter(a -> !GONE_STATES.contains(a.stateAsString()))
                .map(a -> translate(id, a, defaults.snapshot(id, List.of(a.transitGatewayId()))));
    }

    private void waitAvailable(TypeContext ctx, String id, String attachmentId, Duration timeout) {
        Set<String> failures = new java.util.HashSet<>(FAILED_STATES);
        failures.add("pendingAcceptance");
        waitFor(ctx, id, attachmentId, timeout, Set.of("available"), failures);
    }

    private Waiter.Outcome waitFor(TypeContext ctx, String id, String attachmentId, Duration timeout, Set<String> targets, Set<String> failures) {
        return ctx.waiter().until(id, "transit gateway attachment " + attachmentId + " available", timeout, targets, failures, () ->
                describe(id, attachmentId).map(a -> new Waiter.Outcome(a.stateAsString(), "pendingAcceptance".equals(a.stateAsString())
                                ? "the transit gateway's owner must accept it (the gateway is shared from another account and its autoAcceptSharedAttachments is off): "
                                        + "a transit-gateway-attachment-acceptance in the owner's stack does, then apply again"
                                : null))
                        .orElse(new Waiter.Outcome("not visible yet", null)));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        ObjectNode w = spec.properties();
        List<String> subnets = texts(w.get("subnets"));
        // No ClientToken on this API: the tags are what lets a re-run find the attachment, and AWS
        // refuses a second attachment of the same VPC to the gateway (DuplicateTransitGatewayAttachment).
        // NotFound is retried: the gateway or the subnets may have been created a moment ago.
        TransitGatewayVpcAttachment a = mutate(ctx, id, "CreateTransitGatewayVpcAttachment", () -> ec2().createTransitGatewayVpcAttachment(r -> r
                .transitGatewayId(spec.text("transitGateway"))
                .vpcId(spec.text("vpc"))
                .subnetIds(subnets)
                .options(o -> o.applianceModeSupport(flag(w.path("applianceMode").asBoolean(false)))
                        .dnsSupport(flag(w.path("dnsSupport").asBoolean(true)))
                        .ipv6Support(flag(w.path("ipv6Support").asBoolean(false)))
                        .securityGroupReferencingSupport(flag(w.path("securityGroupReferencing").asBoolean(true))))
                .tagSpecifications(Ec2Tags.spec(ResourceType.TRANSIT_GATEWAY_ATTACHMENT, spec.tags()))).transitGatewayVpcAttachment());
        String attachmentId = a.transitGatewayAttachmentId();
        // moto drops the TagSpecification of this call (docs/moto-notes.md); AWS applies it atomically.
        mutateRun(ctx, id, "CreateTags", () -> Ec2Tags.ensure(ec2(), id, attachmentId, a.tags(), spec.tags()));
        // pendingAcceptance ends the create: the gateway's owner accepts (transit-gateway-attachment-acceptance,
        // in its own stack), as the request of a cross-account peering ends at pending-acceptance.
        Waiter.Outcome o = waitFor(ctx, id, attachmentId, CREATE_TIMEOUT, Set.of("available", "pendingAcceptance"), FAILED_STATES);
        if (o.state().equals("pendingAcceptance")) return readBack(ctx, id, attachmentId, () -> readOne(ctx, id, attachmentId)); // the owner's gateway defaults act on accept
        applyDefaults(ctx, id, spec.text("transitGateway"), attachmentId, w, Set.of("defaultRouteTableAssociation", "defaultRouteTablePropagation"));
        return readBack(ctx, id, attachmentId, () -> readOne(ctx, id, attachmentId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), attachmentId = live.awsId();
        ObjectNode have = live.properties(), want = spec.properties();
        List<String> add = new ArrayList<>(), remove = new ArrayList<>();
        if (changed.contains("subnets")) {
            Set<String> w = new LinkedHashSet<>(texts(want.get("subnets"))), h = new LinkedHashSet<>(texts(have.get("subnets")));
            for (String s : w) if (!h.contains(s)) add.add(s);
            for (String s : h) if (!w.contains(s)) remove.add(s);
        }
        ModifyTransitGatewayVpcAttachmentRequestOptions.Builder o = ModifyTransitGatewayVpcAttachmentRequestOptions.builder();
        boolean options = TgwFlags.changed(changed, have, want, o, MODIFY_FLAGS);
        boolean touched = false;
        if (!add.isEmpty() || !remove.isEmpty() || options) {
            ModifyTransitGatewayVpcAttachmentRequestOptions opts = options ? o.build() : null;
            // An attachment still 'modifying' from an earlier change answers IncorrectState: retried.
            runWhileBusy(ctx, id, "ModifyTransitGatewayVpcAttachment", TransitGatewayBusy.CODES, UPDATE_TIMEOUT, () -> ec2().modifyTransitGatewayVpcAttachment(r -> {
                r.transitGatewayAttachmentId(attachmentId);
                if (!add.isEmpty()) r.addSubnetIds(add);
                if (!remove.isEmpty()) r.removeSubnetIds(remove);
                if (opts != null) r.options(opts);
            }));
            waitAvailable(ctx, id, attachmentId, UPDATE_TIMEOUT);
            touched = true;
        }
        if (changed.contains("defaultRouteTableAssociation") || changed.contains("defaultRouteTablePropagation")) {
            applyDefaults(ctx, id, have.path("transitGateway").asText(spec.text("transitGateway")), attachmentId, want, changed);
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, attachmentId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteUnlessDeleting(ctx, live, DELETION, attachmentId -> ec2().deleteTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(attachmentId)),
                this::describe, TransitGatewayVpcAttachment::stateAsString);
    }

    /**
     * The gateway-wide defaults acted when the attachment was created; the per-attachment choice is
     * applied on top (Terraform's order too). A disassociation comes first so that a
     * transit-gateway-route-table listing this attachment, which is created after it, finds it free.
     */
    private void applyDefaults(TypeContext ctx, String id, String tgwId, String attachmentId, JsonNode want, Set<String> changed) {
        if (changed.contains("defaultRouteTableAssociation") && want.hasNonNull("defaultRouteTableAssociation")) {
            defaults.setAssociation(ctx, id, tgwId, attachmentId, want.get("defaultRouteTableAssociation").asBoolean());
        }
        if (changed.contains("defaultRouteTablePropagation") && want.hasNonNull("defaultRouteTablePropagation")) {
            defaults.setPropagation(ctx, id, tgwId, attachmentId, want.get("defaultRouteTablePropagation").asBoolean());
        }
    }

    static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }
    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeTransitGatewayVpcAttachments"),
                java.util.List.of("ec2:CreateTags", "ec2:CreateTransitGatewayVpcAttachment", "ec2:ModifyTransitGatewayVpcAttachment"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyTransitGatewayVpcAttachment"),
                java.util.List.of("ec2:DeleteTransitGatewayVpcAttachment"),
                java.util.List.of("ec2:DescribeTransitGatewayVpcAttachments"));
    }
}
