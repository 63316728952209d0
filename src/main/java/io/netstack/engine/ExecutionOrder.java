package io.netstack.engine;

import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceView;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The step graph of a plan. Edges (first → then):
 * <ul>
 *   <li>create/update of X after create/update of everything X depends on (desired side);</li>
 *   <li>delete of X before delete of everything X depended on (live side), so destroy is the
 *       reverse of apply and AWS's hidden rules (NAT before IGW detach, EIP after NAT) hold both ways;</li>
 *   <li>an update that drops X's last reference to D before D's delete;</li>
 *   <li>the delete of X after the create/update of every Y that takes over elements of X's exclusive
 *       lists ({@link HandOver}: a subnet moving from route table X to Y);</li>
 *   <li>a replacement's delete before its create, and creates of a type after that type's deletes
 *       (a replacement often reuses the name or CIDR of what it replaces).</li>
 * </ul>
 */
public final class ExecutionOrder {
    private ExecutionOrder() {}

    public static DependencyGraph<Step> graph(List<Change> changes, TypeRegistry types) {
        List<LiveResource> lives = changes.stream().map(Change::live).filter(Objects::nonNull).toList();
        LiveState live = new LiveState(lives);
        Map<String, Step> create = new HashMap<>(), update = new HashMap<>(), delete = new HashMap<>();
        DependencyGraph<Step> g = new DependencyGraph<>();
        List<ResourceView> desiredViews = new ArrayList<>(), liveViews = new ArrayList<>();
        for (Change c : changes) {
            switch (c.action()) {
                case CREATE -> put(g, create, c.id(), new Step(c, Step.Phase.CREATE));
                case UPDATE -> put(g, update, c.id(), new Step(c, Step.Phase.UPDATE));
                case DELETE -> put(g, delete, c.key(), new Step(c, Step.Phase.DELETE));
                case REPLACE -> {
                    Step d = put(g, delete, c.id(), new Step(c, Step.Phase.DELETE));
                    Step cr = put(g, create, c.id(), new Step(c, Step.Phase.CREATE));
                    g.edge(d, cr);
                }
                case NOOP -> { }
            }
            if (c.desired() != null) desiredViews.add(new ResourceView(c.id(), c.type(), c.desired()));
            if (c.live() != null && c.key().equals(c.id())) {
                liveViews.add(new ResourceView(c.id(), c.live().type(), live.logical(c.live())));
            }
        }
        StackView desired = References.view(desiredViews);
        StackView liveView = References.view(liveViews);
        Map<String, Set<String>> desiredDeps = new LinkedHashMap<>();
        for (ResourceView r : desiredViews) desiredDeps.put(r.id(), References.dependencies(r, desired, types));

        for (ResourceView r : desiredViews) {
            List<Step> mine = new ArrayList<>();
            if (create.containsKey(r.id())) mine.add(create.get(r.id()));
            if (update.containsKey(r.id())) mine.add(update.get(r.id()));
            for (Step s : mine) {
                for (String d : desiredDeps.get(r.id())) {
                    if (create.containsKey(d)) g.edge(create.get(d), s);
                    if (update.containsKey(d)) g.edge(update.get(d), s);
                }
            }
        }
        // An update whose late-bound references name resources (re)created here runs after them.
        for (ResourceView r : desiredViews) {
            Step upd = update.get(r.id());
            if (upd == null) continue;
            for (String d : References.lateDependencies(r, desired, types)) {
                if (create.containsKey(d) && !g.hasPath(upd, create.get(d))) g.edge(create.get(d), upd);
            }
        }
        // Late-bound references (security group rules naming groups created in this apply):
        // the create goes without them; a follow-up update adds them once their targets exist.
        for (ResourceView r : desiredViews) {
            Step cr = create.get(r.id());
            if (cr == null) continue;
            Set<String> late = new java.util.TreeSet<>(References.lateDependencies(r, desired, types));
            if (References.lateBoundToItself(r, types)) late.add(r.id());
            late.retainAll(create.keySet());
            if (late.isEmpty()) continue;
            Step lateStep = new Step(cr.change(), Step.Phase.UPDATE);
            g.edge(cr, lateStep);
            for (String d : late) g.edge(create.get(d), lateStep);
        }
        // Late-bound references to objects being deleted are dropped first (DETACH), whatever the
        // order of the deletes: that also resolves groups that reference each other.
        for (ResourceView r : liveViews) {
            List<Step> lateTargets = new ArrayList<>();
            for (String d : References.lateDependencies(r, liveView, types)) {
                if (delete.containsKey(d)) lateTargets.add(delete.get(d));
            }
            if (lateTargets.isEmpty()) continue;
            Change owner = changes.stream().filter(c -> c.key().equals(r.id()) && c.live() != null).findFirst().orElseThrow();
            Step detach = new Step(owner, Step.Phase.DETACH);
            g.add(detach);
            lateTargets.forEach(t -> g.edge(detach, t));
            if (delete.containsKey(r.id())) g.edge(detach, delete.get(r.id()));
            if (update.containsKey(r.id())) g.edge(detach, update.get(r.id()));
        }
        // An object updated in place that refers to an object being replaced lets go of the old one
        // first (DETACH): AWS refuses to delete a VPC while a gateway is attached to it
        // (DependencyViolation), and the update that attaches the gateway to the new VPC can only run
        // once the new VPC exists, i.e. after the old one is deleted. The reference is updatable (a
        // create-only one would have made this object a replacement too).
        for (ResourceView r : liveViews) {
            Step upd = update.get(r.id());
            if (upd == null || upd.change().action() != Action.UPDATE) continue;
            List<Step> replaced = new ArrayList<>();
            for (String d : References.dependencies(r, liveView, types)) {
                if (delete.containsKey(d) && create.containsKey(d) && !d.equals(r.id())) replaced.add(delete.get(d));
            }
            if (replaced.isEmpty()) continue;
            Step detach = new Step(upd.change(), Step.Phase.DETACH);
            g.add(detach);
            replaced.forEach(t -> g.edge(detach, t));
            g.edge(detach, upd);
        }
        for (ResourceView r : liveViews) {
            Set<String> deps = new java.util.TreeSet<>(References.dependencies(r, liveView, types));
            Set<String> keepAlive = References.dependencies(withoutObjectProperties(r, types), liveView, types);
            Step del = delete.get(r.id());
            for (String d : deps) {
                Step depDel = delete.get(d);
                if (depDel == null) continue;
                if (del != null && keepAlive.contains(d)) g.edge(del, depDel);
                Step upd = update.get(r.id());
                boolean stillNeeded = desiredDeps.getOrDefault(r.id(), Set.of()).contains(d);
                if (upd != null && !stillNeeded && !create.containsKey(d)) g.edge(upd, depDel);
            }
        }
        // Duplicates: removed after everything else of theirs is settled, and before what they used.
        for (Change c : changes) {
            if (c.action() == Action.DELETE && !c.key().equals(c.id())) {
                Step dup = delete.get(c.key());
                ResourceView v = new ResourceView(c.id(), c.type(), live.logical(c.live()));
                for (String d : References.dependencies(v, liveView, types)) {
                    if (delete.containsKey(d)) g.edge(dup, delete.get(d));
                }
            }
        }
        // A resource deleted while another takes over elements of its exclusive lists (a route
        // table whose subnets move to another table) lets go only once the taker has them: its
        // delete would otherwise drop them to AWS's default holder first (see HandOver).
        for (HandOver h : HandOver.of(changes, types)) {
            Step del = delete.get(h.from());
            Step taker = create.containsKey(h.to()) ? create.get(h.to()) : update.get(h.to());
            if (del != null && taker != null && !g.hasPath(del, taker)) g.edge(taker, del);
        }
        for (Step cr : create.values()) {
            for (Step del : delete.values()) {
                if (del.change().type().equals(cr.change().type()) && del != cr && !g.hasPath(cr, del)) g.edge(del, cr);
            }
        }
        return g;
    }

