package io.netstack.engine;

import io.netstack.spi.LiveResource;
import io.netstack.stack.Origin;
import java.util.List;
import java.util.Map;

/**
 * The contract between {@code plan} and {@code apply} (after Terraform's plans.Plan):
 * every change with its reasons and attribute diffs, in an order that respects dependencies,
 * plus what is needed to refuse a stale plan: the digest of the stack file and variables it
 * came from and a fingerprint of the live state it saw. NOOP changes are kept (rendering skips
 * them) so that apply knows the whole stack. {@code origins}: for resources a template expanded,
 * the module instance and forEach key they came from (docs/stack-format.md, "Modules"), shown with
 * each change.
 */
public record Plan(
        String stack,
        String region,
        String stackDigest,
        String liveFingerprint,
        boolean destroy,
        List<Change> changes,
        Map<String, LiveResource> live,
        Map<String, Origin> origins) {

    /** A plan of a file without templates (no origins). */
    public Plan(String stack, String region, String stackDigest, String liveFingerprint, boolean destroy,
                List<Change> changes, Map<String, LiveResource> live) {
        this(stack, region, stackDigest, liveFingerprint, destroy, changes, live, Map.of());
    }

    /** Where the resource of this change came from, or null (a plain resource, or one no longer in the file). */
    public Origin origin(String id) {
        return origins.get(id);
    }

    public List<Change> actionable() {
        return changes.stream().filter(c -> c.action() != Action.NOOP).toList();
    }

    public boolean hasChanges() {
        return !actionable().isEmpty();
    }

    public long count(Action a) {
        return changes.stream().filter(c -> c.action() == a).count();
    }
}
