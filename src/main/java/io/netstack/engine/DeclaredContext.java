package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Retry;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** A {@link TypeContext} that also knows the stack file's blocks ({@link TypeContext#declared}), for reads. */
public record DeclaredContext(TypeContext inner, StackFile file) implements TypeContext {
    public static TypeContext of(TypeContext ctx, StackFile stack) {
        return new DeclaredContext(ctx, stack);
    }

    @Override public String stack() { return inner.stack(); }
    @Override public String region() { return inner.region(); }
    @Override public Waiter waiter() { return inner.waiter(); }
    @Override public Retry retry() { return inner.retry(); }
    @Override public Set<String> ownedAwsIds(String type) { return inner.ownedAwsIds(type); }
    @Override public Set<String> handedOver(String id) { return inner.handedOver(id); }

    @Override
    public <T> T retrying(String resource, String action, Set<io.netstack.spi.ErrorCategory> on, Duration timeout, Supplier<T> call) {
        return inner.retrying(resource, action, on, timeout, call);
    }

    @Override
    public io.netstack.spi.ReadNeeds needs(String type) {
        return needs(file, type);
    }

    /**
     * What a plan of {@code file} needs of {@code type}'s objects: the top-level properties its
     * blocks of that type write, and the attributes that any block or output references on a block
     * of that type ({@code ${id.attr}}; {@code ${id.id}} and {@code ${id}} are the AWS id, which
     * every read gives). Another stack's {@code ${stack:…}} reference reads that stack with
     * {@link io.netstack.spi.ReadNeeds#ALL}, so it needs nothing here.
     */
    public static io.netstack.spi.ReadNeeds needs(StackFile file, String type) {
        Set<String> properties = new java.util.TreeSet<>(), attributes = new java.util.TreeSet<>();
        for (ResourceBlock b : file.resources().values()) {
            if (b.type().equals(type)) b.properties().fieldNames().forEachRemaining(properties::add);
            References.forEach(b.properties(), "", (ptr, r) -> attribute(file, type, r, attributes));
        }
        for (String v : file.outputs().values()) {
            try {
                io.netstack.stack.Reference.whole(v).ifPresent(r -> attribute(file, type, r, attributes));
            } catch (IllegalArgumentException e) {
                // a malformed output is the validator's to report
            }
        }
        return new io.netstack.spi.ReadNeeds(false, properties, attributes);
    }

    private static void attribute(StackFile file, String type, io.netstack.stack.Reference r, Set<String> out) {
        if (r.kind() != io.netstack.stack.Reference.Kind.RESOURCE || r.attribute() == null || r.attribute().equals("id")) return;
        ResourceBlock target = file.resources().get(r.target());
        if (target != null && target.type().equals(type)) out.add(r.attribute());
    }

    @Override
    public Map<String, JsonNode> declared(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (ResourceBlock b : file.resources().values()) if (b.type().equals(type)) out.put(b.id(), b.properties());
        return out;
    }
}
