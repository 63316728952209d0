package io.netstack.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared properties of a resource type. {@code tags} is added for every taggable type:
 * the resource's own tags, on top of the stack's.
 */
public final class Schema {
    private final Map<String, Property> properties = new LinkedHashMap<>();
    private final List<String> attributes;
    private final boolean taggable;

    public Schema(boolean taggable, List<String> attributes, Property.Builder... props) {
        this.taggable = taggable;
        this.attributes = List.copyOf(attributes);
        for (Property.Builder b : props) {
            Property p = b.build();
            properties.put(p.name(), p);
        }
        if (taggable) properties.put("tags", Property.map("tags").describe("tags of this resource, added to the stack's; Name defaults to <stack>/<id>").build());
    }

    public Map<String, Property> properties() {
        return properties;
    }

    public Property property(String name) {
        return properties.get(name);
    }

    /** Read-only attributes that {@code ${id.attr}} may name (besides the AWS id itself). */
    public List<String> attributes() {
        return attributes;
    }

    public boolean taggable() {
        return taggable;
    }
}
