package io.netstack.provider.ram.shareacceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsSession;
import io.netstack.provider.ram.RamType;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Permissions;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ram.model.ResourceShare;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitation;
import software.amazon.awssdk.services.ram.model.Tag;

/**
 * {@code ram-share-acceptance}: the receiving side of a RAM resource share, in the account it is
 * shared with. Create accepts the share's PENDING invitation (AcceptResourceShareInvitation) and
 * waits until the share is visible here ({@code ACTIVE} among the shares of OTHER-ACCOUNTS). When
 * there is no invitation because the account is in the owner's organization and organization
 * sharing is on, the share is visible without one and there is nothing to do: the acceptance
 * then only waits for it, which still orders what uses the shared resources after it.
 *
 * <h2>Ownership, update, delete</h2>
 * An accepted share is its owner's object: the receiving account can tag neither the share
 * (TagResource takes only shares the caller owns) nor the invitation. So this type keeps no mark
 * in AWS; it reads what the file names ({@link TypeContext#declared}): a declared acceptance exists
 * when its share is visible to this account. {@code share} is a literal share ARN, or a
 * {@code ${stack:<owner stack>/<id>}} reference, matched by the share's ownership tags. Nothing is
 * updated in place ({@code share} is create-only). Nothing is ever deleted: an account cannot leave
 * a share it accepted — the owner removes it from the share's {@code principals} (or deletes the
 * share). A block removed from the file, or a destroy (which declares nothing), is simply no longer
 * read, so no plan shows a delete of it; {@link #delete} is a no-op for completeness. Documented in
 * docs/stack-format.md.
 */
public final class RamShareAcceptanceType extends RamType {
    /**
     * The share's owner stack created it a moment ago (possibly in the same command): the
     * invitation reaches this account within seconds; 5 m is the propagation bound netstack uses
     * everywhere (docs/aws-facts.md, eventual consistency) and Terraform's
     * aws_ram_resource_share_accepter create timeout.
     */
    static final Duration ACCEPT_TIMEOUT = Duration.ofMinutes(5);
    static final Pattern SHARE_ARN = Pattern.compile("arn:[a-z-]+:ram:[a-z0-9-]+:\\d{12}:resource-share/[0-9a-f-]+");

    private static final Schema SCHEMA = new Schema(false, List.of("status", "owner", "name"),
            Property.ref("share", List.of("ram-resource-share"), List.of("arn:")).required().createOnly()
                    .describe("the resource share to accept: its ARN, or ${stack:<owner stack>/<id>} of the ram-resource-share"));

    public RamShareAcceptanceType(AwsSession aws) {
        super(aws, "ram-share-acceptance", "resource share", SCHEMA);
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode share = b.properties().get("share");
        if (share == null || !share.isTextual()) return;
        v.target(share).ifPresent(t -> v.error(b, "/share", "${" + t.id() + "} is shared by this stack's own account: "
                + "accept a share in the account it is shared with (a stack of that account, with ${stack:<this stack>/" + t.id() + "})"));
        String s = share.asText();
        if (!Reference.containsReference(s) && !SHARE_ARN.matcher(s).matches()) {
            v.error(b, "/share", "\"" + s + "\" is not a resource share ARN (arn:aws:ram:<region>:<account>:resource-share/<uuid>)");
        }
    }

    /** Shares of other accounts visible to this one (accepted, or shared inside the organization). */
    private List<ResourceShare> visible(String id, List<String> arns) {
        List<ResourceShare> out = new ArrayList<>();
        call(id, "GetResourceShares", () -> {
            ram().getResourceSharesPaginator(r -> {
                r.resourceOwner("OTHER-ACCOUNTS").resourceShareStatus("ACTIVE");
                if (arns != null && !arns.isEmpty()) r.resourceShareArns(arns);
            }).forEach(p -> out.addAll(p.resourceShares()));
            return null;
        });
        return out;
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        Map<String, JsonNode> declared = ctx.declared(name());
        if (declared.isEmpty()) return List.of();
        List<String> literal = new ArrayList<>();
        declared.values().forEach(p -> {
            String s = p.path("share").asText("");
            if (SHARE_ARN.matcher(s).matches()) literal.add(s);
        });
        boolean byRef = declared.values().stream().anyMatch(p -> Reference.containsReference(p.path("share").asText("")));
        // one read: by ARN when the file names only ARNs, else every visible share (references match by tags)
        List<ResourceShare> shares = visible(null, byRef ? null : literal);
        List<LiveResource> out = new ArrayList<>();
        declared.forEach((id, p) -> match(p.path("share").asText(""), shares).ifPresent(s -> out.add(translate(id, s))));
        return out;
    }

