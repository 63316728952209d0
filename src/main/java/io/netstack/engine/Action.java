package io.netstack.engine;

/** What a plan does to one resource. */
public enum Action {
    CREATE, UPDATE, REPLACE, DELETE, NOOP;

    public String lower() {
        return name().toLowerCase();
    }

    public String symbol() {
        return switch (this) {
            case CREATE -> "+";
            case UPDATE -> "~";
            case REPLACE -> "-/+";
            case DELETE -> "-";
            case NOOP -> " ";
        };
    }
}
