package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Shared JSON helpers: one mapper with sorted keys, so canonical text is stable. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Json() {}

    /** Compact text with object keys sorted: equal values give equal text. */
    public static String canonical(JsonNode n) {
        if (n == null) return "null";
        try {
            return MAPPER.writeValueAsString(MAPPER.treeToValue(n, Object.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short display of a value: strings bare, everything else as compact JSON. */
    public static String display(JsonNode n) {
        if (n == null || n.isMissingNode()) return "(none)";
        if (n.isTextual()) return n.asText();
        return canonical(n);
    }
}
