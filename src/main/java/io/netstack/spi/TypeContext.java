package io.netstack.spi;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/** What the engine hands a type for one call: which stack, and the shared wait/retry machinery. */
public interface TypeContext {
    String stack();

    String region();

    Waiter waiter();

    Retry retry();

    /** Ids of the live objects the other types of this stack own (for reads that filter by parent). */
    default Set<String> ownedAwsIds(String type) {
        return Set.of();
    }

    /**
     * AWS ids, among the elements of {@link ResourceType#exclusiveLists} of resource {@code id}, that
     * this apply hands over to another resource of its type: {@code id}'s update does not let go of
     * them (the taker moves them in one step) and does not wait for them to leave.
     */
    default Set<String> handedOver(String id) {
        return Set.of();
    }

    default <T> T retrying(String resource, String action, Set<ErrorCategory> on, Duration timeout, Supplier<T> call) {
        return retry().retrying(resource, action, on, timeout, call);
    }
}
