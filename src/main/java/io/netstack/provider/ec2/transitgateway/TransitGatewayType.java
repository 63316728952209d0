package io.netstack.provider.ec2.transitgateway;

import static io.netstack.provider.ec2.transitgateway.TgwFlags.enabled;
import static io.netstack.provider.ec2.transitgateway.TgwFlags.flag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.Deletion;
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
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.ec2.model.ModifyTransitGatewayOptions;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TransitGateway;
import software.amazon.awssdk.services.ec2.model.TransitGatewayOptions;

/**
 * {@code transit-gateway}: the hub of a hub-and-spoke network. Every option is updated in place
 * with ModifyTransitGateway — AWS allows all of them, the Amazon-side ASN included (EC2 API
 * reference, ModifyTransitGatewayOptions: "The modify ASN operation is not allowed on a transit
 * gateway if it has … Dynamic VPN, Static VPN, Direct Connect Gateway, Connect" attachments;
 * AWS's own error says so when that is the case). terraform-provider-aws made
 * {@code amazon_side_asn} updatable for the same reason (PR #27306): replacing a transit gateway
 * would replace every attachment and route table with it.
 *
 * <p>Reads: one paginated DescribeTransitGateways filtered by {@code tag:netstack:stack}, tags
 * re-checked client-side (moto ignores {@code tag-key} filters on transit gateways). Deleted
 * and deleting gateways are dropped (AWS keeps them visible as {@code deleted} for a while).
 */
public final class TransitGatewayType extends Ec2Type {
    /** terraform-provider-aws aws_ec2_transit_gateway: create 10 m (docs/aws-facts.md: TGW + VPC + attachment ≈ 5 min). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform's update timeout is 10 m: ModifyTransitGateway puts the gateway in {@code modifying}. */
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    /** IncorrectState (attachments still deleting) is retried. */
    static final Deletion DELETION = TransitGatewayBusy.deletion("DeleteTransitGateway", "InvalidTransitGatewayID.NotFound");
    /** Amazon VPC quotas: 5 transit gateways per account and region (adjustable): a warning. */
    static final int MAX_TRANSIT_GATEWAYS = 5;
    static final long DEFAULT_ASN = 64512;

    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    /** The ModifyTransitGateway option of each on/off property. */
    private static final Map<String, BiConsumer<ModifyTransitGatewayOptions.Builder, String>> MODIFY_FLAGS = Map.of(
            "defaultRouteTableAssociation", ModifyTransitGatewayOptions.Builder::defaultRouteTableAssociation,
            "defaultRouteTablePropagation", ModifyTransitGatewayOptions.Builder::defaultRouteTablePropagation,
            "dnsSupport", ModifyTransitGatewayOptions.Builder::dnsSupport,
            "vpnEcmpSupport", ModifyTransitGatewayOptions.Builder::vpnEcmpSupport,
            "autoAcceptSharedAttachments", ModifyTransitGatewayOptions.Builder::autoAcceptSharedAttachments,
            "securityGroupReferencing", ModifyTransitGatewayOptions.Builder::securityGroupReferencingSupport);

    private static final Schema SCHEMA = new Schema(true,
            List.of("arn", "ownerId", "associationDefaultRouteTableId", "propagationDefaultRouteTableId"),
            Property.integer("amazonAsn").range(64512, 4294967294L).defaultValue((int) DEFAULT_ASN)
                    .describe("private ASN of the Amazon side of BGP sessions: 64512-65534 or 4200000000-4294967294"),
            Property.bool("defaultRouteTableAssociation").defaultValue(true)
                    .describe("associate new attachments with the gateway's default route table"),
            Property.bool("defaultRouteTablePropagation").defaultValue(true)
                    .describe("propagate new attachments' routes to the gateway's default route table"),
            Property.bool("dnsSupport").defaultValue(true),
            Property.bool("vpnEcmpSupport").defaultValue(true),
            Property.bool("autoAcceptSharedAttachments").defaultValue(false)
                    .describe("accept attachments from accounts the gateway is shared with (RAM) without approval"),
            Property.string("description"),
            Property.bool("securityGroupReferencing").defaultValue(false)
                    .describe("let security groups of VPCs attached to this gateway reference each other (AWS's default: off); each attachment has its own switch too"),
            Property.list("cidrBlocks", Property.cidr("cidr")).defaultEmptyList()
                    .describe("address blocks of the gateway itself (Connect peers, GRE tunnels): IPv4 /24 or larger, IPv6 /64 or larger"));

    /** TransitGatewayCidrBlocks: "any IPv4 /24 CIDR block or larger … any IPv6 /64 or larger", none in 169.254.0.0/16 (EC2 API reference). */
    static final int MAX_IPV4_PREFIX = 24, MAX_IPV6_PREFIX = 64;
    static final Cidr LINK_LOCAL = Cidr.parse("169.254.0.0/16");

