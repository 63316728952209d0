package io.netstack.api;

import io.netstack.drift.DriftReport;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.Change;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.LockLease;
import io.netstack.engine.Parallelism;
import io.netstack.engine.Plan;
import io.netstack.engine.Planner;
import io.netstack.engine.StackSet;
import io.netstack.provider.AwsSession;
import io.netstack.spi.StackLocks;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.StackFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code plan|apply|destroy|drift} over several stacks ({@link StackSet}): each stack with its own
 * session (account, region, credentials, rate limiter) and lock; stacks that reference each other
 * run in the set's order, independent ones side by side. A stack that fails stops the stacks that
 * reference it (they are "skipped", naming why); the others finish.
 *
 * <p>Apply: the plans shown are made first, in order, each referenced object the command creates
 * showing {@code (known after apply)}. A stack with prerequisites is planned again once they are
 * applied (now with real ids) and refused if that plan holds a change the shown one did not
 * (never doing what was not shown); a stack without prerequisites runs the plan shown. Destroy runs
 * the reverse order: a stack goes once every stack referencing it is gone.
 */
public final class MultiStack {
    private MultiStack() {}

    /** One stack's plan (or why there is none). {@code identity} is null when it could not be found. */
    public record StackPlan(StackFile stack, AwsSession.Identity identity, Plan plan, Throwable error, String skipped) {
        public boolean ok() {
            return plan != null;
        }
    }

    public enum Status { APPLIED, NO_CHANGES, FAILED, SKIPPED, STOPPED }

    /** What a stack's apply/destroy did. */
    public record Outcome(String stack, Status status, ApplyResult result, Throwable error, String reason) {}

    /** Stack name → the registry of its account and region, for {@code ${stack:…}} between them. */
    public static Planner.CommandStacks others(Netstack ns, StackSet set, Set<String> pending) {
        Map<String, TypeRegistry> regs = new LinkedHashMap<>();
        for (String s : set.order()) regs.put(s, ns.provider(set.get(s)));
        return new Planner.CommandStacks(regs, pending);
    }

