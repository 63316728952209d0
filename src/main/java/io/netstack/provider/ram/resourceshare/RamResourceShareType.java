package io.netstack.provider.ram.resourceshare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Deletion;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
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
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ram.model.ResourceShare;
import software.amazon.awssdk.services.ram.model.ResourceShareAssociation;
import software.amazon.awssdk.services.ram.model.Tag;
import software.amazon.awssdk.services.ram.model.TagFilter;

/**
 * {@code ram-resource-share}: an AWS RAM resource share owned by the stack's account, sharing
 * transit gateways, subnets or prefix lists ({@code resources}: references or ids, or any ARN)
 * with {@code principals} (account ids, organization or OU ARNs, IAM role or user ARNs).
 *
 * <ul>
 *   <li><b>create</b>: one CreateResourceShare with the resources' ARNs (EC2 ids become ARNs through
 *       the Describe of their kind, which returns the ARN), the principals, the ownership tags and
 *       the spec's ClientToken; then waits for the share {@code ACTIVE} and for every association to
 *       leave {@code ASSOCIATING} (a {@code FAILED} association fails the create with RAM's message).</li>
 *   <li><b>update</b>: {@code name} and {@code allowExternalPrincipals} with UpdateResourceShare;
 *       principals and resources added with AssociateResourceShare and removed with
 *       DisassociateResourceShare, in place; tags with TagResource/UntagResource.</li>
 *   <li><b>delete</b>: DeleteResourceShare, then waits until it is {@code DELETED}.</li>
 * </ul>
 * Reads: one paginated GetResourceShares (owner SELF, the stack's tag filter; tags re-checked here),
 * then one paginated GetResourceShareAssociations per association type for all the stack's shares.
 * RAM answers with ARNs; those of transit gateways, subnets and prefix lists are read back as ids,
 * so that references compare (and {@link #normalize} does the same to ARNs written in the file).
 *
 * <p>On the receiving side, {@code ram-share-acceptance} accepts the invitation (accounts outside
 * the organization, or with organization sharing off).
 */
public final class RamResourceShareType extends RamType {
    /** Terraform's aws_ram_resource_share create and delete timeouts are 5 m (the share reaches ACTIVE/DELETED in seconds). */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(5);
    /** Terraform's aws_ram_principal_association/resource_association wait 5 m for ASSOCIATED (DISASSOCIATED on removal). */
    static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(5);

    static final Set<String> GONE = Set.of("DELETING", "DELETED");
    static final Status<ResourceShare> STATE = Status.of(ResourceShare::statusAsString, ResourceShare::statusMessage);
    static final Wait ACTIVE = Wait.created("active", CREATE_TIMEOUT, "ACTIVE").failingOn("FAILED", "DELETING", "DELETED");
    static final Deletion DELETION = Deletion.of("DeleteResourceShare", DELETE_TIMEOUT, "UnknownResourceException");
    static final Set<String> LIVE_ASSOCIATIONS = Set.of("ASSOCIATING", "ASSOCIATED");

    /** EC2 ARNs read back as ids: arn:aws:ec2:eu-west-1:123456789012:transit-gateway/tgw-0abc → tgw-0abc. */
    static final Pattern EC2_ARN = Pattern.compile("arn:[a-z-]+:ec2:[a-z0-9-]+:\\d{12}:(transit-gateway|subnet|prefix-list)/((?:tgw|subnet|pl)-[0-9a-z]+)");
    static final Pattern PRINCIPAL = Pattern.compile("\\d{12}"
            + "|arn:[a-z-]+:organizations::\\d{12}:(organization/o-[a-z0-9]{10,32}|ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})"
            + "|arn:[a-z-]+:iam::\\d{12}:(role|user)/.+");

