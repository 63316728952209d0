package io.netstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Rewrites the strings of a JSON tree in place: variables into their values (the loader), AWS ids
 * into references (import, the live model), secrets' {@code ${env.NAME}} into their values (the
 * planner). One walk, so that every caller reaches object members and list items alike.
 */
public final class JsonTexts {
    private JsonTexts() {}

    /**
     * Replaces every string under {@code node} (at JSON pointer {@code pointer}) for which
     * {@code replacement.apply(itsPointer, text)} is not null; returns {@code node}, or the
     * replacement of {@code node} itself when it is a string.
     */
    public static JsonNode replace(JsonNode node, String pointer, BiFunction<String, String, String> replacement) {
        if (node.isTextual()) {
            String r = replacement.apply(pointer, node.asText());
            return r == null ? node : TextNode.valueOf(r);
        }
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String k : names) o.set(k, replace(o.get(k), pointer + "/" + LocatedJson.escape(k), replacement));
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) a.set(i, replace(a.get(i), pointer + "/" + i, replacement));
        }
        return node;
    }

    /** {@link #replace(JsonNode, String, BiFunction)} where the place of a string does not matter. */
    public static JsonNode replace(JsonNode node, Function<String, String> replacement) {
        return replace(node, "", (pointer, text) -> replacement.apply(text));
    }
}