    /** Plans every stack, in order (destroy: reverse order), continuing past failures with the independent ones. */
    public static List<StackPlan> plan(Netstack ns, StackSet set, boolean destroy) {
        Map<String, StackPlan> out = new LinkedHashMap<>();
        Set<String> pending = new TreeSet<>();
        for (String name : destroy ? set.reverseOrder() : set.order()) {
            StackFile s = set.get(name);
            String blocked = destroy ? null : blockedBy(set.prerequisites(name), out);
            if (blocked != null) {
                out.put(name, new StackPlan(s, null, null, null, "stack " + blocked + " it references could not be planned"));
                continue;
            }
            AwsSession.Identity id = null;
            try {
                id = ns.identity(s);
                Plan p = destroy ? ns.plan(s, true) : ns.plan(s, false, others(ns, set, Set.copyOf(pending)));
                pending.addAll(StackSet.pending(p));
                out.put(name, new StackPlan(s, id, p, null, null));
            } catch (RuntimeException e) {
                out.put(name, new StackPlan(s, id, null, e, null));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static String blockedBy(Set<String> prerequisites, Map<String, StackPlan> done) {
        for (String p : prerequisites) {
            StackPlan d = done.get(p);
            if (d == null || !d.ok()) return p;
        }
        return null;
    }

    /**
     * Applies (or destroys) the shown plans along the set's graph.
     *
     * @param listeners  stack name → its progress listener
     * @param replanned  told of each stack's re-plan before it is applied (prerequisites done)
     */
    public static Map<String, Outcome> apply(Netstack ns, StackSet set, List<StackPlan> shown, boolean destroy, Parallelism parallelism,
                                             Function<String, ExecutionListener> listeners, AtomicBoolean stop, boolean forceUnlock,
                                             Consumer<String> warn, Consumer<StackPlan> replanned) {
        Map<String, StackPlan> byName = new LinkedHashMap<>();
        for (StackPlan p : shown) byName.put(p.stack().name(), p);
        Map<String, CompletableFuture<Outcome>> futures = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, set.size()), r -> {
            Thread t = new Thread(r, "netstack-stack");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String name : destroy ? set.reverseOrder() : set.order()) {
                Set<String> before = destroy ? set.dependents(name) : set.prerequisites(name);
                CompletableFuture<?>[] deps = before.stream().map(futures::get).toArray(CompletableFuture[]::new);
                futures.put(name, CompletableFuture.allOf(deps).thenApplyAsync(x -> {
                    for (String d : before) {
                        Outcome o = futures.get(d).join();
                        if (o.status() != Status.APPLIED && o.status() != Status.NO_CHANGES) {
                            return new Outcome(name, Status.SKIPPED, null, null, "stack " + d + " " + (destroy ? "(which references it) " : "(which it references) ")
                                    + o.status().name().toLowerCase().replace('_', ' '));
                        }
                    }
                    if (stop.get()) return new Outcome(name, Status.STOPPED, null, null, "stopped before it started");
                    return one(ns, set, byName.get(name), !before.isEmpty() && !destroy, destroy, parallelism, listeners.apply(name), stop, forceUnlock, warn, replanned);
                }, pool));
            }
            Map<String, Outcome> out = new LinkedHashMap<>();
            for (Map.Entry<String, CompletableFuture<Outcome>> e : futures.entrySet()) out.put(e.getKey(), e.getValue().join());
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static Outcome one(Netstack ns, StackSet set, StackPlan shown, boolean replan, boolean destroy, Parallelism parallelism,
                               ExecutionListener listener, AtomicBoolean stop, boolean forceUnlock, Consumer<String> warn, Consumer<StackPlan> replanned) {
        String name = shown.stack().name();
        if (!shown.ok()) return new Outcome(name, Status.SKIPPED, null, shown.error(), shown.skipped() != null ? shown.skipped() : "it could not be planned");
        if (!shown.plan().hasChanges()) return new Outcome(name, Status.NO_CHANGES, null, null, null);
        StackFile s = shown.stack();
        try (LockLease lease = ns.lock(s, forceUnlock, warn)) {
            Plan plan = shown.plan();
            if (replan) {
                plan = ns.plan(s, false, others(ns, set, Set.of()));
                String unseen = unseen(shown.plan(), plan);
                if (unseen != null) {
                    return new Outcome(name, Status.FAILED, null, null, "planned again after the stacks it references were applied, its plan holds "
                            + unseen + ", which the plan shown did not; nothing of it was changed: run the command again to see the new plan");
                }
                replanned.accept(new StackPlan(s, shown.identity(), plan, null, null));
                if (!plan.hasChanges()) return new Outcome(name, Status.NO_CHANGES, null, null, null);
            }
            ApplyResult r = ns.apply(s, plan, parallelism, listener, stop);
            return new Outcome(name, r.success() ? Status.APPLIED : r.interrupted() ? Status.STOPPED : Status.FAILED, r, null, null);
        } catch (StackLocks.LockHeld held) {
            return new Outcome(name, Status.FAILED, null, held, "locked by another apply or destroy: " + held.holder().describe()
                    + " (--force-unlock breaks the lock after a crash)");
        } catch (RuntimeException e) {
            return new Outcome(name, Status.FAILED, null, e, null);
        }
    }

    /** The first change of {@code now} that {@code shown} does not hold (same key and action), or null. */
    static String unseen(Plan shown, Plan now) {
        Set<String> seen = new TreeSet<>();
        for (Change c : shown.actionable()) seen.add(c.key() + " " + c.action());
        for (Change c : now.actionable()) {
            if (!seen.contains(c.key() + " " + c.action())) return c.action().lower() + " " + c.id() + " (" + c.type() + ")";
        }
        return null;
    }

    /** Drift of every stack, in order; a stack whose check fails is reported by {@code failed} and the others go on. */
    public static List<DriftReport> drift(Netstack ns, StackSet set, java.util.function.BiConsumer<String, RuntimeException> failed) {
        List<DriftReport> out = new ArrayList<>();
        Planner.CommandStacks others = others(ns, set, Set.of());
        for (String name : set.order()) {
            try {
                ns.identity(set.get(name));
                out.add(ns.drift(set.get(name), others));
            } catch (RuntimeException e) {
                failed.accept(name, e);
            }
        }
        return out;
    }
}
