package io.netstack.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.LiveState;
import io.netstack.engine.Plan;
import io.netstack.engine.PlanJson;
import io.netstack.engine.Planner;
import io.netstack.engine.PropertyDiff;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.spi.Unmanaged;
import io.netstack.stack.StackFile;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drift = the plan computed without acting (docs/DESIGN.md), classified:
 * <ul>
 *   <li>{@code deleted}: an owned resource of the file is gone (the plan would create it);</li>
 *   <li>{@code modified}: a property differs, or an element of a set (a route, a rule) the file
 *       declares is missing;</li>
 *   <li>{@code unmanaged}: an element added by hand to an owned parent's set (a rule, a route, an
 *       association), or an untagged object inside an owned VPC.</li>
 * </ul>
 * Consequences are not reported twice: when a resource is deleted, the references to it from other
 * resources (a route to a deleted NAT gateway) differ only because of it, and are left out.
 */
public final class DriftDetector {
    private final TypeRegistry types;
    private final Clock clock;

    private final io.netstack.engine.Planner.CommandStacks others;

    public DriftDetector(TypeRegistry types, Clock clock) {
        this(types, clock, io.netstack.engine.Planner.CommandStacks.NONE);
    }

    /** {@code others}: the other stacks of a multi-stack drift, whose references resolve in their own account and region. */
    public DriftDetector(TypeRegistry types, Clock clock, io.netstack.engine.Planner.CommandStacks others) {
        this.types = types;
        this.clock = clock;
        this.others = others;
    }

    public DriftReport detect(StackFile stack, LiveState live, TypeContext ctx) {
        Plan plan = new Planner(types, System::getenv, others).plan(stack, live, false);
        Set<String> deleted = plan.changes().stream().filter(c -> c.action() == Action.CREATE).map(Change::id).collect(Collectors.toSet());
        List<DriftItem> items = new ArrayList<>();
        for (Change c : plan.changes()) {
            switch (c.action()) {
                case NOOP -> { }
                case CREATE -> items.add(new DriftItem(c.id(), null, c.type(), DriftItem.DriftClass.DELETED, null, c.desired(), null));
                case DELETE -> items.add(new DriftItem(c.id(), c.awsId(), c.type(), DriftItem.DriftClass.MODIFIED, null, null,
                        TextNode.valueOf(String.join("; ", c.reasons()))));
                case UPDATE, REPLACE -> items.addAll(fromDiffs(c, deleted));
            }
        }
        Set<String> vpcs = live.byId().values().stream().filter(l -> l.type().equals("vpc")).map(LiveResource::awsId).collect(Collectors.toSet());
        if (!vpcs.isEmpty()) {
            for (ResourceType t : types.all()) {
                for (Unmanaged u : t.unmanaged(ctx, vpcs)) {
                    items.add(new DriftItem(null, u.awsId(), u.type(), DriftItem.DriftClass.UNMANAGED, null, null,
                            TextNode.valueOf(u.description() + " (in " + u.parent() + ", no netstack tags)")));
                }
            }
        }
        return new DriftReport(stack.name(), stack.region(), clock.instant(), items);
    }

    private List<DriftItem> fromDiffs(Change c, Set<String> deleted) {
        List<PropertyDiff> diffs = new ArrayList<>();
        for (PropertyDiff d : c.diffs()) {
            // a reference to a replaced resource is a consequence of the replacement, not drift
            if (d.after() != null && d.after().isTextual() && d.after().asText().endsWith(Planner.UNKNOWN)) continue;
            diffs.add(d);
        }
        dropConsequencesOfDeletion(diffs, deleted);
        List<DriftItem> out = new ArrayList<>();
        for (PropertyDiff d : diffs) {
            JsonNode expected = d.sensitive() ? TextNode.valueOf(PlanJson.SENSITIVE) : d.after();
            JsonNode actual = d.sensitive() ? TextNode.valueOf(PlanJson.SENSITIVE) : d.before();
            DriftItem.DriftClass cls = d.element() && d.after() == null ? DriftItem.DriftClass.UNMANAGED : DriftItem.DriftClass.MODIFIED;
            out.add(new DriftItem(c.id(), c.awsId(), c.type(), cls, d.path(), expected, actual));
        }
        return out;
    }

    /**
     * An element that references a deleted resource (route → deleted NAT) differs from its live
     * twin only in that reference: drop the pair, the deletion is already reported. Without a live
     * twin the element itself was removed too (the NAT and its route both deleted by hand): that is
     * drift of its own and stays (issue 11, bug 5).
     */
    static void dropConsequencesOfDeletion(List<PropertyDiff> diffs, Set<String> deleted) {
        List<PropertyDiff> added = diffs.stream().filter(d -> d.element() && d.after() != null).toList();
        Set<PropertyDiff> drop = new HashSet<>();
        for (PropertyDiff a : added) {
            Set<String> refFields = fieldsReferencing(a.after(), deleted);
            if (refFields.isEmpty()) continue;
            if (a.modifiedElement()) {
                // a keyed element (one diff for the live one and the file's) whose file side names the
                // deleted object: what AWS did to it (a TGW route to a deleted attachment turns blackhole)
                drop.add(a);
                continue;
            }
            for (PropertyDiff r : diffs) {
                if (!r.element() || r.after() != null || !r.path().equals(a.path()) || drop.contains(r)) continue;
                if (sameExcept(a.after(), r.before(), refFields)) {
                    drop.add(a);
                    drop.add(r);
                    break;
                }
            }
        }
        diffs.removeIf(drop::contains);
    }

    private static Set<String> fieldsReferencing(JsonNode element, Set<String> deleted) {
        Set<String> out = new HashSet<>();
        if (element.isObject()) {
            element.fields().forEachRemaining(e -> ResourceView.refOf(e.getValue()).filter(deleted::contains).ifPresent(x -> out.add(e.getKey())));
        } else {
            ResourceView.refOf(element).filter(deleted::contains).ifPresent(x -> out.add(""));
        }
        return out;
    }

    private static boolean sameExcept(JsonNode a, JsonNode b, Set<String> except) {
        if (except.contains("")) return true;
        if (!a.isObject() || !b.isObject()) return false;
        ObjectNode x = ((ObjectNode) a).deepCopy(), y = ((ObjectNode) b).deepCopy();
        x.remove(except);
        y.remove(except);
        return x.equals(y);
    }
}
