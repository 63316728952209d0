package io.netstack.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/**
 * One property of a resource type, in the CloudFormation resource-provider sense.
 *
 * <ul>
 *   <li>{@code createOnly}: a change means REPLACE.</li>
 *   <li>{@code writeOnly}: sent to AWS, never read back, never printed (pre-shared keys).</li>
 *   <li>{@code defaultValue}: what AWS does when the property is omitted; an optional property
 *       with no default that is omitted is <em>not managed</em> (never diffed).</li>
 *   <li>{@code refTypes}: for {@link Kind#REF}, the resource types it may point at (empty = any);
 *       a literal AWS id with one of {@code idPrefixes} is accepted too.</li>
 *   <li>{@code ordered}: for {@link Kind#LIST}, whether order matters (otherwise compared as a set).</li>
 *   <li>{@code key}: for an unordered {@link Kind#LIST} of objects, the field that is an
 *       element's identity (a route's {@code destination}): an element whose other fields
 *       changed is one modification, not a removal plus an addition. Null: no identity.</li>
 *   <li>{@code lateBound}: references inside do not order creation; elements naming resources
 *       that do not exist yet are left out of the create and added by a follow-up update once
 *       they exist. This is how mutually referencing security groups are created empty and get
 *       their rules after (docs/DESIGN.md principle 5).</li>
 * </ul>
 */
public record Property(
        String name,
        Kind kind,
        boolean required,
        boolean createOnly,
        boolean writeOnly,
        JsonNode defaultValue,
        List<String> refTypes,
        List<String> idPrefixes,
        List<String> enumValues,
        List<Property> fields,
        Property item,
        boolean ordered,
        boolean lateBound,
        long min,
        long max,
        String description,
        String key) {

    public enum Kind { STRING, BOOLEAN, INTEGER, CIDR, REF, LIST, OBJECT, MAP, JSON }

    public static Builder string(String name) { return new Builder(name, Kind.STRING); }
    public static Builder bool(String name) { return new Builder(name, Kind.BOOLEAN); }
    public static Builder integer(String name) { return new Builder(name, Kind.INTEGER); }
    public static Builder cidr(String name) { return new Builder(name, Kind.CIDR); }
    public static Builder json(String name) { return new Builder(name, Kind.JSON); }
    public static Builder map(String name) { return new Builder(name, Kind.MAP); }

    /** A reference to another resource of one of {@code types}, or a literal id with one of the prefixes. */
    public static Builder ref(String name, List<String> types, List<String> idPrefixes) {
        Builder b = new Builder(name, Kind.REF);
        b.refTypes = types;
        b.idPrefixes = idPrefixes;
        return b;
    }

    public static Builder list(String name, Builder item) {
        Builder b = new Builder(name, Kind.LIST);
        b.item = item.build();
        return b;
    }

    public static Builder object(String name, Builder... fields) {
        Builder b = new Builder(name, Kind.OBJECT);
        b.fields = java.util.Arrays.stream(fields).map(Builder::build).toList();
        return b;
    }

    public Property field(String n) {
        if (fields == null) return null;
        for (Property p : fields) if (p.name.equals(n)) return p;
        return null;
    }

    public static final class Builder {
        private final String name;
        private final Kind kind;
        private boolean required, createOnly, writeOnly, ordered, lateBound;
        private JsonNode defaultValue;
        private List<String> refTypes = List.of(), idPrefixes = List.of(), enumValues = List.of();
        private List<Property> fields;
        private Property item;
        private long min = Long.MIN_VALUE, max = Long.MAX_VALUE;
        private String description = "";
        private String key;

        private Builder(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        public Builder required() { required = true; return this; }
        public Builder createOnly() { createOnly = true; return this; }
        public Builder writeOnly() { writeOnly = true; return this; }
        public Builder ordered() { ordered = true; return this; }
        public Builder lateBound() { lateBound = true; return this; }
        public Builder range(long lo, long hi) { min = lo; max = hi; return this; }
        public Builder oneOf(String... values) { enumValues = List.of(values); return this; }
        public Builder describe(String d) { description = d; return this; }
        /** For an unordered {@link Kind#LIST} of objects: the field that names an element (see {@code key}). */
        public Builder keyedBy(String field) { key = field; return this; }
        public Builder defaultValue(JsonNode v) { defaultValue = v; return this; }
        public Builder defaultValue(boolean v) { return defaultValue(BooleanNode.valueOf(v)); }
        public Builder defaultValue(int v) { return defaultValue(IntNode.valueOf(v)); }
        public Builder defaultValue(String v) { return defaultValue(TextNode.valueOf(v)); }
        public Builder defaultEmptyList() { return defaultValue(JsonNodeFactory.instance.arrayNode()); }

        public Property build() {
            return new Property(name, kind, required, createOnly, writeOnly, defaultValue, refTypes, idPrefixes,
                    enumValues, fields, item, ordered, lateBound, min, max, description, key);
        }
    }
}
