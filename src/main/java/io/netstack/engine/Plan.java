package io.netstack.engine;

import io.netstack.spi.LiveResource;
import java.util.List;
import java.util.Map;

/**
 * The contract between {@code plan} and {@code apply} (after Terraform's plans.Plan):
 * every change with its reasons and attribute diffs, in an order that respects dependencies,
 * plus what is needed to refuse a stale plan: the digest of the stack file and variables it
 * came from and a fingerprint of the live state it saw. NOOP changes are kept (rendering skips
 * them) so that apply knows the whole stack.
 */
public record Plan(
        String stack,
        String region,
        String stackDigest,
        String liveFingerprint,
        boolean destroy,
        List<Change> changes,
        Map<String, LiveResource> live) {

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