    private static final Schema SCHEMA = new Schema(true, List.of("arn", "status"),
            Property.string("name").describe("the share's name; omitted: <stack>/<id> at creation, and not managed"),
            Property.list("resources", Property.ref("resource", List.of("transit-gateway", "subnet"), List.of("tgw-", "subnet-", "pl-", "arn:")))
                    .required().describe("what is shared: transit gateways, subnets, prefix lists (pl-), or any shareable resource's ARN"),
            Property.list("principals", Property.string("principal")).required()
                    .describe("who it is shared with: 12-digit account ids, organization or OU ARNs, IAM role or user ARNs"),
            Property.bool("allowExternalPrincipals").defaultValue(true)
                    .describe("may principals outside this account's organization be named (they then accept an invitation)"));

    public RamResourceShareType(AwsSession aws) {
        super(aws, "ram-resource-share", "resource share", SCHEMA);
    }

    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode r = p.get("resources");
        if (r != null && r.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            r.forEach(x -> out.add(x.isTextual() ? TextNode.valueOf(idOf(x.asText())) : x));
            p.set("resources", out);
        }
        return p;
    }

    static String idOf(String arn) {
        Matcher m = EC2_ARN.matcher(arn);
        return m.matches() ? m.group(2) : arn;
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode principals = b.properties().get("principals");
        if (principals == null || !principals.isArray()) return;
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < principals.size(); i++) {
            String p = principals.get(i).asText();
            if (!PRINCIPAL.matcher(p).matches()) {
                v.error(b, "/principals/" + i, "\"" + p + "\" is not a 12-digit account id, an organization or OU ARN, or an IAM role or user ARN");
            }
            if (!seen.add(p)) v.error(b, "/principals/" + i, p + " is listed twice");
        }
        boolean external = b.properties().path("allowExternalPrincipals").asBoolean(true);
        if (!external && principals.isEmpty()) v.warning(b, "/principals", "a share without principals shares nothing");
    }

    // ---------------------------------------------------------------- reads

    private List<ResourceShare> shares(String id, String stack, List<String> arns) {
        List<ResourceShare> out = new ArrayList<>();
        TagFilter owned = TagFilter.builder().tagKey(Ownership.STACK_TAG).tagValues(stack).build();
        call(id, "GetResourceShares", () -> {
            ram().getResourceSharesPaginator(r -> {
                r.resourceOwner("SELF").tagFilters(owned);
                if (arns != null) r.resourceShareArns(arns);
            }).forEach(page -> out.addAll(page.resourceShares()));
            return null;
        });
        return out;
    }

    /** Share ARN → its live associations of {@code type} (PRINCIPAL or RESOURCE), for all of {@code arns} in one paginated call. */
    private Map<String, List<ResourceShareAssociation>> associations(String id, String type, List<String> arns) {
        Map<String, List<ResourceShareAssociation>> out = new LinkedHashMap<>();
        if (arns.isEmpty()) return out;
        call(id, "GetResourceShareAssociations", () -> {
            ram().getResourceShareAssociationsPaginator(r -> r.associationType(type).resourceShareArns(arns)).stream().flatMap(p -> p.resourceShareAssociations().stream())
                    .forEach(a -> out.computeIfAbsent(a.resourceShareArn(), k -> new ArrayList<>()).add(a));
            return null;
        });
        return out;
    }

    static Optional<String> ownedId(List<Tag> tags, String stack) {
        String s = null, id = null;
        if (tags != null) for (Tag t : tags) {
            if (Ownership.STACK_TAG.equals(t.key())) s = t.value();
            if (Ownership.ID_TAG.equals(t.key())) id = t.value();
        }
        return stack.equals(s) && id != null ? Optional.of(id) : Optional.empty();
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return read(null, ctx.stack(), null);
    }

    private List<LiveResource> read(String resource, String stack, String onlyArn) {
        Map<String, String> owned = new LinkedHashMap<>();
        Map<String, ResourceShare> byArn = new LinkedHashMap<>();
        for (ResourceShare s : shares(resource, stack, onlyArn == null ? null : List.of(onlyArn))) {
            if (GONE.contains(s.statusAsString()) || onlyArn != null && !onlyArn.equals(s.resourceShareArn())) continue;
            // tags re-checked: the filter is the server's word only
            ownedId(s.tags(), stack).ifPresent(id -> {
                owned.put(s.resourceShareArn(), id);
                byArn.put(s.resourceShareArn(), s);
            });
        }
        List<String> arns = List.copyOf(owned.keySet());
        Map<String, List<ResourceShareAssociation>> principals = associations(resource, "PRINCIPAL", arns), resources = associations(resource, "RESOURCE", arns);
        List<LiveResource> out = new ArrayList<>();
        owned.forEach((arn, id) -> out.add(translate(id, byArn.get(arn), principals.getOrDefault(arn, List.of()), resources.getOrDefault(arn, List.of()))));
        return out;
    }

    private LiveResource translate(String id, ResourceShare s, List<ResourceShareAssociation> principals, List<ResourceShareAssociation> resources) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        if (s.name() != null) p.put("name", s.name());
        ArrayNode r = p.putArray("resources");
        entities(resources).forEach(a -> r.add(idOf(a)));
        ArrayNode pr = p.putArray("principals");
        entities(principals).forEach(pr::add);
        p.put("allowExternalPrincipals", !Boolean.FALSE.equals(s.allowExternalPrincipals()));
        p.set("tags", userTags(s.tags()));
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("arn", s.resourceShareArn());
        attrs.put("status", s.statusAsString());
        return new LiveResource(id, name(), s.resourceShareArn(), p, attrs);
    }

    private static Set<String> entities(List<ResourceShareAssociation> l) {
        Set<String> out = new TreeSet<>();
        for (ResourceShareAssociation a : l) if (LIVE_ASSOCIATIONS.contains(a.statusAsString())) out.add(a.associatedEntity());
        return out;
    }

    static ObjectNode userTags(List<Tag> tags) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Map<String, String> m = new TreeMap<>();
        if (tags != null) for (Tag t : tags) if (!t.key().startsWith("netstack:") && !t.key().startsWith("aws:")) m.put(t.key(), t.value());
        m.forEach(o::put);
        return o;
    }

    static List<Tag> toTags(Map<String, String> m) {
        List<Tag> out = new ArrayList<>();
        new TreeMap<>(m).forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    private Optional<ResourceShare> findShare(String id, String stack, String arn) {
        return find(id, "GetResourceShares", () -> shares(id, stack, List.of(arn))).flatMap(l -> l.stream()
                .filter(s -> arn.equals(s.resourceShareArn()) && !"DELETED".equals(s.statusAsString())).findFirst());
    }

    private Optional<LiveResource> readOne(String id, String stack, String arn) {
        return read(id, stack, arn).stream().findFirst();
    }

    // ---------------------------------------------------------------- writes

    /** EC2 ids → the ARNs RAM takes, from the Describe of each kind (which returns the ARN and the owner). */
    private List<String> arns(TypeContext ctx, String id, List<String> items) {
        List<String> out = new ArrayList<>();
        List<String> tgws = new ArrayList<>(), subnets = new ArrayList<>(), pls = new ArrayList<>();
        for (String i : items) {
            if (i.startsWith("arn:")) out.add(i);
            else if (i.startsWith("tgw-")) tgws.add(i);
            else if (i.startsWith("subnet-")) subnets.add(i);
            else if (i.startsWith("pl-")) pls.add(i);
            else throw new AwsFailure(ErrorCategory.INVALID_REQUEST, id, null, i + " is neither an ARN nor a tgw-, subnet- or pl- id");
        }
        var ec2 = aws.ec2();
        if (!tgws.isEmpty()) AwsCalls.mutate(ctx, id, "DescribeTransitGateways", () -> ec2.describeTransitGateways(r -> r.transitGatewayIds(tgws)))
                .transitGateways().forEach(t -> out.add(t.transitGatewayArn()));
        if (!subnets.isEmpty()) AwsCalls.mutate(ctx, id, "DescribeSubnets", () -> ec2.describeSubnets(r -> r.subnetIds(subnets)))
                .subnets().forEach(s -> out.add(s.subnetArn()));
        if (!pls.isEmpty()) AwsCalls.mutate(ctx, id, "DescribeManagedPrefixLists", () -> ec2.describeManagedPrefixLists(r -> r.prefixListIds(pls)))
                .prefixLists().forEach(p -> out.add(p.prefixListArn()));
        if (out.size() != items.size()) {
            throw new AwsFailure(ErrorCategory.NOT_FOUND, id, null, "not every resource to share was found: " + items);
        }
        return out;
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        // before the create call: an object of a global type never exists without the marker naming its type
        aws.markers().ensure(ctx.stack(), spec.id(), name());
        String id = spec.id();
        String shareName = spec.text("name") != null ? spec.text("name") : Ownership.defaultName(ctx.stack(), id);
        List<String> resourceArns = arns(ctx, id, texts(spec.properties().get("resources")));
        List<String> principals = texts(spec.properties().get("principals"));
        ResourceShare s = call(id, "CreateResourceShare", () -> ram().createResourceShare(r -> {
            r.name(shareName).resourceArns(resourceArns).principals(principals)
                    .allowExternalPrincipals(spec.bool("allowExternalPrincipals", true)).tags(toTags(spec.tags()));
            if (spec.clientToken() != null) r.clientToken(spec.clientToken());
        }).resourceShare());
        String arn = s.resourceShareArn();
        await(ctx, id, arn, ACTIVE, () -> findShare(id, ctx.stack(), arn), STATE);
        awaitAssociations(ctx, id, arn);
        return readBack(ctx, id, arn, () -> readOne(id, ctx.stack(), arn));
    }

    /**
     * Until no resource association of the share is ASSOCIATING or DISASSOCIATING; a FAILED
     * association (resource or principal) fails with RAM's message. Principal associations are not
     * waited for: one to an account outside the organization completes only when that account
     * accepts the invitation, which its own stack does after this share exists (same graph).
     */
    private void awaitAssociations(TypeContext ctx, String id, String arn) {
        ctx.waiter().until(id, "resources of resource share " + arn + " associated", ASSOCIATION_TIMEOUT, Set.of("settled"), Set.of("FAILED"), () -> {
            List<ResourceShareAssociation> all = new ArrayList<>();
            associations(id, "PRINCIPAL", List.of(arn)).values().forEach(all::addAll);
            List<ResourceShareAssociation> resources = new ArrayList<>();
            associations(id, "RESOURCE", List.of(arn)).values().forEach(resources::addAll);
            all.addAll(resources);
            for (ResourceShareAssociation a : all) {
                if ("FAILED".equals(a.statusAsString())) return new Waiter.Outcome("FAILED", a.associatedEntity() + ": " + a.statusMessage());
            }
            boolean moving = resources.stream().anyMatch(a -> Set.of("ASSOCIATING", "DISASSOCIATING").contains(a.statusAsString()));
            return new Waiter.Outcome(moving ? "associating" : "settled", null);
        });
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), arn = live.awsId();
        ensureExists(id, arn, () -> findShare(id, ctx.stack(), arn));
        boolean touched = false;
        if (changed.contains("name") || changed.contains("allowExternalPrincipals")) {
            String shareName = spec.text("name") != null ? spec.text("name") : live.properties().path("name").asText(null);
            // the name is sent even when unchanged: an UpdateResourceShare without one must not clear it
            mutateRun(ctx, id, "UpdateResourceShare", () -> ram().updateResourceShare(r -> r.resourceShareArn(arn).name(shareName)
                    .allowExternalPrincipals(spec.bool("allowExternalPrincipals", true))));
            touched = true;
        }
        Set<String> addP = new LinkedHashSet<>(), dropP = new LinkedHashSet<>(), addR = new LinkedHashSet<>(), dropR = new LinkedHashSet<>();
        if (changed.contains("principals")) diff(texts(live.properties().get("principals")), texts(spec.properties().get("principals")), addP, dropP);
        if (changed.contains("resources")) diff(texts(live.properties().get("resources")), texts(spec.properties().get("resources")), addR, dropR);
        touched |= relink(ctx, id, "DisassociateResourceShare", dropP, dropR,
                (p, r) -> ram().disassociateResourceShare(x -> x.resourceShareArn(arn).principals(p).resourceArns(r)));
        touched |= relink(ctx, id, "AssociateResourceShare", addP, addR,
                (p, r) -> ram().associateResourceShare(x -> x.resourceShareArn(arn).principals(p).resourceArns(r)));
        if (!addP.isEmpty() || !addR.isEmpty() || !dropP.isEmpty() || !dropR.isEmpty()) awaitAssociations(ctx, id, arn);
        if (changed.contains("tags")) {
            Map<String, String> before = map(live.properties().get("tags")), after = map(spec.properties().get("tags"));
            List<String> gone = before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
            Map<String, String> put = new TreeMap<>();
            after.forEach((k, v) -> {
                if (!v.equals(before.get(k))) put.put(k, v);
            });
            if (!gone.isEmpty()) run(id, "UntagResource", () -> ram().untagResource(r -> r.resourceShareArn(arn).tagKeys(gone)));
            if (!put.isEmpty()) run(id, "TagResource", () -> ram().tagResource(r -> r.resourceShareArn(arn).tags(toTags(put))));
            touched = true;
        }
        return updated(ctx, live, touched, () -> readOne(id, ctx.stack(), arn));
    }

    /**
     * One (Dis)AssociateResourceShare of {@code principals} and {@code resources} (ids turned into
     * ARNs), nothing when both are empty. The two requests have the same fields but no common type,
     * so {@code send} builds one; an empty side is passed as null, which the SDK leaves out of the
     * request (as if never set) rather than sending an empty list.
     *
     * @return whether it called AWS
     */
    private boolean relink(TypeContext ctx, String id, String action, Set<String> principals, Set<String> resources,
                           BiConsumer<List<String>, List<String>> send) {
        if (principals.isEmpty() && resources.isEmpty()) return false;
        List<String> p = principals.isEmpty() ? null : List.copyOf(principals);
        List<String> r = resources.isEmpty() ? null : arns(ctx, id, List.copyOf(resources));
        mutateRun(ctx, id, action, () -> send.accept(p, r));
        return true;
    }

    private static void diff(List<String> have, List<String> want, Set<String> add, Set<String> drop) {
        for (String w : want) if (!have.contains(w)) add.add(w);
        for (String h : have) if (!want.contains(h)) drop.add(h);
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        if (n != null && n.isObject()) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), arn = live.awsId();
        deleteAndWaitGone(ctx, id, arn, DELETION, () -> ram().deleteResourceShare(r -> r.resourceShareArn(arn)),
                () -> findShare(id, ctx.stack(), arn), STATE);
    }

    @Override
    public Permissions permissions() {
        return new Permissions(
                List.of("ram:GetResourceShares", "ram:GetResourceShareAssociations"),
                List.of("ram:CreateResourceShare", "ram:TagResource", "ec2:DescribeTransitGateways", "ec2:DescribeSubnets", "ec2:DescribeManagedPrefixLists"),
                List.of("ram:UpdateResourceShare", "ram:AssociateResourceShare", "ram:DisassociateResourceShare", "ram:TagResource", "ram:UntagResource",
                        "ec2:DescribeTransitGateways", "ec2:DescribeSubnets", "ec2:DescribeManagedPrefixLists"),
                List.of("ram:DeleteResourceShare"));
    }
}
