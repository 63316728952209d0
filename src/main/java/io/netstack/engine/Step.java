package io.netstack.engine;

/** One unit of executor work: a create, update or delete of one resource (a REPLACE is two steps). */
public record Step(Change change, Phase phase) implements Comparable<Step> {
    public enum Phase { DELETE, CREATE, UPDATE }

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
