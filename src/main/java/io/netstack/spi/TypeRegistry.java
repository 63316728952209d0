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
     */
    record ScopeNeeds(java.util.List<String> lookups, java.util.Set<String> destroyReads, java.util.List<String> lock,
                      java.util.Map<String, java.util.Set<String>> companions) {}
}
