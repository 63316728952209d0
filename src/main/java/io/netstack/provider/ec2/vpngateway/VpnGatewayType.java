package io.netstack.provider.ec2.vpngateway;

import java.util.ArrayList;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.GatewayType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VpcAttachment;
import software.amazon.awssdk.services.ec2.model.VpnGateway;

/**
 * {@code vpn-gateway} (virtual private gateway, VGW): the AWS end of a site-to-site VPN or a
 * Direct Connect private virtual interface. {@code vpc} is attached and detached in place
 * (Attach/DetachVpnGateway); an empty {@code vpc} means "attached to nothing", so removing the
 * property from the file detaches the gateway. {@code amazonAsn} is create-only and always sent
 * (AWS's default, 64512, when omitted), so the value read back is the value the file means.
 *
 * <p>Reads: one DescribeVpnGateways filtered by {@code tag:netstack:stack} (no pagination on this
 * call, docs/aws-facts.md); ownership re-checked client-side; deleted/deleting gateways dropped (moto
 * keeps them visible as {@code deleted}). Only {@code attaching}/{@code attached} attachments
 * count: AWS and moto keep {@code detached} ones in the list.
 */
public final class VpnGatewayType extends Ec2Type {
    /** Terraform vpnGatewayCreatedTimeout = 10 m (internal/service/ec2/wait.go). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform vpnGatewayDeletedTimeout = 10 m; the delete is retried as long while VPN connections are still going. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform VPNGatewayVPCAttachmentAttachedTimeout = 15 m. */
    static final Duration ATTACH_TIMEOUT = Duration.ofMinutes(15);
    /** Terraform VPNGatewayVPCAttachmentDetachedTimeout = 30 m: detaching waits for propagated routes and DX VIFs to go. */
    static final Duration DETACH_TIMEOUT = Duration.ofMinutes(30);
    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    static final Status<VpnGateway> STATE = Status.of(VpnGateway::stateAsString);
    static final Wait AVAILABLE = Wait.available(CREATE_TIMEOUT);
    /** IncorrectState: VPN connections or a Direct Connect association are still being removed. */
    static final Deletion DELETION = Deletion.of("DeleteVpnGateway", DELETE_TIMEOUT, "InvalidVpnGatewayID.NotFound").busyOn("IncorrectState");
    /** AWS's default Amazon-side ASN when CreateVpnGateway gets none (EC2 API reference). */
    static final long DEFAULT_AMAZON_ASN = 64512;

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).defaultValue("")
                    .describe("VPC to attach to (attached/detached in place); omit or \"\" to leave the gateway detached"),
            Property.integer("amazonAsn").createOnly().range(1, 4_294_967_294L).defaultValue((int) DEFAULT_AMAZON_ASN)
                    .describe("private ASN of the Amazon side: 64512–65534 or 4200000000–4294967294 (AWS default 64512)"));

    private final Finder<VpnGateway> gateways = finder("DescribeVpnGateways", vgwId -> ec2().describeVpnGateways(r -> r.vpnGatewayIds(vgwId)).vpnGateways(),
            VpnGateway::vpnGatewayId, VpnGateway::stateAsString, GONE_STATES);

    private final Reads<VpnGateway> reads = reads("DescribeVpnGateways", f -> ec2().describeVpnGateways(r -> r.filters(f)).vpnGateways(),
            VpnGateway::vpnGatewayId, VpnGateway::tags, g -> !gone(g.stateAsString()), (ctx, id, g) -> translate(id, g));

    public VpnGatewayType(AwsSession aws) {
        super(aws, "vpn-gateway", "VPN gateway", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        if (b.properties().has("amazonAsn")) {
            long asn = b.properties().get("amazonAsn").asLong();
            boolean ok = (asn >= 64512 && asn <= 65534) || (asn >= 4_200_000_000L && asn <= 4_294_967_294L);
            if (!ok) v.error(b, "/amazonAsn", "amazonAsn must be a private ASN: 64512–65534 or 4200000000–4294967294, got " + asn);
        }
    }

    /** The gateways attached to the VPCs: one DescribeVpnGateways by attachment.vpc-id (it takes no pagination). */
    @Override
    public List<LiveResource> importable(TypeContext ctx, io.netstack.spi.ImportScope scope) {
        return importInVpcs(ctx, scope, reads, () -> ofVpcs(ec2(), scope), g -> true);
    }

    /** The live gateways attached to the import's VPCs: one DescribeVpnGateways, shared with the vpn-connection type. */
    public static List<VpnGateway> ofVpcs(software.amazon.awssdk.services.ec2.Ec2Client ec2, io.netstack.spi.ImportScope scope) {
        return scope.shared("DescribeVpnGateways", () -> {
            List<VpnGateway> out = new ArrayList<>();
            for (VpnGateway g : AwsCalls.call(null, "DescribeVpnGateways",
                    () -> ec2.describeVpnGateways(r -> r.filters(Ec2Tags.filter("attachment.vpc-id", scope.vpcIds()))).vpnGateways())) {
                if (!gone(g.stateAsString()) && attachedVpc(g).filter(scope.vpcIds()::contains).isPresent()) out.add(g);
            }
            return out;
        });
    }

    static boolean gone(String state) {
        return GONE_STATES.contains(state);
    }

    /** The VPC the gateway is attached (or attaching) to. */
    static Optional<String> attachedVpc(VpnGateway g) {
        for (VpcAttachment a : g.vpcAttachments()) {
            String s = a.stateAsString();
            if ("attached".equals(s) || "attaching".equals(s)) return Optional.of(a.vpcId());
        }
        return Optional.empty();
    }

    private LiveResource translate(String id, VpnGateway g) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("vpc", attachedVpc(g).orElse(""));
        if (g.amazonSideAsn() != null) p.put("amazonAsn", g.amazonSideAsn());
        p.set("tags", Ec2Tags.userTags(g.tags()));
        return new LiveResource(id, name(), g.vpnGatewayId(), p, Map.of());
    }

    private Optional<LiveResource> readOne(String id, String vgwId) {
        return gateways.find(id, vgwId).map(g -> translate(id, g));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        long asn = spec.properties().path("amazonAsn").asLong(DEFAULT_AMAZON_ASN);
        VpnGateway g = AwsCalls.call(id, "CreateVpnGateway", () -> ec2().createVpnGateway(r -> r
                .type(GatewayType.IPSEC_1)
                .amazonSideAsn(asn)
                .tagSpecifications(Ec2Tags.spec(ResourceType.VPN_GATEWAY, spec.tags()))).vpnGateway());
        String vgwId = g.vpnGatewayId();
        await(ctx, id, vgwId, AVAILABLE, () -> gateways.find(id, vgwId, Set.of()), STATE);
        String vpc = spec.text("vpc");
        if (vpc != null && !vpc.isEmpty()) attach(ctx, id, vgwId, vpc);
        return readBack(ctx, id, vgwId, () -> readOne(id, vgwId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), vgwId = live.awsId();
        return updateExisting(ctx, live, spec, changed, () -> gateways.find(id, vgwId), now -> {
            if (!changed.contains("vpc")) return false;
            String have = attachedVpc(now).orElse("");
            String want = spec.text("vpc") == null ? "" : spec.text("vpc");
            if (have.equals(want)) return false;
            if (!have.isEmpty()) detach(ctx, id, vgwId, have, true);
            if (!want.isEmpty()) attach(ctx, id, vgwId, want);
            return true;
        }, () -> readOne(id, vgwId));
    }

    private void attach(TypeContext ctx, String id, String vgwId, String vpcId) {
        mutateRun(ctx, id, "AttachVpnGateway", () -> ec2().attachVpnGateway(r -> r.vpnGatewayId(vgwId).vpcId(vpcId)));
        ctx.waiter().until(id, "VPN gateway " + vgwId + " attached to " + vpcId, ATTACH_TIMEOUT, Set.of("attached"), Set.of(),
                () -> new Waiter.Outcome(attachmentState(id, vgwId, vpcId), null));
    }

    /** Detaches (unless a detach is already under way) and waits until the attachment is gone. */
    private void detach(TypeContext ctx, String id, String vgwId, String vpcId, boolean call) {
        if (call) {
            try {
                AwsCalls.run(id, "DetachVpnGateway", () -> ec2().detachVpnGateway(r -> r.vpnGatewayId(vgwId).vpcId(vpcId)));
            } catch (AwsFailure f) {
                // Already detached (or the gateway is gone): nothing to wait for.
                if (f.category() == ErrorCategory.NOT_FOUND) return;
                throw f;
            }
        }
        ctx.waiter().until(id, "VPN gateway " + vgwId + " detached from " + vpcId, DETACH_TIMEOUT, Set.of("detached"), Set.of(),
                () -> new Waiter.Outcome(attachmentState(id, vgwId, vpcId), null));
    }

    /** State of the attachment to {@code vpcId}; "detached" when there is none (or the gateway is gone). */
    private String attachmentState(String id, String vgwId, String vpcId) {
        return gateways.find(id, vgwId).flatMap(g -> g.vpcAttachments().stream().filter(a -> vpcId.equals(a.vpcId())).findFirst())
                .map(VpcAttachment::stateAsString).orElse("detached");
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), vgwId = live.awsId();
        Optional<VpnGateway> g = gateways.find(id, vgwId);
        if (g.isEmpty() || gone(g.get().stateAsString())) return;
        for (VpcAttachment a : g.get().vpcAttachments()) {
            String s = a.stateAsString();
            if ("attached".equals(s) || "attaching".equals(s) || "detaching".equals(s)) detach(ctx, id, vgwId, a.vpcId(), !"detaching".equals(s));
        }
        deleteAndWaitGone(ctx, id, vgwId, DELETION, () -> ec2().deleteVpnGateway(r -> r.vpnGatewayId(vgwId)), () -> gateways.find(id, vgwId, DELETED), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return ec2Permissions(DELETION, List.of("AttachVpnGateway", "CreateVpnGateway"), List.of("AttachVpnGateway", "DetachVpnGateway"),
                List.of("DetachVpnGateway"), false);
    }
}