    private final Reads<TransitGateway> reads = reads("DescribeTransitGateways", f -> ec2().describeTransitGatewaysPaginator(r -> r.filters(f)).transitGateways(),
            TransitGateway::transitGatewayId, TransitGateway::tags, t -> !GONE_STATES.contains(t.stateAsString()), (ctx, id, t) -> translate(id, t));

    public TransitGatewayType(AwsSession aws) {
        super(aws, "transit-gateway", "transit-gateway", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode asn = b.properties().get("amazonAsn");
        if (asn != null && asn.isIntegralNumber()) {
            long a = asn.asLong();
            boolean ok = (a >= 64512 && a <= 65534) || (a >= 4200000000L && a <= 4294967294L);
            if (!ok) v.error(b, "/amazonAsn", a + " is not a private ASN: use 64512-65534 (16-bit) or 4200000000-4294967294 (32-bit)");
        }
        JsonNode description = b.properties().get("description");
        if (description != null && description.isTextual() && description.asText().isEmpty()) {
            v.error(b, "/description", "an empty description cannot be told apart from none: leave the property out");
        }
        eachCidr(b, "cidrBlocks", (c, at, before) -> {
            if (c.prefix() > (c.ipv6() ? MAX_IPV6_PREFIX : MAX_IPV4_PREFIX)) {
                v.error(b, at, c + " is too small for a transit gateway CIDR block: use " + (c.ipv6() ? "/64" : "/24") + " or larger");
            }
            if (!c.ipv6() && LINK_LOCAL.overlaps(c)) v.error(b, at, c + " overlaps 169.254.0.0/16, which AWS does not allow for transit gateway CIDR blocks");
            for (Cidr o : before) {
                if (o.ipv6() == c.ipv6() && o.overlaps(c)) v.error(b, at, c + " overlaps " + o + ", listed before it");
            }
        });
        warnPastQuota(b, v, MAX_TRANSIT_GATEWAYS, "more than " + MAX_TRANSIT_GATEWAYS + " transit gateways exceeds the default quota of 5 per account and region");
    }

    /**
     * Gateways live outside VPCs: the second pass imports those the VPCs' attachments name, when
     * the VPCs' account owns them (a gateway shared from another account stays a literal id).
     */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        Set<String> ids = scope.referenced("tgw-");
        if (!scope.byReference() || ids.isEmpty()) return List.of();
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(null, "DescribeTransitGateways", () -> ec2().describeTransitGatewaysPaginator(r -> r.filters(Ec2Tags.filter("transit-gateway-id", ids)))
                .transitGateways().forEach(t -> {
                    if (!ids.contains(t.transitGatewayId()) || GONE_STATES.contains(t.stateAsString())) return;
                    if (t.ownerId() != null && !scope.accounts().isEmpty() && !scope.accounts().contains(t.ownerId())) return;
                    out.add(Ec2Tags.any().mark(translate(t.transitGatewayId(), t), t.tags()));
                }));
        return out;
    }

