package io.netstack.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code resources}: its logical id, its {@code type}, and its other properties
 * (variables already substituted, {@code ${id}} references kept as text).
 * {@code pointer} is the JSON Pointer of the block in the file, for error locations.
 */
public record ResourceBlock(String id, String type, ObjectNode properties, String pointer) {
    public String pointer(String property) {
        return pointer + "/" + LocatedJson.escape(property);
    }
}
