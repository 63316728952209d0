package io.netstack.provider.directconnect.dxgateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
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
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGateway;

/**
 * {@code dx-gateway}: a Direct Connect gateway. {@code amazonAsn} is create-only; {@code name}
 * (default {@code <stack>-<id>}) is renamed in place with UpdateDirectConnectGateway.
 *
 * <p><b>Ownership.</b> Direct Connect gateways take tags since March 2025 (CreateDirectConnectGateway
 * {@code tags}; DescribeDirectConnectGateways returns them; SDK 2.40.2 has both), so they are owned
 * like everything else: {@code netstack:stack}/{@code netstack:id}/{@code Name} set in the create
 * call itself. Their name is therefore free and carries no meaning (an earlier plan was a name
 * convention; a name can be changed by anyone in the console and would silently disown or capture a
 * gateway, so tags are the safer key). Gateways are global, not regional, so they also carry
 * {@code netstack:region} and a stack only owns the gateways tagged with its own region: the same
 * stack name deployed to two regions never sees the other's gateway.
 *
 * <p><b>Reads.</b> DescribeDirectConnectGateways has no filter at all: a plan reads every gateway
 * of the account (100 per page; the default quota is 200 gateways, so one or two calls) and keeps
 * those whose tags name the stack. The tags come inline; no per-gateway call.
 */
public final class DxGatewayType extends DxType {
    /** Terraform aws_dx_gateway: create timeout 10 m. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** Terraform aws_dx_gateway: delete timeout 10 m. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    static final Set<String> GONE_STATES = DELETING_OR_DELETED;
    static final Status<DirectConnectGateway> STATE = Status.of(DirectConnectGateway::directConnectGatewayStateAsString, DirectConnectGateway::stateChangeError);
    static final Wait AVAILABLE = Wait.available(CREATE_TIMEOUT);
    /** Direct Connect has one client error code; DxCalls makes it NotFound only when the message says the object does not exist. */
    static final Deletion DELETION = Deletion.of("DeleteDirectConnectGateway", DELETE_TIMEOUT, DxCalls.CLIENT_EXCEPTION);
    /** CreateDirectConnectGateway: "The default is 64512". */
    static final int DEFAULT_ASN = 64512;
    /** Conservative bound for a gateway name (the API reference states none; the console caps names at 100). */
    static final int MAX_NAME = 100;

    private static final Schema SCHEMA = new Schema(true, List.of("arn", "ownerAccount"),
            Property.string("name").describe("gateway name, renamed in place; default <stack>-<id> (ownership is by tags, not by name)"),
            Property.integer("amazonAsn").createOnly().defaultValue(DEFAULT_ASN).range(1, 4294967294L)
                    .describe("Amazon-side BGP ASN: 64512–65534 or 4200000000–4294967294"));

