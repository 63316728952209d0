package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import java.util.List;
import java.util.Set;

/**
 * A tiny in-test resource type for Differ/Normalizer tests: one property of each interesting
 * kind. Only {@link #name}, {@link #schema} and {@link #normalize} are meant to be called.
 */
final class FakeResourceType implements ResourceType {
    static final FakeResourceType INSTANCE = new FakeResourceType();

    private final Schema schema = new Schema(true, List.of("arn"),
            Property.cidr("cidr").required().createOnly(),
            Property.string("name"),                                              // optional, no default: unmanaged when absent
            Property.bool("dnsSupport").defaultValue(true),
            Property.string("tenancy").createOnly().defaultValue("default"),
            Property.ref("vpc", List.of("vpc"), List.of("vpc-")).createOnly(),
            Property.string("secret").writeOnly(),
            Property.string("protocol"),                                          // canonicalised by normalize(): "-1" → "all"
            Property.list("secondaryCidrs", Property.cidr("cidr")),              // unordered set of CIDRs
            Property.list("subnets", Property.string("subnet")),                 // unordered set
            Property.list("zones", Property.string("zone")).createOnly(),        // create-only set
            Property.list("routes", Property.object("route",
                    Property.cidr("destination").required(),
                    Property.string("target").required(),
                    Property.integer("weight").defaultValue(1))),                 // unordered set of objects
            Property.list("hops", Property.object("hop",
                    Property.cidr("destination").required(),
                    Property.string("target"),
                    Property.bool("drop"))).keyedBy("destination"),                 // set of objects keyed by destination
            Property.list("rules", Property.object("rule",
                    Property.integer("rule").required(),
                    Property.string("action"))).ordered(),                        // order matters
            Property.list("tunnels", Property.object("tunnel",
                    Property.cidr("insideCidr"),
                    Property.string("preSharedKey").writeOnly())),                // write-only field inside set elements
            Property.object("options",
                    Property.string("mode").createOnly(),
                    Property.integer("level").defaultValue(1),
                    Property.string("token").writeOnly()),
            Property.json("policy"));

    private FakeResourceType() {}

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public ObjectNode normalize(ObjectNode properties) {
        JsonNode p = properties.get("protocol");
        if (p != null && p.isTextual() && p.asText().equals("-1")) properties.set("protocol", TextNode.valueOf("all"));
        return properties;
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        throw new UnsupportedOperationException();
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        throw new UnsupportedOperationException();
    }

    /** Parses JSON text (single quotes allowed for readability) into an ObjectNode. */
    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode node(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
