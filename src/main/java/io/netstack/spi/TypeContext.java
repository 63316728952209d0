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

    /**
     * The stack file's blocks of {@code type}: logical id → properties as written (references not
     * resolved). For the few types whose objects AWS gives nothing to tag in this account, so that
     * {@code list} cannot find them by ownership tags and looks up what the file names instead
     * ({@code ram-share-acceptance}: an accepted share belongs to its owner). Empty where no file is
     * at hand.
     */
    default java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> declared(String type) {
        return java.util.Map.of();
    }

    /**
     * What this run needs of the objects of {@code type} beyond what {@link ResourceType#list}
     * always reads ({@link ReadNeeds}); {@link ReadNeeds#ALL} where no stack file is at hand.
     */
    default ReadNeeds needs(String type) {
        return ReadNeeds.ALL;
    }

    default <T> T retrying(String resource, String action, Set<ErrorCategory> on, Duration timeout, Supplier<T> call) {
        return retry().retrying(resource, action, on, timeout, call);
    }
}
