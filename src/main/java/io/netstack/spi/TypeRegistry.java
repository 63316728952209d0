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

    /**
     * The types a run of the stack must read, by name: {@code declared} (the file's types, always
     * read in full) plus the types the stack is found to own. With {@code destroy}, every type the
     * stack may own. The default reads every type.
     */
    default java.util.Set<String> scope(TypeContext ctx, java.util.Set<String> declared, boolean destroy) {
        java.util.Set<String> all = new java.util.TreeSet<>();
        for (ResourceType t : all()) all.add(t.name());
        return all;
    }

    /**
     * Called after a run of the stack (apply, or destroy with {@code destroy}) in which every step
     * succeeded, with the types the file declares and the types of the objects the stack holds now:
     * the provider may bring what it keeps about the stack's scope up to date (AWS: the global-type
     * marker). Must not fail the run. The default does nothing.
     */
    default void settled(TypeContext ctx, java.util.Set<String> declared, java.util.Set<String> live, boolean destroy) {}

    /**
     * What {@link #scope} needs: IAM actions ({@code plan}: the owned-type look-ups) and the types
     * that {@code destroy} reads whatever the look-ups say.
     */
    default ScopeNeeds scopeNeeds() {
        java.util.Set<String> all = new java.util.TreeSet<>();
        for (ResourceType t : all()) all.add(t.name());
        return new ScopeNeeds(java.util.List.of(), all, java.util.List.of(), java.util.Map.of());
    }

    /**
     * @param lookups      IAM actions of the owned-type look-ups of {@link #scope}
     * @param destroyReads types that destroy always reads in full
     * @param lock         IAM actions of the stack lock ({@link #locks})
     * @param companions   type → the types read with it because a look-up cannot tell their objects
     *                     apart (EC2's DescribeTags says {@code transit-gateway-attachment} for VPC and
     *                     peering attachments alike)
     * @param markedTypes  types whose objects the provider records in a marker when they are created
     *                     ({@link #settled}); apply needs {@code marker} when the file declares one
     * @param marker       IAM actions of writing and removing that marker (apply, destroy)
     */
    record ScopeNeeds(java.util.List<String> lookups, java.util.Set<String> destroyReads, java.util.List<String> lock,
                      java.util.Map<String, java.util.Set<String>> companions, java.util.Set<String> markedTypes, java.util.List<String> marker) {
        public ScopeNeeds(java.util.List<String> lookups, java.util.Set<String> destroyReads, java.util.List<String> lock,
                          java.util.Map<String, java.util.Set<String>> companions) {
            this(lookups, destroyReads, lock, companions, java.util.Set.of(), java.util.List.of());
        }
    }
}
