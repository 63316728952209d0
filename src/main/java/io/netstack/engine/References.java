package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.Reference;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/** Finding {@code ${…}} references in property trees, and the dependencies they make. */
public final class References {
    private References() {}

    /** Calls {@code each} with every whole-string reference under {@code node} and its JSON Pointer. */
    public static void forEach(JsonNode node, String ptr, BiConsumer<String, Reference> each) {
        if (node == null) return;
        if (node.isTextual()) {
            try {
                Reference.whole(node.asText()).ifPresent(r -> each.accept(ptr, r));
            } catch (IllegalArgumentException ignored) {
                // malformed references are reported by the validator
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> forEach(e.getValue(), ptr + "/" + e.getKey(), each));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) forEach(node.get(i), ptr + "/" + i, each);
        }
    }

    /** Logical ids this resource references explicitly. */
    public static Set<String> explicit(ResourceView r) {
        Set<String> out = new TreeSet<>();
        forEach(r.properties(), "", (p, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE) out.add(ref.target());
        });
        return out;
    }

    /**
     * What {@code r} must come after: explicit references (except inside late-bound properties)
     * plus the type's implicit ordering rules, restricted to ids present in {@code view}.
     */
    public static Set<String> dependencies(ResourceView r, StackView view, TypeRegistry types) {
        Optional<ResourceType> t = types.find(r.type());
        Set<String> out = new TreeSet<>();
        forEach(r.properties(), "", (p, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE && !lateBound(t, p)) out.add(ref.target());
        });
        t.ifPresent(type -> out.addAll(type.implicitDependencies(r, view)));
        out.removeIf(id -> id.equals(r.id()) || view.get(id).isEmpty());
        return out;
    }

    /** References inside late-bound properties (they order a follow-up update, not the create). */
    public static Set<String> lateDependencies(ResourceView r, StackView view, TypeRegistry types) {
        Optional<ResourceType> t = types.find(r.type());
        Set<String> out = new TreeSet<>();
        forEach(r.properties(), "", (p, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE && lateBound(t, p)) out.add(ref.target());
        });
        out.removeIf(id -> id.equals(r.id()) || view.get(id).isEmpty());
        return out;
    }

    /**
     * Whether a late-bound property of {@code r} references {@code r} itself (a security group rule
     * allowing its own members, as every cluster design does): the object is created without those
     * elements, and its follow-up update adds them once its own id exists.
     */
    public static boolean lateBoundToItself(ResourceView r, TypeRegistry types) {
        Optional<ResourceType> t = types.find(r.type());
        boolean[] self = {false};
        forEach(r.properties(), "", (p, ref) -> {
            if (ref.kind() == Reference.Kind.RESOURCE && ref.target().equals(r.id()) && lateBound(t, p)) self[0] = true;
        });
        return self[0];
    }

    static boolean lateBound(Optional<ResourceType> t, String pointer) {
        if (t.isEmpty() || pointer.length() < 2) return false;
        String top = pointer.substring(1).split("/")[0];
        var p = t.get().schema().property(top);
        return p != null && p.lateBound();
    }

    public static StackView view(Collection<ResourceView> resources) {
        Map<String, ResourceView> byId = new LinkedHashMap<>();
        for (ResourceView r : resources) byId.put(r.id(), r);
        return new StackView() {
            @Override
            public Optional<ResourceView> get(String id) {
                return Optional.ofNullable(byId.get(id));
            }

            @Override
            public Collection<ResourceView> all() {
                return byId.values();
            }
        };
    }
}
