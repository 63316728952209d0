package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import io.netstack.stack.Cidr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Puts desired and live properties into one canonical form (docs/DESIGN.md principle 3): defaults
 * filled, CIDRs in AWS's text form, unordered lists sorted, then the type's own canonicalisation.
 * A stack that was just applied must diff to nothing; every perpetual diff is a bug here.
 */
public final class Normalizer {
    private Normalizer() {}

    public static ObjectNode normalize(ResourceType type, ObjectNode props) {
        ObjectNode out = props.deepCopy();
        for (Property p : type.schema().properties().values()) {
            JsonNode v = out.get(p.name());
            if ((v == null || v.isNull()) && p.defaultValue() != null) out.set(p.name(), p.defaultValue().deepCopy());
        }
        ObjectNode typed = type.normalize(out);
        for (Property p : type.schema().properties().values()) {
            JsonNode v = typed.get(p.name());
            if (v != null) typed.set(p.name(), value(p, v));
        }
        return typed;
    }

    static JsonNode value(Property p, JsonNode v) {
        if (v == null || v.isNull()) return v;
        switch (p.kind()) {
            case CIDR -> {
                return v.isTextual() ? TextNode.valueOf(Cidr.canonical(v.asText())) : v;
            }
            case OBJECT -> {
                if (!v.isObject()) return v;
                ObjectNode o = ((ObjectNode) v).deepCopy();
                for (Property f : p.fields()) {
                    JsonNode fv = o.get(f.name());
                    if ((fv == null || fv.isNull()) && f.defaultValue() != null) o.set(f.name(), f.defaultValue().deepCopy());
                    else if (fv != null) o.set(f.name(), value(f, fv));
                }
                return o;
            }
            case LIST -> {
                if (!v.isArray()) return v;
                List<JsonNode> items = new ArrayList<>();
                for (JsonNode i : v) items.add(value(p.item(), i));
                if (!p.ordered()) items.sort(Comparator.comparing(Json::canonical));
                ArrayNode a = Json.MAPPER.createArrayNode();
                items.forEach(a::add);
                return a;
            }
            default -> {
                return v;
            }
        }
    }

    /** Removes properties and fields whose value is JSON null (treated as "not set"). */
    public static void dropNulls(ObjectNode o) {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            if (it.next().getValue().isNull()) it.remove();
        }
    }
}
