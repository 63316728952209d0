package io.netstack.provider.ec2.transitgatewayroutetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Deletion;
import io.netstack.provider.Ec2Type;
import io.netstack.provider.SubnetClaims;
import io.netstack.provider.ec2.transitgateway.TransitGatewayBusy;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTable;

/**
 * {@code transit-gateway-route-table}: a route table of a transit gateway with its children
 * inline (docs/DESIGN.md principle 4) — {@code associations} (the attachments whose traffic the table
 * routes), {@code propagations} (the attachments whose routes it learns) and static
 * {@code routes} (to an attachment, or {@code blackhole: true}) — all compared as sets and
 * changed in place, so an association, propagation or route added by hand shows up as drift.
 * Routes are keyed by destination: a changed target is one modification. {@code "default": true}
 * makes the block the gateway's own default table ({@link TgwDefaultRouteTable}). The code is
 * split: this class (schema, validation, dispatch), {@link TgwRouteTableTranslator} (stack JSON
 * ↔ SDK shapes), {@link TgwRouteTableReads} and {@link TgwRouteTableVerbs}.
 *
 * <p><b>Moving an association.</b> An attachment is associated with at most one route table and
 * AWS refuses a second association ({@code Resource.AlreadyAssociated}) — the failure that
 * Terraform's {@code replace_existing_association} and two CloudFormation coverage issues are
 * about. Adding an attachment to {@code associations} therefore first disassociates it from
 * whichever other table of this stack on the same gateway holds it, or, if AWS still refuses,
 * from the gateway's default association table (auto-associated by
 * {@code defaultRouteTableAssociation}); a table that neither this stack nor the gateway's
 * defaults own is never touched: that is a clear error. Association changes of one attachment are
 * serialised inside the process, so the two table updates of one move never race.
 *
 * <p><b>Reads: the cost.</b> One paginated DescribeTransitGatewayRouteTables for the stack (tags
 * re-checked client-side: moto ignores the filter), then <em>three calls per table</em>:
 * GetTransitGatewayRouteTableAssociations, GetTransitGatewayRouteTablePropagations and
 * SearchTransitGatewayRoutes ({@code type=static}). AWS offers no batched read of a table's
 * children (DescribeTransitGatewayRouteTables returns none of them). With the default quota of 20
 * tables per gateway that is at most 60 Get/Search calls per plan, inside the 100-token
 * non-mutating bucket (docs/aws-facts.md). SearchTransitGatewayRoutes returns at most 1,000 routes and
 * has no pagination: a table with more static routes fails the read rather than plan from a
 * partial view. Propagated routes are AWS's, not the table's, and are not read.
 *
 * <p><b>Replacing a route's target</b> uses ReplaceTransitGatewayRoute (atomic on AWS). A
 * backend that does not implement it (moto answers an HTML 500) gets delete + create instead,
 * which leaves the destination unrouted for a moment.
 */
public final class TransitGatewayRouteTableType extends Ec2Type {
    /** terraform-provider-aws transitGatewayRouteTableCreatedTimeout: 10 m. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    /** IncorrectState (associations still going) is retried. */
    static final Deletion DELETION = TransitGatewayBusy.deletion("DeleteTransitGatewayRouteTable", "InvalidRouteTableID.NotFound");
    /** Amazon VPC quotas: 20 route tables per transit gateway (adjustable): a warning. */
    static final int MAX_TABLES_PER_GATEWAY = 20;