    public DxGatewayType(AwsSession aws) {
        super(aws, "dx-gateway", "Direct Connect gateway", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode asn = b.properties().get("amazonAsn");
        if (asn != null && asn.isIntegralNumber() && !privateAsn(asn.asLong())) {
            v.error(b, "/amazonAsn", "the Amazon-side ASN must be private: 64512–65534 or 4200000000–4294967294, got " + asn.asLong());
        }
        String name = b.properties().path("name").asText(null);
        if (name != null && (name.isBlank() || name.length() > MAX_NAME || !name.strip().equals(name))) {
            v.error(b, "/name", "a Direct Connect gateway name is 1–" + MAX_NAME + " characters without leading or trailing blanks");
        }
    }

    static boolean privateAsn(long asn) {
        return (asn >= 64512 && asn <= 65534) || (asn >= 4200000000L && asn <= 4294967294L);
    }

    /** The name a gateway gets when the block has none. */
    public static String defaultName(String stack, String id) {
        String n = stack + "-" + id;
        return n.length() <= MAX_NAME ? n : n.substring(0, MAX_NAME);
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<DirectConnectGateway> all = DxCalls.gateways(dx(), null, null);
        List<LiveResource> out = new ArrayList<>();
        for (DirectConnectGateway g : all) {
            if (gone(g)) continue;
            DxTags.ownedId(g.tags(), ctx.stack(), ctx.region()).ifPresent(id -> out.add(translate(ctx, id, g)));
        }
        return out;
    }

    static boolean gone(DirectConnectGateway g) {
        return GONE_STATES.contains(g.directConnectGatewayStateAsString());
    }

    private LiveResource translate(TypeContext ctx, String id, DirectConnectGateway g) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("name", g.directConnectGatewayName());
        if (g.amazonSideAsn() != null) p.put("amazonAsn", g.amazonSideAsn());
        p.set("tags", DxTags.userTags(g.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        if (g.ownerAccount() != null) {
            attrs.put("ownerAccount", g.ownerAccount());
            attrs.put("arn", DxTags.gatewayArn(ctx.region(), g.ownerAccount(), g.directConnectGatewayId()));
        }
        return new LiveResource(id, name(), g.directConnectGatewayId(), p, attrs);
    }

    private Optional<DirectConnectGateway> describe(String id, String gatewayId, Set<String> goneStates) {
        return DxCalls.gateway(dx(), id, gatewayId).filter(g -> !goneStates.contains(g.directConnectGatewayStateAsString()));
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String gatewayId) {
        return describe(id, gatewayId, GONE_STATES).map(g -> translate(ctx, id, g));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        // before the create call: an object of a global type never exists without the marker naming its type
        aws.markers().ensure(ctx.stack(), spec.id(), name());
        String id = spec.id();
        String name = spec.text("name") != null ? spec.text("name") : defaultName(ctx.stack(), id);
        long asn = spec.properties().path("amazonAsn").asLong(DEFAULT_ASN);
        Map<String, String> tags = new TreeMap<>(spec.tags());
        tags.put(DxTags.REGION_TAG, ctx.region());
        DirectConnectGateway created = DxCalls.call(id, "CreateDirectConnectGateway", () -> dx().createDirectConnectGateway(r -> r
                .directConnectGatewayName(name).amazonSideAsn(asn).tags(DxTags.toTags(tags)))).directConnectGateway();
        String gatewayId = created.directConnectGatewayId();
        await(ctx, id, gatewayId, AVAILABLE, () -> describe(id, gatewayId, Set.of()), STATE);
        DirectConnectGateway now = ensureExists(id, gatewayId, () -> describe(id, gatewayId, Set.of()));
        if (!DxTags.hasOwnership(now.tags())) {
            // An endpoint that dropped the creation tags: write them, or fail rather than create an orphan on every run.
            String arn = DxTags.gatewayArn(ctx.region(), now.ownerAccount(), gatewayId);
            DxCalls.run(id, "TagResource", () -> dx().tagResource(r -> r.resourceArn(arn).tags(DxTags.toTags(tags))));
            now = ensureExists(id, gatewayId, () -> describe(id, gatewayId, Set.of()));
            if (!DxTags.hasOwnership(now.tags())) {
                throw new AwsFailure(ErrorCategory.UNSUPPORTED, id, "TagResource", null, null, "this endpoint does not keep tags on Direct Connect gateway " + gatewayId
                        + ", so netstack could not find it again; delete it by hand", null);
            }
        }
        return readBack(ctx, id, gatewayId, () -> readOne(ctx, id, gatewayId));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), gatewayId = live.awsId();
        ensureExists(id, gatewayId, () -> describe(id, gatewayId, GONE_STATES));
        boolean touched = false;
        if (changed.contains("name") && spec.text("name") != null && !spec.text("name").equals(live.properties().path("name").asText(null))) {
            run(id, "UpdateDirectConnectGateway", () -> dx().updateDirectConnectGateway(r -> r.directConnectGatewayId(gatewayId)
                    .newDirectConnectGatewayName(spec.text("name"))));
            touched = true;
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, gatewayId));
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), gatewayId = live.awsId();
        deleteAndWaitGone(ctx, id, gatewayId, DELETION, () -> dx().deleteDirectConnectGateway(r -> r.directConnectGatewayId(gatewayId)),
                () -> describe(id, gatewayId, DELETED), STATE);
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return taggedPermissions(List.of("directconnect:DescribeDirectConnectGateways"), List.of("directconnect:CreateDirectConnectGateway"),
                List.of("directconnect:UpdateDirectConnectGateway"), List.of("directconnect:DeleteDirectConnectGateway"));
    }
}
