package io.netstack.provider.ec2.transitgatewayroutetable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.Ec2Tags;
import io.netstack.provider.Ec2Type;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRoute;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTable;

/**
 * {@code transit-gateway-route-table}: a route table of a transit gateway with its children
 * inline (DESIGN.md principle 4) — {@code associations} (the attachments whose traffic the table
 * routes), {@code propagations} (the attachments whose routes it learns) and static
 * {@code routes} (to an attachment, or {@code blackhole: true}) — all compared as sets and
 * changed in place, so an association, propagation or route added by hand shows up as drift.
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
 * non-mutating bucket (aws-facts.md). SearchTransitGatewayRoutes returns at most 1,000 routes and
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
    /** transitGatewayRouteTableDeletedTimeout: 10 m. */
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Associations: Terraform raised its create timeout to 5 m (delete 10 m) after timeouts;
     * associations have been seen to take up to ~10 min (aws-facts.md), so 10 m both ways.
     */
    static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(10);
    /** transitGatewayRouteTablePropagationCreated/DeletedTimeout: 5 m. */
    static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);
    /** transitGatewayRouteCreated/DeletedTimeout: 2 m. */
    static final Duration ROUTE_TIMEOUT = Duration.ofMinutes(2);
    /** SearchTransitGatewayRoutes returns at most 1,000 routes (its default and maximum MaxResults), no NextToken. */
    static final int MAX_ROUTES_READ = 1000;
    /** Amazon VPC quotas: 20 route tables per transit gateway (adjustable): a warning. */
    static final int MAX_TABLES_PER_GATEWAY = 20;

    static final List<String> ATTACHMENT_TYPES = List.of("transit-gateway-attachment", "transit-gateway-peering");
    static final Set<String> GONE_STATES = Set.of("deleting", "deleted");
    /** AWS's answer when the attachment is associated elsewhere (some accounts see AlreadyExists). */
    static final Set<String> ALREADY_ASSOCIATED = Set.of("Resource.AlreadyAssociated", "Resource.AlreadyExists");

    /** One lock per attachment: its association moves are check-then-act and must not interleave. */
    private static final Map<String, Object> ATTACHMENT_LOCKS = new ConcurrentHashMap<>();

    private static final Schema SCHEMA = new Schema(true, List.of(),
            Property.ref("transitGateway", List.of("transit-gateway"), List.of("tgw-")).required().createOnly(),
            Property.list("associations", Property.ref("attachment", ATTACHMENT_TYPES, List.of("tgw-attach-"))).defaultEmptyList()
                    .describe("attachments whose traffic this table routes; an attachment is associated with one table at most"),
            Property.list("propagations", Property.ref("attachment", List.of("transit-gateway-attachment"), List.of("tgw-attach-"))).defaultEmptyList()
                    .describe("attachments whose routes this table learns"),
            Property.list("routes", Property.object("route",
                    Property.cidr("destination").required(),
                    Property.ref("attachment", ATTACHMENT_TYPES, List.of("tgw-attach-")),
                    Property.bool("blackhole").describe("drop traffic to the destination"))).defaultEmptyList()
                    .describe("static routes: {destination, attachment} or {destination, blackhole: true}"));

    public TransitGatewayRouteTableType(AwsSession aws) {
        super(aws);
    }

    @Override
    public String name() {
        return "transit-gateway-route-table";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    /** {@code "blackhole": false} and {@code null} fields say nothing: dropped, so all spellings compare equal. */
    @Override
    public ObjectNode normalize(ObjectNode p) {
        JsonNode routes = p.get("routes");
        if (routes != null && routes.isArray()) {
            for (JsonNode r : routes) {
                if (!r.isObject()) continue;
                ObjectNode o = (ObjectNode) r;
                if (o.has("blackhole") && (o.get("blackhole").isNull() || o.get("blackhole").isBoolean() && !o.get("blackhole").asBoolean())) o.remove("blackhole");
                if (o.has("attachment") && o.get("attachment").isNull()) o.remove("attachment");
            }
        }
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
                    if (GONE_STATES.contains(t.stateAsString())) return;
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
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("transitGateway", t.transitGatewayId());
        ArrayNode assoc = p.putArray("associations");
        associations(id, rtId).forEach((att, state) -> {
            if (!"disassociating".equals(state) && !"disassociated".equals(state)) assoc.add(att);
        });
        ArrayNode props = p.putArray("propagations");
        propagations(id, rtId).forEach((att, state) -> {
            if (!"disabling".equals(state) && !"disabled".equals(state)) props.add(att);
        });
        ArrayNode routes = p.putArray("routes");
        for (TransitGatewayRoute r : staticRoutes(id, rtId, null)) {
            if (r.destinationCidrBlock() == null || GONE_STATES.contains(r.stateAsString())) continue; // prefix-list routes are not managed
            ObjectNode o = routes.addObject();
            o.put("destination", r.destinationCidrBlock());
            String att = routeAttachment(r);
            if (att != null) o.put("attachment", att);
            else if ("blackhole".equals(r.stateAsString())) o.put("blackhole", true);
        }
        p.set("tags", Ec2Tags.userTags(t.tags()));
        return new LiveResource(id, name(), rtId, p, Map.of());
    }

    private static String routeAttachment(TransitGatewayRoute r) {
        return r.hasTransitGatewayAttachments() && !r.transitGatewayAttachments().isEmpty()
                ? r.transitGatewayAttachments().get(0).transitGatewayAttachmentId() : null;
    }

    private Optional<TransitGatewayRouteTable> describe(String id, String rtId) {
        return find(id, "DescribeTransitGatewayRouteTables", () -> ec2().describeTransitGatewayRouteTables(r -> r.transitGatewayRouteTableIds(rtId))
                .transitGatewayRouteTables()).filter(l -> !l.isEmpty()).map(l -> l.get(0));
    }

    /** Attachment id → association state, for one table (empty if the table is gone). */
    private Map<String, String> associations(String id, String rtId) {
        Map<String, String> out = new TreeMap<>();
        try {
            AwsCalls.run(id, "GetTransitGatewayRouteTableAssociations", () -> ec2().getTransitGatewayRouteTableAssociationsPaginator(r -> r.transitGatewayRouteTableId(rtId))
                    .associations().forEach(a -> out.put(a.transitGatewayAttachmentId(), a.stateAsString())));
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
        return out;
    }

    /** Attachment id → propagation state, for one table (empty if the table is gone). */
    private Map<String, String> propagations(String id, String rtId) {
        Map<String, String> out = new TreeMap<>();
        try {
            AwsCalls.run(id, "GetTransitGatewayRouteTablePropagations", () -> ec2().getTransitGatewayRouteTablePropagationsPaginator(r -> r.transitGatewayRouteTableId(rtId))
                    .transitGatewayRouteTablePropagations().forEach(a -> out.put(a.transitGatewayAttachmentId(), a.stateAsString())));
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
        return out;
    }

    /** The table's static routes, or the one for {@code destination} when given. */
    private List<TransitGatewayRoute> staticRoutes(String id, String rtId, String destination) {
        try {
            var resp = AwsCalls.call(id, "SearchTransitGatewayRoutes", () -> ec2().searchTransitGatewayRoutes(r -> {
                // No MaxResults: AWS's default is the maximum, 1,000 (and moto fails on any value: it slices a dict).
                r.transitGatewayRouteTableId(rtId);
                if (destination == null) r.filters(Ec2Tags.filter("type", "static"));
                else r.filters(Ec2Tags.filter("type", "static"), Ec2Tags.filter("route-search.exact-match", destination));
            }));
            if (Boolean.TRUE.equals(resp.additionalRoutesAvailable())) {
                throw new AwsFailure(ErrorCategory.UNSUPPORTED, id, "SearchTransitGatewayRoutes",
                        "route table " + rtId + " has more than " + MAX_ROUTES_READ + " static routes, more than one read returns; netstack cannot compare it");
            }
            return resp.routes();
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            return List.of();
        }
    }

    private LiveResource readOne(TypeContext ctx, String id, String rtId) {
        return readBack(ctx, id, rtId, () -> describe(id, rtId).filter(t -> !GONE_STATES.contains(t.stateAsString()))
                .map(t -> List.of(translate(id, t))).orElse(List.of()));
    }

    // ---------------------------------------------------------------- create, update, delete

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        // No ClientToken on this API: the tags set at creation are what a re-run finds.
        String rtId = mutate(ctx, id, "CreateTransitGatewayRouteTable", () -> ec2().createTransitGatewayRouteTable(r -> r
                .transitGatewayId(spec.text("transitGateway"))
                .tagSpecifications(Ec2Tags.spec(ResourceType.TRANSIT_GATEWAY_ROUTE_TABLE, spec.tags()))))
                .transitGatewayRouteTable().transitGatewayRouteTableId();
        ctx.waiter().until(id, "transit gateway route table " + rtId + " available", CREATE_TIMEOUT, Set.of("available"), GONE_STATES, () ->
                describe(id, rtId).map(t -> new Waiter.Outcome(t.stateAsString(), null)).orElse(new Waiter.Outcome("not visible yet", null)));
        LiveResource live = readOne(ctx, id, rtId);
        return update(ctx, live, spec, Set.of("associations", "propagations", "routes"));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), rtId = live.awsId();
        String tgwId = live.properties().path("transitGateway").asText(spec.text("transitGateway"));
        ObjectNode have = live.properties(), want = spec.properties();
        boolean touched = false;

        Map<String, JsonNode> wantRoutes = routesByDestination(want.get("routes")), haveRoutes = routesByDestination(have.get("routes"));
        Set<String> wantAssoc = texts(want.get("associations")), haveAssoc = texts(have.get("associations"));
        Set<String> wantProp = texts(want.get("propagations")), haveProp = texts(have.get("propagations"));

        // Removals first: routes, associations, propagations that are no longer wanted.
        if (changed.contains("routes")) {
            for (Map.Entry<String, JsonNode> h : haveRoutes.entrySet()) {
                if (!wantRoutes.containsKey(h.getKey())) {
                    deleteRoute(ctx, id, rtId, h.getKey());
                    touched = true;
                }
            }
        }
        if (changed.contains("associations")) {
            for (String att : haveAssoc) {
                if (wantAssoc.contains(att)) continue;
                synchronized (lock(att)) {
                    disassociate(ctx, id, rtId, att);
                }
                touched = true;
            }
        }
        if (changed.contains("propagations")) {
            for (String att : haveProp) {
                if (!wantProp.contains(att)) {
                    disablePropagation(ctx, id, rtId, att);
                    touched = true;
                }
            }
        }
        // Then additions.
        if (changed.contains("associations")) {
            for (String att : wantAssoc) {
                if (!haveAssoc.contains(att)) {
                    associate(ctx, id, tgwId, rtId, att);
                    touched = true;
                }
            }
        }
        if (changed.contains("propagations")) {
            for (String att : wantProp) {
                if (!haveProp.contains(att)) {
                    enablePropagation(ctx, id, rtId, att);
                    touched = true;
                }
            }
        }
        if (changed.contains("routes")) {
            for (Map.Entry<String, JsonNode> w : wantRoutes.entrySet()) {
                JsonNode h = haveRoutes.get(w.getKey());
                if (h == null) {
                    createRoute(ctx, id, rtId, w.getKey(), w.getValue());
                    touched = true;
                } else if (!sameTarget(h, w.getValue())) {
                    replaceRoute(ctx, id, rtId, w.getKey(), w.getValue());
                    touched = true;
                }
            }
        }
        if (changed.contains("tags")) {
            Ec2Tags.update(ec2(), id, rtId, have.get("tags"), want.get("tags"));
            touched = true;
        }
        return touched ? readOne(ctx, id, rtId) : live;
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), rtId = live.awsId();
        Optional<TransitGatewayRouteTable> now = describe(id, rtId);
        // Asking first also spares moto's HTTP 500 on deleting an unknown table.
        if (now.isEmpty() || "deleted".equals(now.get().stateAsString())) return;
        if (!"deleting".equals(now.get().stateAsString())) {
            // AWS refuses to delete a table that still has associations or propagations: undo them
            // first (its static routes go with it).
            for (Map.Entry<String, String> a : associations(id, rtId).entrySet()) {
                if ("disassociated".equals(a.getValue())) continue;
                synchronized (lock(a.getKey())) {
                    disassociate(ctx, id, rtId, a.getKey());
                }
            }
            for (Map.Entry<String, String> p : propagations(id, rtId).entrySet()) {
                if (!"disabled".equals(p.getValue())) disablePropagation(ctx, id, rtId, p.getKey());
            }
            try {
                ctx.retrying(id, "DeleteTransitGatewayRouteTable", Set.of(ErrorCategory.DEPENDENCY_VIOLATION), DELETE_TIMEOUT, () ->
                        busyIsRetryable(() -> AwsCalls.call(id, "DeleteTransitGatewayRouteTable", () ->
                                ec2().deleteTransitGatewayRouteTable(r -> r.transitGatewayRouteTableId(rtId)))));
            } catch (AwsFailure f) {
                if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            }
        }
        // AWS (and moto) keep a deleted table visible in state 'deleted' for a while.
        ctx.waiter().until(id, "transit gateway route table " + rtId + " deleted", DELETE_TIMEOUT, Set.of(Waiter.GONE), Set.of(), () ->
                describe(id, rtId).filter(t -> !"deleted".equals(t.stateAsString()))
                        .map(t -> new Waiter.Outcome(t.stateAsString(), null))
                        .orElse(new Waiter.Outcome(Waiter.GONE, null)));
    }

    // ---------------------------------------------------------------- associations

    private static Object lock(String attachmentId) {
        return ATTACHMENT_LOCKS.computeIfAbsent(attachmentId, k -> new Object());
    }

    private String associationState(String id, String rtId, String att) {
        try {
            var l = AwsCalls.call(id, "GetTransitGatewayRouteTableAssociations", () -> ec2().getTransitGatewayRouteTableAssociations(r -> r
                    .transitGatewayRouteTableId(rtId).filters(Ec2Tags.filter("transit-gateway-attachment-id", att))).associations());
            return l.stream().filter(a -> att.equals(a.transitGatewayAttachmentId())).map(a -> a.stateAsString()).findFirst().orElse(null);
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return null;
            throw f;
        }
    }

    private void waitAssociation(TypeContext ctx, String id, String rtId, String att, String target) {
        boolean gone = target == null;
        ctx.waiter().until(id, "attachment " + att + (gone ? " disassociated from " : " associated with ") + rtId, ASSOCIATION_TIMEOUT,
                Set.of(gone ? Waiter.GONE : target), gone ? Set.of() : Set.of("disassociating", "disassociated"), () -> {
                    String s = associationState(id, rtId, att);
                    if (gone) return new Waiter.Outcome(s == null || "disassociated".equals(s) ? Waiter.GONE : s, null);
                    return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
                });
    }

    /** Caller holds the attachment's lock. */
    private void disassociate(TypeContext ctx, String id, String rtId, String att) {
        String state = associationState(id, rtId, att);
        if (state == null || "disassociated".equals(state)) return;
        // Terraform's rule too: disassociation only from the associated state.
        if ("associating".equals(state)) waitAssociation(ctx, id, rtId, att, "associated");
        if (!"disassociating".equals(state)) {
            try {
                AwsCalls.run(id, "DisassociateTransitGatewayRouteTable", () -> ec2().disassociateTransitGatewayRouteTable(r -> r
                        .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
            } catch (AwsFailure f) {
                if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            }
        }
        waitAssociation(ctx, id, rtId, att, null);
    }

    private void associate(TypeContext ctx, String id, String tgwId, String rtId, String att) {
        synchronized (lock(att)) {
            // 1. Another table of this stack on the same gateway still holds it: that is a move.
            for (String other : ownedTablesOf(ctx, id, tgwId)) {
                if (!other.equals(rtId)) disassociate(ctx, id, other, att);
            }
            // 2. Associate; NotFound is retried (the attachment may be minutes old).
            try {
                associateCall(ctx, id, rtId, att);
            } catch (AwsFailure f) {
                if (f.code() == null || !ALREADY_ASSOCIATED.contains(f.code())) throw f;
                String current = currentAssociation(id, att).orElse(null);
                if (current != null && !current.equals(rtId)) {
                    if (!current.equals(defaultAssociationTable(id, tgwId)) && !ownedTablesOf(ctx, id, tgwId).contains(current)) {
                        throw new AwsFailure(ErrorCategory.CONFLICT, id, "AssociateTransitGatewayRouteTable", f.code(), f.requestId(),
                                "attachment " + att + " is associated with route table " + current + ", which this stack does not manage;"
                                        + " disassociate it there (or list it in that table's stack) first", f);
                    }
                    disassociate(ctx, id, current, att);
                }
                if (!rtId.equals(current)) associateCall(ctx, id, rtId, att);
            }
            waitAssociation(ctx, id, rtId, att, "associated");
        }
    }

    private void associateCall(TypeContext ctx, String id, String rtId, String att) {
        mutateRun(ctx, id, "AssociateTransitGatewayRouteTable", () -> ec2().associateTransitGatewayRouteTable(r -> r
                .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
    }

    /** Route tables of this stack on {@code tgwId} (one Describe; only used when an association is added). */
    private Set<String> ownedTablesOf(TypeContext ctx, String id, String tgwId) {
        Set<String> out = new LinkedHashSet<>();
        AwsCalls.run(id, "DescribeTransitGatewayRouteTables", () -> ec2().describeTransitGatewayRouteTablesPaginator(r -> r.filters(
                        Ec2Tags.stackFilter(ctx.stack()), Ec2Tags.filter("transit-gateway-id", tgwId)))
                .transitGatewayRouteTables().forEach(t -> {
                    if (!GONE_STATES.contains(t.stateAsString()) && tgwId.equals(t.transitGatewayId())
                            && Ec2Tags.ownedId(t.tags(), ctx.stack()).isPresent()) {
                        out.add(t.transitGatewayRouteTableId());
                    }
                }));
        return out;
    }

    /** The table AWS says the attachment is associated with (DescribeTransitGatewayAttachments). */
    private Optional<String> currentAssociation(String id, String att) {
        return find(id, "DescribeTransitGatewayAttachments", () -> ec2().describeTransitGatewayAttachments(r -> r.transitGatewayAttachmentIds(att))
                .transitGatewayAttachments()).orElse(List.of()).stream()
                .filter(a -> a.association() != null && !"disassociated".equals(a.association().stateAsString()))
                .map(a -> a.association().transitGatewayRouteTableId()).findFirst();
    }

    private String defaultAssociationTable(String id, String tgwId) {
        return find(id, "DescribeTransitGateways", () -> ec2().describeTransitGateways(r -> r.transitGatewayIds(tgwId)).transitGateways())
                .orElse(List.of()).stream().filter(t -> t.options() != null).map(t -> t.options().associationDefaultRouteTableId())
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- propagations

    private String propagationState(String id, String rtId, String att) {
        try {
            var l = AwsCalls.call(id, "GetTransitGatewayRouteTablePropagations", () -> ec2().getTransitGatewayRouteTablePropagations(r -> r
                    .transitGatewayRouteTableId(rtId).filters(Ec2Tags.filter("transit-gateway-attachment-id", att))).transitGatewayRouteTablePropagations());
            return l.stream().filter(a -> att.equals(a.transitGatewayAttachmentId())).map(a -> a.stateAsString()).findFirst().orElse(null);
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return null;
            throw f;
        }
    }

    private void waitPropagation(TypeContext ctx, String id, String rtId, String att, boolean enabled) {
        ctx.waiter().until(id, "propagation of " + att + (enabled ? " to " : " from ") + rtId + (enabled ? " enabled" : " disabled"), PROPAGATION_TIMEOUT,
                Set.of(enabled ? "enabled" : Waiter.GONE), enabled ? Set.of("disabling", "disabled") : Set.of(), () -> {
                    String s = propagationState(id, rtId, att);
                    if (!enabled) return new Waiter.Outcome(s == null || "disabled".equals(s) ? Waiter.GONE : s, null);
                    return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
                });
    }

    private void enablePropagation(TypeContext ctx, String id, String rtId, String att) {
        String state = propagationState(id, rtId, att);
        if (state == null || "disabled".equals(state)) {
            mutateRun(ctx, id, "EnableTransitGatewayRouteTablePropagation", () -> ec2().enableTransitGatewayRouteTablePropagation(r -> r
                    .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
        } else if ("disabling".equals(state)) {
            waitPropagation(ctx, id, rtId, att, false);
            enablePropagation(ctx, id, rtId, att);
            return;
        }
        waitPropagation(ctx, id, rtId, att, true);
    }

    private void disablePropagation(TypeContext ctx, String id, String rtId, String att) {
        String state = propagationState(id, rtId, att);
        if (state == null || "disabled".equals(state)) return;
        if ("enabling".equals(state)) waitPropagation(ctx, id, rtId, att, true);
        if (!"disabling".equals(state)) {
            try {
                AwsCalls.run(id, "DisableTransitGatewayRouteTablePropagation", () -> ec2().disableTransitGatewayRouteTablePropagation(r -> r
                        .transitGatewayRouteTableId(rtId).transitGatewayAttachmentId(att)));
            } catch (AwsFailure f) {
                if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            }
        }
        waitPropagation(ctx, id, rtId, att, false);
    }

    // ---------------------------------------------------------------- routes

    private static Map<String, JsonNode> routesByDestination(JsonNode routes) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (routes != null && routes.isArray()) {
            for (JsonNode r : routes) out.put(Cidr.canonical(r.path("destination").asText()), r);
        }
        return out;
    }

    private static boolean sameTarget(JsonNode a, JsonNode b) {
        return a.path("blackhole").asBoolean(false) == b.path("blackhole").asBoolean(false)
                && a.path("attachment").asText("").equals(b.path("attachment").asText(""));
    }

    private String routeState(String id, String rtId, String destination) {
        return staticRoutes(id, rtId, destination).stream()
                .filter(r -> r.destinationCidrBlock() != null && Cidr.canonical(r.destinationCidrBlock()).equals(destination))
                .map(TransitGatewayRoute::stateAsString).findFirst().orElse(null);
    }

    private void waitRoute(TypeContext ctx, String id, String rtId, String destination, boolean present) {
        ctx.waiter().until(id, "route " + destination + " in " + rtId + (present ? " active" : " deleted"), ROUTE_TIMEOUT,
                present ? Set.of("active", "blackhole") : Set.of(Waiter.GONE), present ? Set.of("deleted", "deleting") : Set.of(), () -> {
                    String s = routeState(id, rtId, destination);
                    if (!present) return new Waiter.Outcome(s == null || "deleted".equals(s) ? Waiter.GONE : s, null);
                    return new Waiter.Outcome(s == null ? "not visible yet" : s, null);
                });
    }

    private void createRoute(TypeContext ctx, String id, String rtId, String destination, JsonNode route) {
        mutateRun(ctx, id, "CreateTransitGatewayRoute", () -> ec2().createTransitGatewayRoute(r -> {
            r.transitGatewayRouteTableId(rtId).destinationCidrBlock(destination);
            if (route.path("blackhole").asBoolean(false)) r.blackhole(true);
            else r.transitGatewayAttachmentId(route.path("attachment").asText());
        }));
        waitRoute(ctx, id, rtId, destination, true);
    }

    private void deleteRoute(TypeContext ctx, String id, String rtId, String destination) {
        if (routeState(id, rtId, destination) == null) return;
        try {
            AwsCalls.run(id, "DeleteTransitGatewayRoute", () -> ec2().deleteTransitGatewayRoute(r -> r
                    .transitGatewayRouteTableId(rtId).destinationCidrBlock(destination)));
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
        waitRoute(ctx, id, rtId, destination, false);
    }

    private void replaceRoute(TypeContext ctx, String id, String rtId, String destination, JsonNode route) {
        try {
            AwsCalls.run(id, "ReplaceTransitGatewayRoute", () -> ec2().replaceTransitGatewayRoute(r -> {
                r.transitGatewayRouteTableId(rtId).destinationCidrBlock(destination);
                if (route.path("blackhole").asBoolean(false)) r.blackhole(true);
                else r.transitGatewayAttachmentId(route.path("attachment").asText());
            }));
        } catch (AwsFailure f) {
            if (!notImplemented(f)) throw f;
            deleteRoute(ctx, id, rtId, destination);
            createRoute(ctx, id, rtId, destination, route);
            return;
        }
        waitRoute(ctx, id, rtId, destination, true);
    }

    /**
     * The backend lacks the action: UNSUPPORTED, or a 5xx that carries no AWS error code at all
     * (moto's HTML "500 Internal Server Error" page for unimplemented actions). AWS's own 5xx
     * responses carry a code (InternalError, Unavailable) and are not taken for this.
     */
    static boolean notImplemented(AwsFailure f) {
        if (f.category() == ErrorCategory.UNSUPPORTED) return true;
        return (f.code() == null || f.code().isBlank()) && f.getCause() instanceof AwsServiceException se && se.statusCode() >= 500;
    }

    static Set<String> texts(JsonNode n) {
        Set<String> out = new LinkedHashSet<>();
        if (n != null && n.isArray()) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** IncorrectState means "busy" (associations still going): retried like a DependencyViolation. */
    static <T> T busyIsRetryable(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsFailure f) {
            if ("IncorrectState".equals(f.code())) {
                throw new AwsFailure(ErrorCategory.DEPENDENCY_VIOLATION, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f);
            }
            throw f;
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