    /** The visible share a declared {@code share} names: by ARN, or by the owner stack's ownership tags. */
    static Optional<ResourceShare> match(String share, List<ResourceShare> shares) {
        Optional<Reference> ref = Reference.whole(share);
        for (ResourceShare s : shares) {
            if (!"ACTIVE".equals(s.statusAsString())) continue;
            if (ref.isEmpty() && share.equals(s.resourceShareArn())) return Optional.of(s);
            if (ref.isPresent() && ref.get().kind() == Reference.Kind.STACK && ref.get().attribute() == null
                    && ref.get().stack().equals(tag(s.tags(), Ownership.STACK_TAG)) && ref.get().target().equals(tag(s.tags(), Ownership.ID_TAG))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static String tag(List<Tag> tags, String key) {
        if (tags != null) for (Tag t : tags) if (key.equals(t.key())) return t.value();
        return null;
    }

    private LiveResource translate(String id, ResourceShare s) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("share", s.resourceShareArn());
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("status", s.statusAsString());
        if (s.owningAccountId() != null) attrs.put("owner", s.owningAccountId());
        if (s.name() != null) attrs.put("name", s.name());
        return new LiveResource(id, name(), s.resourceShareArn(), p, attrs);
    }

    private Optional<ResourceShare> findVisible(String id, String arn) {
        return visible(id, List.of(arn)).stream().filter(s -> arn.equals(s.resourceShareArn()) && "ACTIVE".equals(s.statusAsString())).findFirst();
    }

    private Optional<ResourceShareInvitation> invitation(String id, String arn) {
        List<ResourceShareInvitation> out = new ArrayList<>();
        call(id, "GetResourceShareInvitations", () -> {
            ram().getResourceShareInvitationsPaginator(r -> r.resourceShareArns(arn)).forEach(p -> out.addAll(p.resourceShareInvitations()));
            return null;
        });
        // the newest first: a share that was removed and re-added leaves an old invitation behind
        return out.stream().filter(i -> arn.equals(i.resourceShareArn()))
                .max(java.util.Comparator.comparing(i -> i.invitationTimestamp() == null ? java.time.Instant.EPOCH : i.invitationTimestamp()));
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id(), arn = spec.text("share");
        // Wait until either an invitation reached this account or the share is visible without one (same organization).
        Waiter.Outcome o = ctx.waiter().until(id, "resource share " + arn + " invitation or visibility", ACCEPT_TIMEOUT,
                Set.of("PENDING", "ACCEPTED", "VISIBLE"), Set.of("REJECTED", "EXPIRED"), () -> {
                    Optional<ResourceShareInvitation> inv = invitation(id, arn);
                    if (inv.isPresent()) return new Waiter.Outcome(inv.get().statusAsString(), inv.get().statusAsString().equals("EXPIRED")
                            ? "the invitation expired (AWS: after 7 days); the owner must share again" : null);
                    return new Waiter.Outcome(findVisible(id, arn).isPresent() ? "VISIBLE" : "no invitation yet", null);
                });
        if (o.state().equals("PENDING")) {
            String invitationArn = invitation(id, arn).orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, null,
                    "the invitation to resource share " + arn + " went away")).resourceShareInvitationArn();
            mutateRun(ctx, id, "AcceptResourceShareInvitation", () -> ram().acceptResourceShareInvitation(r -> {
                r.resourceShareInvitationArn(invitationArn);
                if (spec.clientToken() != null) r.clientToken(spec.clientToken());
            }));
        }
        return readBack(ctx, id, arn, () -> findVisible(id, arn).map(s -> translate(id, s)));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        return live; // share is create-only: nothing else to change
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        // Nothing to undo in this account: see the class comment (the owner removes the principal).
    }

    @Override
    public Permissions permissions() {
        return new Permissions(
                List.of("ram:GetResourceShares"),
                List.of("ram:GetResourceShareInvitations", "ram:AcceptResourceShareInvitation"),
                List.of(),
                // nothing is called: declared so that netstack policy knows the type needs no more
                List.of("ram:GetResourceShares"));
    }
}