    /**
     * {@code r} without its object-valued properties, for delete order: those hold parts that go
     * with the object (a VPC's main route table routes, its default NACL and security group rules,
     * read even when the file does not manage them), so a reference inside one does not keep its
     * target alive. A main table routing to the VPC's own internet gateway (a VPC made in the
     * console, then imported) would otherwise make the VPC's delete wait for the gateway's, which
     * waits for the VPC's: a cycle, and no destroy.
     */
    private static ResourceView withoutObjectProperties(ResourceView r, TypeRegistry types) {
        var type = types.find(r.type());
        if (type.isEmpty()) return r;
        com.fasterxml.jackson.databind.node.ObjectNode p = r.properties().deepCopy();
        for (io.netstack.spi.Property prop : type.get().schema().properties().values()) {
            if (prop.kind() == io.netstack.spi.Property.Kind.OBJECT) p.remove(prop.name());
        }
        return new ResourceView(r.id(), r.type(), p);
    }

    private static Step put(DependencyGraph<Step> g, Map<String, Step> m, String key, Step s) {
        m.put(key, s);
        g.add(s);
        return s;
    }

    /** The plan's changes in execution order (each at its first step), NOOPs at the end. */
    public static List<Change> order(List<Change> changes, LiveState ignored, TypeRegistry types) {
        DependencyGraph<Step> g = graph(changes, types);
        LinkedHashSet<Change> out = new LinkedHashSet<>();
        for (Step s : g.topologicalOrder()) out.add(s.change());
        for (Change c : changes) if (c.action() == Action.NOOP) out.add(c);
        return new ArrayList<>(out);
    }
}
