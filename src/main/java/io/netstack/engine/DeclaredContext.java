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
    public Map<String, JsonNode> declared(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (ResourceBlock b : file.resources().values()) if (b.type().equals(type)) out.put(b.id(), b.properties());
        return out;
    }
}
