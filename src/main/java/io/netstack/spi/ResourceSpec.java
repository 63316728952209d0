package io.netstack.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a type is asked to create or update: the block's properties with every {@code ${id}}
 * resolved to an AWS id, defaults filled, and the full tag set (ownership tags, {@code Name},
 * stack tags, the block's tags).
 *
 * @param clientToken   deterministic idempotency token (≤ 64 chars) for APIs that take one
 * @param secretsDigest for types with write-only properties: a salted digest of their values. The
 *                      type stores it on the object (tag {@link #SECRETS_TAG}) and reports it back as
 *                      the attribute of the same name, so a changed secret plans a change without
 *                      the secret ever being read back or written anywhere in clear. Null otherwise.
 */
public record ResourceSpec(String id, String type, ObjectNode properties, Map<String, String> tags, String clientToken, String secretsDigest) {
    public static final String SECRETS_TAG = "netstack:secrets";

    public String text(String property) {
        var n = properties.get(property);
        return n == null || n.isNull() ? null : n.asText();
    }

    public boolean bool(String property, boolean dflt) {
        var n = properties.get(property);
        return n == null || n.isNull() ? dflt : n.asBoolean();
    }
}
