package io.netstack.spi;

import java.util.Collection;
import java.util.Optional;

/** All resources of one side (desired or live) of a stack, for dependency rules and validation. */
public interface StackView {
    Optional<ResourceView> get(String id);

    Collection<ResourceView> all();

    default java.util.stream.Stream<ResourceView> ofType(String type) {
        return all().stream().filter(r -> r.type().equals(type));
    }
}
