package io.netstack.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.stack.Reference;
import java.util.Optional;

/**
 * A resource as the dependency rules see it: desired (from the file) or live (read from AWS),
 * with references in logical form ({@code ${id}}), so one rule works for apply and for destroy.
 */
public record ResourceView(String id, String type, ObjectNode properties) {
    /** The logical id that {@code property} references, if it is a {@code ${id}} reference. */
    public Optional<String> ref(String property) {
        return refOf(properties.get(property));
    }

    public static Optional<String> refOf(JsonNode n) {
        if (n == null || !n.isTextual()) return Optional.empty();
        return Reference.whole(n.asText())
                .filter(r -> r.kind() == Reference.Kind.RESOURCE)
                .map(Reference::target);
    }

    public String text(String property) {
        JsonNode n = properties.get(property);
        return n == null || n.isNull() ? null : n.asText();
    }
}
