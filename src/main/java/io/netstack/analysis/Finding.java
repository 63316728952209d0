package io.netstack.analysis;

import io.netstack.stack.Location;

/** One lint finding: a rule of {@link Rules}, the resource it is about and where it is written. */
public record Finding(Rules.Rule rule, String id, String message, Location location) {
    public String severity() {
        return rule.severity();
    }
}
