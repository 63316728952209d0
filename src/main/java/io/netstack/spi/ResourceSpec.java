package io.netstack.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a type is asked to create or update: the block's properties with every {@code ${id}}
 * resolved to an AWS id, defaults filled, and the full tag set (ownership tags, {@code Name},
 * stack tags, the block's tags).
 *
 * @param clientToken deterministic idempotency token (≤ 64 chars) for APIs that take one
 */
public record ResourceSpec(String id, String type, ObjectNode properties, Map<String, String> tags, String clientToken) {
    public String text(String property) {
        var n = properties.get(property);
        return n == null || n.isNull() ? null : n.asText();
    }

    public boolean bool(String property, boolean dflt) {
        var n = properties.get(property);
        return n == null || n.isNull() ? dflt : n.asBoolean();
    }
}