    private LiveResource translate(String id, TransitGateway t) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        TransitGatewayOptions o = t.options();
        if (o != null) {
            if (o.amazonSideAsn() != null) p.put("amazonAsn", o.amazonSideAsn().longValue());
            p.put("defaultRouteTableAssociation", enabled(o.defaultRouteTableAssociationAsString()));
            p.put("defaultRouteTablePropagation", enabled(o.defaultRouteTablePropagationAsString()));
            p.put("dnsSupport", enabled(o.dnsSupportAsString()));
            p.put("vpnEcmpSupport", enabled(o.vpnEcmpSupportAsString()));
            p.put("autoAcceptSharedAttachments", enabled(o.autoAcceptSharedAttachmentsAsString()));
            // Absent from an answer (moto, a backend predating the option) is AWS's default: disabled.
            p.put("securityGroupReferencing", enabled(o.securityGroupReferencingSupportAsString()));
            var cidrs = p.putArray("cidrBlocks");
            if (o.hasTransitGatewayCidrBlocks()) new java.util.TreeSet<>(o.transitGatewayCidrBlocks().stream().map(Cidr::canonical).toList()).forEach(cidrs::add);
        }
        if (t.description() != null && !t.description().isEmpty()) p.put("description", t.description());
        p.set("tags", Ec2Tags.userTags(t.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (t.transitGatewayArn() != null) attrs.put("arn", t.transitGatewayArn());
        if (t.ownerId() != null) attrs.put("ownerId", t.ownerId());
        if (o != null && o.associationDefaultRouteTableId() != null) attrs.put("associationDefaultRouteTableId", o.associationDefaultRouteTableId());
        if (o != null && o.propagationDefaultRouteTableId() != null) attrs.put("propagationDefaultRouteTableId", o.propagationDefaultRouteTableId());
        return new LiveResource(id, name(), t.transitGatewayId(), p, attrs);
    }

    /** Canonical CIDR texts of a list ({@code null}: none). */
    static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) n.forEach(x -> out.add(Cidr.canonical(x.asText())));
        return out;
    }

    private Optional<TransitGateway> describe(String id, String tgwId) {
        // moto answers an unknown id with an empty list, AWS with InvalidTransitGatewayID.NotFound: both are "absent".
        return find(id, "DescribeTransitGateways", () -> ec2().describeTransitGateways(r -> r.transitGatewayIds(tgwId)).transitGateways())
                .filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String tgwId) {
        return describe(id, tgwId).filter(t -> !GONE_STATES.contains(t.stateAsString()))
                .map(t -> translate(id, t));
    }

    private void waitAvailable(TypeContext ctx, String id, String tgwId, Duration timeout) {
        ctx.waiter().until(id, "transit gateway " + tgwId + " available", timeout, Set.of("available"), GONE_STATES, () ->
                describe(id, tgwId).map(t -> new Waiter.Outcome(t.stateAsString(), null))
                        .orElse(new Waiter.Outcome("not visible yet", null)));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        ObjectNode w = spec.properties();
        // CreateTransitGateway takes no ClientToken (docs/aws-facts.md): the tags set here are what lets a
        // re-run find a gateway whose create response was lost.
        TransitGateway t = AwsCalls.call(id, "CreateTransitGateway", () -> ec2().createTransitGateway(r -> {
            r.options(o -> o.amazonSideAsn(w.path("amazonAsn").asLong(DEFAULT_ASN))
                            .defaultRouteTableAssociation(flag(w.path("defaultRouteTableAssociation").asBoolean(true)))
                            .defaultRouteTablePropagation(flag(w.path("defaultRouteTablePropagation").asBoolean(true)))
                            .dnsSupport(flag(w.path("dnsSupport").asBoolean(true)))
                            .vpnEcmpSupport(flag(w.path("vpnEcmpSupport").asBoolean(true)))
                            .autoAcceptSharedAttachments(flag(w.path("autoAcceptSharedAttachments").asBoolean(false)))
                            .securityGroupReferencingSupport(flag(w.path("securityGroupReferencing").asBoolean(false)))
                            .transitGatewayCidrBlocks(texts(w.get("cidrBlocks"))))
                    .tagSpecifications(Ec2Tags.spec(ResourceType.TRANSIT_GATEWAY, spec.tags()));
            String d = spec.text("description");
            if (d != null && !d.isEmpty()) r.description(d);
        }).transitGateway());
        String tgwId = t.transitGatewayId();
        waitAvailable(ctx, id, tgwId, CREATE_TIMEOUT);
        return readBack(ctx, id, tgwId, () -> readOne(ctx, id, tgwId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), tgwId = live.awsId();
        ObjectNode have = live.properties(), want = spec.properties();
        ModifyTransitGatewayOptions.Builder o = ModifyTransitGatewayOptions.builder();
        boolean options = false;
        if (changed.contains("amazonAsn") && want.has("amazonAsn") && want.get("amazonAsn").asLong() != have.path("amazonAsn").asLong()) {
            o.amazonSideAsn(want.get("amazonAsn").asLong());
            options = true;
        }
        if (changed.contains("cidrBlocks")) {
            // ModifyTransitGateway takes the difference, not the new list.
            List<String> w = texts(want.get("cidrBlocks")), h = texts(have.get("cidrBlocks"));
            List<String> add = w.stream().filter(c -> !h.contains(c)).toList(), remove = h.stream().filter(c -> !w.contains(c)).toList();
            if (!add.isEmpty()) o.addTransitGatewayCidrBlocks(add);
            if (!remove.isEmpty()) o.removeTransitGatewayCidrBlocks(remove);
            options |= !add.isEmpty() || !remove.isEmpty();
        }
        options |= TgwFlags.changed(changed, have, want, o, MODIFY_FLAGS);
        String description = changed.contains("description") ? spec.text("description") : null;
        boolean touched = false;
        if (options || description != null) {
            ModifyTransitGatewayOptions opts = options ? o.build() : null;
            // A gateway still 'modifying' from an earlier change answers IncorrectState: retried.
            runWhileBusy(ctx, id, "ModifyTransitGateway", TransitGatewayBusy.CODES, UPDATE_TIMEOUT, () -> ec2().modifyTransitGateway(r -> {
                r.transitGatewayId(tgwId);
                if (opts != null) r.options(opts);
                if (description != null) r.description(description);
            }));
            waitAvailable(ctx, id, tgwId, UPDATE_TIMEOUT);
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, tgwId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        deleteUnlessDeleting(ctx, live, DELETION, tgwId -> ec2().deleteTransitGateway(r -> r.transitGatewayId(tgwId)),
                this::describe, TransitGateway::stateAsString);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeTransitGateways"),
                java.util.List.of("ec2:CreateTags", "ec2:CreateTransitGateway", "ec2:ModifyTransitGateway"),
                java.util.List.of("ec2:CreateTags", "ec2:DeleteTags", "ec2:ModifyTransitGateway"),
                java.util.List.of("ec2:DeleteTransitGateway"),
                java.util.List.of());
    }
}
