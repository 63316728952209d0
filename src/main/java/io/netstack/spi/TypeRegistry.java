package io.netstack.spi;

import java.util.Collection;
import java.util.Optional;

/** The resource types a provider offers. */
public interface TypeRegistry {
    Optional<ResourceType> find(String name);

    Collection<ResourceType> all();

    /** Finds a resource owned by another stack, for {@code ${stack:other/id}}; empty if there is none. */
    default Optional<LiveResource> findInStack(String stack, String id) {
        return Optional.empty();
    }

    /**
     * The region names this provider can work in, if it knows them: validation rejects any other
     * (an unknown region used to pass, then time out on every call). Empty: no check.
     */
    default Optional<java.util.Set<String>> knownRegions() {
        return Optional.empty();
    }

    /** The stack lock of this provider, if it has one. */
    default Optional<StackLocks> locks() {
        return Optional.empty();
    }

    /** The API's push-back (throttling, client-side rate limiting), for adaptive parallelism. */
    default Pressure pressure() {
        return Pressure.NONE;
    }
}
