package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import java.util.Map;
import java.util.TreeMap;

/**
 * Change detection for write-only values (pre-shared keys, BGP auth keys) without reading them
 * back: a digest salted with stack and id, stored on the object at creation. Comparing digests
 * tells whether the file's secret differs from the one applied; the digest is one-way and
 * salted, so it reveals nothing usable (unlike an unsalted hash of a short PSK).
 */
public final class Secrets {
    private Secrets() {}

    /** The digest of the write-only values in {@code resolved} (secrets in clear), or null if there are none. */
    public static String digest(String stack, String id, ResourceType type, ObjectNode resolved) {
        Map<String, String> values = new TreeMap<>();
        collect(type.schema().properties().values(), resolved, "", values);
        if (values.isEmpty()) return null;
        return Json.sha256("netstack-secrets/" + stack + "/" + id + "/" + values).substring(0, 32);
    }

    private static void collect(Iterable<Property> props, JsonNode node, String path, Map<String, String> out) {
        if (node == null || !node.isObject()) return;
        for (Property p : props) {
            JsonNode v = node.get(p.name());
            if (v == null || v.isNull()) continue;
            String here = path + "/" + p.name();
            if (p.writeOnly()) out.put(here, Json.canonical(v));
            else if (p.kind() == Property.Kind.OBJECT && p.fields() != null) collect(p.fields(), v, here, out);
            else if (p.kind() == Property.Kind.LIST && p.item() != null && p.item().kind() == Property.Kind.OBJECT) {
                for (int i = 0; i < v.size(); i++) collect(p.item().fields(), v.get(i), here + "/" + i, out);
            }
        }
    }

    /** Top-level properties holding write-only values (themselves or inside), for diff paths. */
    public static java.util.List<Property> holders(ResourceType type) {
        return type.schema().properties().values().stream().filter(Secrets::holds).toList();
    }

    static boolean holds(Property p) {
        if (p.writeOnly()) return true;
        if (p.kind() == Property.Kind.OBJECT && p.fields() != null) return p.fields().stream().anyMatch(Secrets::holds);
        if (p.kind() == Property.Kind.LIST && p.item() != null) return holds(p.item());
        return false;
    }
}
