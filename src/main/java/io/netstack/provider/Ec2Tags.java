package io.netstack.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Ownership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Ownership through tags. Tags go on at creation, in exactly one {@code TagSpecification} (moto
 * uses only the first, and two specs break CreateNatGateway there), so that creation and
 * ownership are one step. Reads filter by {@code tag:netstack:stack} and then re-check the tags
 * client-side, because some backends ignore the filter (docs/moto-notes.md).
 */
public final class Ec2Tags {
    private Ec2Tags() {}

    public static TagSpecification spec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(toTags(tags)).build();
    }

    public static List<Tag> toTags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        new TreeMap<>(tags).forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    public static Filter stackFilter(String stack) {
        return Filter.builder().name("tag:" + Ownership.STACK_TAG).values(stack).build();
    }

    public static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    public static Filter filter(String name, java.util.Collection<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    /** The logical id if the tags say the object belongs to {@code stack}. */
    public static Optional<String> ownedId(List<Tag> tags, String stack) {
        String s = null, id = null;
        if (tags != null) for (Tag t : tags) {
            if (Ownership.STACK_TAG.equals(t.key())) s = t.value();
            if (Ownership.ID_TAG.equals(t.key())) id = t.value();
        }
        return stack.equals(s) && id != null ? Optional.of(id) : Optional.empty();
    }

    /**
     * Which objects a read keeps, and under which logical id: {@link #owned} for {@code list} (the
     * stack's objects, by their netstack:id tag), {@link #any} for {@code importable} (every object,
     * by its AWS id until the importer names it).
     */
    public interface Select {
        Optional<String> id(List<Tag> tags, String awsId);

        /** What the read adds to the translated object: {@link #any} marks a netstack stack tag. */
        default io.netstack.spi.LiveResource mark(io.netstack.spi.LiveResource r, List<Tag> tags) {
            return r;
        }
    }

    public static Select owned(String stack) {
        return (tags, awsId) -> ownedId(tags, stack);
    }

    public static Select any() {
        return new Select() {
            @Override
            public Optional<String> id(List<Tag> tags, String awsId) {
                return Optional.of(awsId);
            }

            @Override
            public io.netstack.spi.LiveResource mark(io.netstack.spi.LiveResource r, List<Tag> tags) {
                return imported(r, tags);
            }
        };
    }

    /** {@code r} with the stack named by its {@code netstack:stack} tag (if any) as attribute of that name. */
    public static io.netstack.spi.LiveResource imported(io.netstack.spi.LiveResource r, List<Tag> tags) {
        String owner = null;
        if (tags != null) for (Tag t : tags) if (Ownership.STACK_TAG.equals(t.key())) owner = t.value();
        if (owner == null) return r;
        Map<String, String> attrs = new java.util.LinkedHashMap<>(r.attributes());
        attrs.put(Ownership.STACK_TAG, owner);
        return new io.netstack.spi.LiveResource(r.id(), r.type(), r.awsId(), r.properties(), attrs);
    }

    public static boolean hasOwnership(List<Tag> tags) {
        boolean s = false, id = false;
        if (tags != null) for (Tag t : tags) {
            s |= Ownership.STACK_TAG.equals(t.key());
            id |= Ownership.ID_TAG.equals(t.key());
        }
        return s && id;
    }

    /** The user's tags: without netstack:* and aws:*; with Name (the user's, or netstack's default). */
    public static ObjectNode userTags(List<Tag> tags) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (tags == null) return o;
        new TreeMap<String, String>() {{
            for (Tag t : tags) {
                if (t.key().startsWith("netstack:") || t.key().startsWith("aws:")) continue;
                put(t.key(), t.value());
            }
        }}.forEach(o::put);
        return o;
    }

    /** Brings the user tags of {@code awsId} from {@code before} to {@code after}. */
    public static void update(Ec2Client ec2, String resource, String awsId, JsonNode before, JsonNode after) {
        Map<String, String> b = toMap(before), a = toMap(after);
        List<Tag> remove = new ArrayList<>();
        b.forEach((k, v) -> {
            if (!a.containsKey(k)) remove.add(Tag.builder().key(k).build());
        });
        Map<String, String> put = new TreeMap<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) put.put(k, v);
        });
        if (!remove.isEmpty()) AwsCalls.run(resource, "DeleteTags", () -> ec2.deleteTags(r -> r.resources(awsId).tags(remove)));
        if (!put.isEmpty()) AwsCalls.run(resource, "CreateTags", () -> ec2.createTags(r -> r.resources(awsId).tags(toTags(put))));
    }

    /** Writes the full tag set (ownership included) when a backend dropped the tags given at creation. */
    public static void ensure(Ec2Client ec2, String resource, String awsId, List<Tag> have, Map<String, String> want) {
        if (hasOwnership(have)) return;
        AwsCalls.run(resource, "CreateTags", () -> ec2.createTags(r -> r.resources(awsId).tags(toTags(want))));
    }

    private static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        if (n != null && n.isObject()) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
