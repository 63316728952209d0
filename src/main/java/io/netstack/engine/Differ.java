package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Generic diff of two canonical property sets by the type's schema. A property absent from the
 * desired side with no default is not managed and never compared; write-only properties are
 * never read back and so never compared here.
 */
public final class Differ {
    private Differ() {}

    public static List<PropertyDiff> diff(ResourceType type, ObjectNode desired, ObjectNode live, List<String> ignore) {
        List<PropertyDiff> out = new ArrayList<>();
        for (Property p : type.schema().properties().values()) {
            if (p.writeOnly()) continue;
            JsonNode d = desired.get(p.name());
            if (d == null || d.isNull()) continue;
            compare(p, p.name(), withoutWriteOnly(p, d), live.get(p.name()), p.createOnly(), out);
        }
        out.removeIf(x -> ignored(x.path(), ignore));
        return out;
    }

    /** Write-only fields are never read back, so they take no part in comparisons (nor in diffs shown). */
    static JsonNode withoutWriteOnly(Property p, JsonNode v) {
        if (v == null) return null;
        if (p.kind() == Property.Kind.OBJECT && v.isObject() && p.fields() != null) {
            ObjectNode o = ((ObjectNode) v).deepCopy();
            for (Property f : p.fields()) {
                if (f.writeOnly()) o.remove(f.name());
                else if (o.has(f.name())) o.set(f.name(), withoutWriteOnly(f, o.get(f.name())));
            }
            return o;
        }
        if (p.kind() == Property.Kind.LIST && v.isArray() && p.item() != null) {
            var a = Json.MAPPER.createArrayNode();
            for (JsonNode e : v) a.add(withoutWriteOnly(p.item(), e));
            return a;
        }
        return v;
    }

    static boolean ignored(String path, List<String> ignore) {
        for (String i : ignore) if (path.equals(i) || path.startsWith(i + ".")) return true;
        return false;
    }

    /** The identity of a list element by the list's key field (null: the list has none, or the element lacks it). */
    static String elementKey(Property list, JsonNode element) {
        if (list.key() == null || element == null || !element.isObject()) return null;
        JsonNode k = element.get(list.key());
        return k == null || k.isNull() ? null : Json.canonical(k);
    }

    private static void compare(Property p, String path, JsonNode d, JsonNode l, boolean replace, List<PropertyDiff> out) {
        if (l != null && l.isNull()) l = null;
        if (l != null && Json.canonical(d).equals(Json.canonical(l))) return;
        switch (p.kind()) {
            case MAP -> {
                if (d.isObject() && (l == null || l.isObject())) {
                    TreeSet<String> keys = new TreeSet<>();
                    d.fieldNames().forEachRemaining(keys::add);
                    if (l != null) l.fieldNames().forEachRemaining(keys::add);
                    for (String k : keys) {
                        JsonNode dv = d.get(k), lv = l == null ? null : l.get(k);
                        if (dv != null && lv != null && dv.equals(lv)) continue;
                        out.add(new PropertyDiff(path + "." + k, lv, dv, replace, p.writeOnly(), false));
                    }
                    return;
                }
            }
            case OBJECT -> {
                if (d.isObject() && l != null && l.isObject()) {
                    for (Property f : p.fields()) {
                        JsonNode dv = d.get(f.name());
                        if (dv == null || dv.isNull() || f.writeOnly()) continue;
                        compare(f, path + "." + f.name(), dv, l.get(f.name()), replace || f.createOnly(), out);
                    }
                    return;
                }
            }
            case LIST -> {
                if (!p.ordered() && d.isArray() && (l == null || l.isArray())) {
                    Map<String, JsonNode> want = new LinkedHashMap<>(), have = new LinkedHashMap<>();
                    d.forEach(x -> want.put(Json.canonical(x), x));
                    if (l != null) l.forEach(x -> have.put(Json.canonical(x), x));
                    // Keyed elements: the live element with the same identity as a wanted one is its
                    // earlier version, so the pair is one modification (before and after both set).
                    Map<String, JsonNode> removedByKey = new LinkedHashMap<>();
                    have.forEach((k, v) -> {
                        if (want.containsKey(k)) return;
                        String key = elementKey(p, v);
                        if (key != null && !removedByKey.containsKey(key)) removedByKey.put(key, v);
                        else out.add(new PropertyDiff(path, v, null, replace, false, true));
                    });
                    List<PropertyDiff> added = new ArrayList<>();
                    want.forEach((k, v) -> {
                        if (have.containsKey(k)) return;
                        String key = elementKey(p, v);
                        JsonNode before = key == null ? null : removedByKey.remove(key);
                        added.add(new PropertyDiff(path, before, v, replace, false, true));
                    });
                    removedByKey.values().forEach(v -> out.add(new PropertyDiff(path, v, null, replace, false, true)));
                    out.addAll(added);
                    return;
                }
            }
            default -> { }
        }
        out.add(new PropertyDiff(path, l, d, replace, p.writeOnly(), false));
    }
}