    static final List<String> ATTACHMENT_TYPES = List.of("transit-gateway-attachment", "transit-gateway-peering", "transit-gateway-attachment-acceptance");

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.ref("transitGateway", List.of("transit-gateway"), List.of("tgw-")).required().createOnly(),
            Property.bool("default").createOnly().defaultValue(false)
                    .describe("this block is the gateway's default route table (made by AWS with the gateway), not a new one: netstack manages its"
                            + " associations, propagations and routes, and leaves the table to the gateway when the block is removed"),
            Property.list("associations", Property.ref("attachment", ATTACHMENT_TYPES, List.of("tgw-attach-"))).defaultEmptyList()
                    .describe("attachments whose traffic this table routes; an attachment is associated with one table at most"),
            Property.list("propagations", Property.ref("attachment", List.of("transit-gateway-attachment", "transit-gateway-attachment-acceptance"), List.of("tgw-attach-"))).defaultEmptyList()
                    .describe("attachments whose routes this table learns"),
            Property.list("routes", Property.object("route",
                    Property.cidr("destination").required(),
                    Property.ref("attachment", ATTACHMENT_TYPES, List.of("tgw-attach-")),
                    Property.bool("blackhole").describe("drop traffic to the destination"))).keyedBy("destination").defaultEmptyList()
                    .describe("static routes: {destination, attachment} or {destination, blackhole: true}"));

    private final TgwRouteTableReads reads;
    private final TgwRouteTableVerbs verbs;
    private final TgwDefaultRouteTable defaults;

    public TransitGatewayRouteTableType(AwsSession aws) {
        super(aws, "transit-gateway-route-table", "transit-gateway-route-table", SCHEMA);
        this.reads = new TgwRouteTableReads(aws);
        this.verbs = new TgwRouteTableVerbs(aws, reads);
        this.defaults = new TgwDefaultRouteTable(aws, reads);
    }

    /**
     * The gateway's default table ({@code "default": true}) comes after every VPC attachment of its
     * gateway in the stack. AWS associates a new attachment with, and propagates it to, the default
     * table when the attachment is created (the gateway-wide defaults act once, at creation:
     * https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html), and the table's lists are
     * authoritative: written before an attachment of its gateway exists, they would leave that
     * attachment in a table that does not list it (TransitGatewayDefaultRouteTableIT saw it).
     */
    @Override
    public Set<String> implicitDependencies(io.netstack.spi.ResourceView self, io.netstack.spi.StackView stack) {
        String tgw = self.text("transitGateway");
        if (!self.properties().path("default").asBoolean(false) || tgw == null) return Set.of();
        Set<String> out = new java.util.TreeSet<>();
        stack.ofType("transit-gateway-attachment").filter(a -> tgw.equals(a.text("transitGateway"))).forEach(a -> out.add(a.id()));
        return out;
    }

    /** {@code "blackhole": false} and {@code null} fields say nothing: dropped, so all spellings compare equal. */
    @Override
    public ObjectNode normalize(ObjectNode p) {
        TgwRouteTableTranslator.normalizeRoutes(p.get("routes"));
        return p;
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        JsonNode tgw = b.properties().get("transitGateway");
        JsonNode routes = b.properties().get("routes");
        if (routes != null) {
            Map<String, Integer> seen = new TreeMap<>();
            for (int i = 0; i < routes.size(); i++) {
                JsonNode r = routes.get(i);
                boolean blackhole = r.path("blackhole").asBoolean(false);
                boolean attachment = r.hasNonNull("attachment");
                if (blackhole == attachment) {
                    v.error(b, "/routes/" + i, "a route needs exactly one of \"attachment\" and \"blackhole\": true");
                }
                String dest;
                try {
                    dest = Cidr.canonical(r.path("destination").asText());
                } catch (IllegalArgumentException e) {
                    continue; // reported by the schema check
                }
                Integer other = seen.putIfAbsent(dest, i);
                if (other != null) v.error(b, "/routes/" + i + "/destination", "destination " + dest + " is already routed by routes[" + other + "]");
                if (attachment) checkSameGateway(b, v, tgw, r.get("attachment"), "/routes/" + i + "/attachment");
            }
        }
        for (String list : List.of("associations", "propagations")) {
            JsonNode l = b.properties().get(list);
            if (l == null) continue;
            Set<String> dup = new HashSet<>();
            for (int i = 0; i < l.size(); i++) {
                if (!dup.add(l.get(i).asText())) v.error(b, "/" + list + "/" + i, l.get(i).asText() + " is listed twice");
                checkSameGateway(b, v, tgw, l.get(i), "/" + list + "/" + i);
            }
        }
        if (b.properties().path("default").asBoolean(false)) TgwDefaultRouteTable.validate(name(), b, v, tgw);
        // An attachment is associated with one route table at most (AWS: Resource.AlreadyAssociated).
        JsonNode mine = b.properties().get("associations");
        int tables = 0;
        for (ResourceBlock other : v.blocksOfType(name())) {
            if (!other.type().equals(name())) continue;
            if (other.properties().path("transitGateway").equals(tgw)) tables++;
            if (other.id().equals(b.id())) break;
            if (mine == null) continue;
            JsonNode theirs = other.properties().get("associations");
            if (theirs == null) continue;
            for (int i = 0; i < mine.size(); i++) {
                for (JsonNode t : theirs) {
                    if (t.equals(mine.get(i))) {
                        v.error(b, "/associations/" + i, mine.get(i).asText() + " is already associated with route table " + other.id() + ": an attachment is associated with one route table at most");
                    }
                }
            }
        }
        if (tables == MAX_TABLES_PER_GATEWAY + 1) {
            v.warning(b, "", "more than " + MAX_TABLES_PER_GATEWAY + " route tables on one transit gateway exceeds the default quota");
        }
    }

    /** A route, association or propagation naming an attachment of another gateway cannot work. */
    private static void checkSameGateway(ResourceBlock b, Validation v, JsonNode tgw, JsonNode ref, String pointer) {
        Optional<ResourceBlock> target = v.target(ref);
        if (target.isEmpty() || tgw == null) return;
        JsonNode p = target.get().properties();
        boolean same = p.path("transitGateway").equals(tgw) || p.path("peerTransitGateway").equals(tgw);
        if (p.has("transitGateway") && !same) {
            v.error(b, pointer, target.get().id() + " is an attachment of " + p.get("transitGateway").asText() + ", not of this table's gateway " + tgw.asText());
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<TransitGatewayRouteTable> tables = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        AwsCalls.run(null, "DescribeTransitGatewayRouteTables", () -> ec2().describeTransitGatewayRouteTablesPaginator(r -> r.filters(Ec2Tags.stackFilter(ctx.stack())))
                .transitGatewayRouteTables().forEach(t -> {
                    if (TgwRouteTableTranslator.GONE_STATES.contains(t.stateAsString())) return;
                    Ec2Tags.ownedId(t.tags(), ctx.stack()).ifPresent(id -> {
                        tables.add(t);
                        ids.put(t.transitGatewayRouteTableId(), id);
                    });
                }));
        List<LiveResource> out = new ArrayList<>();
        for (TransitGatewayRouteTable t : tables) out.add(translate(ids.get(t.transitGatewayRouteTableId()), t));
        return out;
    }

    private LiveResource translate(String id, TransitGatewayRouteTable t) {
        String rtId = t.transitGatewayRouteTableId();
        ObjectNode p = TgwRouteTableTranslator.properties(t.transitGatewayId(), reads.associations(id, rtId), reads.propagations(id, rtId),
                reads.staticRoutes(id, rtId, null));
        p.put("default", Boolean.TRUE.equals(t.defaultAssociationRouteTable()) || Boolean.TRUE.equals(t.defaultPropagationRouteTable()));
        p.set("tags", Ec2Tags.userTags(t.tags()));
        return new LiveResource(id, name(), rtId, p, Map.of());
    }

    private Optional<LiveResource> readOne(TypeContext ctx, String id, String rtId) {
        return reads.describe(id, rtId).filter(t -> !TgwRouteTableTranslator.GONE_STATES.contains(t.stateAsString()))
                .map(t -> translate(id, t));
    }

    // ---------------------------------------------------------------- create, update, delete

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        if (spec.properties().path("default").asBoolean(false)) {
            String rtId = defaults.adopt(ctx, spec);
            return update(ctx, readBack(ctx, id, rtId, () -> readOne(ctx, id, rtId)), spec, Set.of("associations", "propagations", "routes"));
        }
        // No ClientToken on this API: the tags set at creation are what a re-run finds.
        String rtId = mutate(ctx, id, "CreateTransitGatewayRouteTable", () -> ec2().createTransitGatewayRouteTable(r -> r
                .transitGatewayId(spec.text("transitGateway"))
                .tagSpecifications(Ec2Tags.spec(ResourceType.TRANSIT_GATEWAY_ROUTE_TABLE, spec.tags()))))
                .transitGatewayRouteTable().transitGatewayRouteTableId();
        ctx.waiter().until(id, "transit gateway route table " + rtId + " available", CREATE_TIMEOUT, Set.of("available"), TgwRouteTableTranslator.GONE_STATES, () ->
                reads.describe(id, rtId).map(t -> new Waiter.Outcome(t.stateAsString(), null)).orElse(new Waiter.Outcome("not visible yet", null)));
        LiveResource live = readBack(ctx, id, rtId, () -> readOne(ctx, id, rtId));
        return update(ctx, live, spec, Set.of("associations", "propagations", "routes"));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), rtId = live.awsId();
        String tgwId = live.properties().path("transitGateway").asText(spec.text("transitGateway"));
        ObjectNode have = live.properties(), want = spec.properties();
        boolean touched = false;

        Map<String, JsonNode> wantRoutes = TgwRouteTableTranslator.routesByDestination(want.get("routes")), haveRoutes = TgwRouteTableTranslator.routesByDestination(have.get("routes"));
        Set<String> wantAssoc = SubnetClaims.texts(want.get("associations")), haveAssoc = SubnetClaims.texts(have.get("associations"));
        Set<String> wantProp = SubnetClaims.texts(want.get("propagations")), haveProp = SubnetClaims.texts(have.get("propagations"));

        // Removals first: routes, associations, propagations that are no longer wanted.
        if (changed.contains("routes")) touched |= forEachMissing(haveRoutes.keySet(), wantRoutes.keySet(), dest -> verbs.deleteRoute(ctx, id, rtId, dest));
        if (changed.contains("associations")) touched |= forEachMissing(haveAssoc, wantAssoc, att -> {
            synchronized (TgwRouteTableVerbs.lock(att)) {
                verbs.disassociate(ctx, id, rtId, att);
            }
        });
        if (changed.contains("propagations")) touched |= forEachMissing(haveProp, wantProp, att -> verbs.disablePropagation(ctx, id, rtId, att));
        // Then additions.
        if (changed.contains("associations")) touched |= forEachMissing(wantAssoc, haveAssoc, att -> verbs.associate(ctx, id, tgwId, rtId, att));
        if (changed.contains("propagations")) touched |= forEachMissing(wantProp, haveProp, att -> verbs.enablePropagation(ctx, id, rtId, att));
        if (changed.contains("routes")) {
            for (Map.Entry<String, JsonNode> w : wantRoutes.entrySet()) {
                JsonNode h = haveRoutes.get(w.getKey());
                if (h == null) {
                    verbs.createRoute(ctx, id, rtId, w.getKey(), w.getValue());
                    touched = true;
                } else if (!TgwRouteTableTranslator.sameTarget(h, w.getValue())) {
                    verbs.replaceRoute(ctx, id, rtId, w.getKey(), w.getValue());
                    touched = true;
                }
            }
        }
        return updatedAfterTags(ctx, live, spec, changed, touched, () -> readOne(ctx, id, rtId));
    }

    /** Runs {@code verb} on each element of {@code from} that {@code other} lacks, in order; says whether it ran any. */
    private static boolean forEachMissing(Set<String> from, Set<String> other, Consumer<String> verb) {
        boolean any = false;
        for (String x : from) {
            if (other.contains(x)) continue;
            verb.accept(x);
            any = true;
        }
        return any;
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), rtId = live.awsId();
        if (live.properties().path("default").asBoolean(false)) {
            defaults.release(id, rtId);
            return;
        }
        deleteUnlessDeleting(ctx, id, rtId, DELETION, () -> undoLinks(ctx, id, rtId),
                () -> ec2().deleteTransitGatewayRouteTable(r -> r.transitGatewayRouteTableId(rtId)), () -> reads.describe(id, rtId), TransitGatewayRouteTable::stateAsString);
    }

    /** AWS refuses to delete a table that still has associations or propagations: they go first (its static routes go with it). */
    private void undoLinks(TypeContext ctx, String id, String rtId) {
        for (Map.Entry<String, String> a : reads.associations(id, rtId).entrySet()) {
            if ("disassociated".equals(a.getValue())) continue;
            synchronized (TgwRouteTableVerbs.lock(a.getKey())) {
                verbs.disassociate(ctx, id, rtId, a.getKey());
            }
        }
        for (Map.Entry<String, String> p : reads.propagations(id, rtId).entrySet()) {
            if (!"disabled".equals(p.getValue())) verbs.disablePropagation(ctx, id, rtId, p.getKey());
        }
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("ec2:DescribeTransitGatewayAttachments", "ec2:DescribeTransitGatewayRouteTables", "ec2:DescribeTransitGateways", "ec2:GetTransitGatewayRouteTableAssociations", "ec2:GetTransitGatewayRouteTablePropagations", "ec2:SearchTransitGatewayRoutes"),
                java.util.List.of("ec2:AssociateTransitGatewayRouteTable", "ec2:CreateTags", "ec2:CreateTransitGatewayRoute", "ec2:CreateTransitGatewayRouteTable", "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:ReplaceTransitGatewayRoute"),
                java.util.List.of("ec2:AssociateTransitGatewayRouteTable", "ec2:CreateTags", "ec2:CreateTransitGatewayRoute", "ec2:DeleteTags", "ec2:DeleteTransitGatewayRoute", "ec2:DisableTransitGatewayRouteTablePropagation", "ec2:DisassociateTransitGatewayRouteTable", "ec2:EnableTransitGatewayRouteTablePropagation", "ec2:ReplaceTransitGatewayRoute"),
                java.util.List.of("ec2:DeleteTransitGatewayRoute", "ec2:DeleteTransitGatewayRouteTable", "ec2:DisableTransitGatewayRouteTablePropagation", "ec2:DisassociateTransitGatewayRouteTable"),
                java.util.List.of());
    }
}
