package io.netstack.engine;

/**
 * One unit of executor work: a create, update or delete of one resource (a REPLACE is two steps).
 * DETACH drops, from a resource's late-bound properties, the references to objects about to be
 * deleted (a security group rule naming a group being replaced or destroyed), because AWS refuses
 * to delete an object that is still referenced.
 */
public record Step(Change change, Phase phase) implements Comparable<Step> {
    public enum Phase { DETACH, DELETE, CREATE, UPDATE }

    public String key() {
        return change.key() + ":" + phase.name().toLowerCase();
    }

    @Override
    public int compareTo(Step o) {
        return key().compareTo(o.key());
    }

    @Override
    public String toString() {
        return key();
    }
}
