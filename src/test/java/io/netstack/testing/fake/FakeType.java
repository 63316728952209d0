package io.netstack.testing.fake;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.ResourceView;
import io.netstack.spi.Schema;
import io.netstack.spi.StackView;
import io.netstack.spi.TypeContext;
import io.netstack.testing.fake.FakeProvider.FakeObject;
import io.netstack.testing.fake.FakeProvider.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One fake resource type, implemented the way the real EC2 types are (provider.Ec2Type): creates
 * retry NOT_FOUND of objects they name (eventual consistency) and read the new object back;
 * updates fail NOT_FOUND when the object is gone; deletes count NOT_FOUND as success and retry
 * DEPENDENCY_VIOLATION; a type with late-bound references drops them from its own object before
 * deleting it (like security groups revoking rules that name other groups).
 */
public final class FakeType implements ResourceType {
    private final FakeProvider cloud;
    private final String name;
    final String prefix;
    private final Schema schema;
    final List<String> blocking;
    private final List<String> revokeOnDelete;
    private final Map<String, Function<FakeObject, String>> attributes;
    private final BiFunction<ResourceView, StackView, Set<String>> implicit;
    /** How long a new object stays pending; create waits for it through the context's Waiter. */
    private volatile java.time.Duration pendingAfterCreate = java.time.Duration.ZERO;

    private FakeType(Builder b) {
        this.cloud = b.cloud;
        this.name = b.name;
        this.prefix = b.prefix;
        this.schema = b.schema;
        this.blocking = List.copyOf(b.blocking);
        this.revokeOnDelete = List.copyOf(b.revokeOnDelete);
        this.attributes = Map.copyOf(b.attributes);
        this.implicit = b.implicit;
    }

    static Builder builder(FakeProvider cloud, String name, String prefix) {
        return new Builder(cloud, name, prefix);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Set<String> implicitDependencies(ResourceView self, StackView stack) {
        return implicit == null ? Set.of() : implicit.apply(self, stack);
    }

    void fillAttributes(FakeObject o) {
        attributes.forEach((k, f) -> o.attributes.put(k, f.apply(o)));
    }

    private String action(String verb) {
        StringBuilder sb = new StringBuilder(verb);
        for (String part : name.split("-")) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return sb.toString();
    }

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        return cloud.record(name, Op.LIST, null, null, null,
                () -> cloud.api(name, Op.LIST, null, action("Describe"), () -> cloud.listOwned(name, ctx.stack())),
                r -> null, null);
    }

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        return cloud.record(name, Op.CREATE, id, spec, null, () -> {
            String awsId = ctx.retrying(id, action("Create"), Set.of(ErrorCategory.NOT_FOUND), cloud.propagationTimeout,
                    () -> cloud.api(name, Op.CREATE, id, action("Create"), () -> cloud.createObject(this, ctx.stack(), spec, action("Create"))));
            awaitAvailable(ctx, id);
            return readBack(ctx, id, awsId);
        }, LiveResource::awsId, null);
    }

    /** New objects of this type are pending for {@code d}; create waits (asleep in the Waiter) until they are not. */
    public FakeType waitAfterCreate(java.time.Duration d) {
        this.pendingAfterCreate = d;
        return this;
    }

    private void awaitAvailable(TypeContext ctx, String id) {
        java.time.Duration pending = pendingAfterCreate;
        if (pending.isZero()) return;
        long until = System.nanoTime() + pending.toNanos();
        ctx.waiter().until(id, name + " available", java.time.Duration.ofMinutes(1), Set.of("available"), Set.of(),
                () -> new io.netstack.spi.Waiter.Outcome(System.nanoTime() >= until ? "available" : "pending", null));
    }

    private LiveResource readBack(TypeContext ctx, String id, String awsId) {
        return ctx.retrying(id, action("Describe"), Set.of(ErrorCategory.NOT_FOUND), cloud.propagationTimeout,
                () -> cloud.toLive(cloud.lookup(id, action("Describe"), awsId)));
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id();
        return cloud.record(name, Op.UPDATE, id, spec, Set.copyOf(changed), () -> {
            if (cloud.object(live.awsId()).isEmpty()) {
                // the contract: fail NotFound rather than recreate
                throw FakeProvider.failure(ErrorCategory.NOT_FOUND, id, action("Modify"), live.awsId() + " no longer exists; run plan again to recreate it");
            }
            ctx.retrying(id, action("Modify"), Set.of(ErrorCategory.NOT_FOUND), cloud.propagationTimeout,
                    () -> cloud.api(name, Op.UPDATE, id, action("Modify"), () -> {
                        cloud.updateObject(this, live.awsId(), spec, changed, action("Modify"));
                        return null;
                    }));
            return readBack(ctx, id, live.awsId());
        }, LiveResource::awsId, live.awsId());
    }

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id();
        cloud.record(name, Op.DELETE, id, null, null, () -> {
            if (!revokeOnDelete.isEmpty()) cloud.revoke(live.awsId(), revokeOnDelete);
            try {
                ctx.retrying(id, action("Delete"), Set.of(ErrorCategory.DEPENDENCY_VIOLATION), cloud.deleteTimeout,
                        () -> cloud.api(name, Op.DELETE, id, action("Delete"), () -> {
                            cloud.deleteObject(id, live.awsId(), action("Delete"));
                            return null;
                        }));
            } catch (AwsFailure f) {
                if (f.category() != ErrorCategory.NOT_FOUND) throw f;
            }
            return null;
        }, r -> null, live.awsId());
    }

    @Override
    public String toString() {
        return name;
    }

    static final class Builder {
        private final FakeProvider cloud;
        private final String name, prefix;
        private Schema schema;
        private final List<String> blocking = new ArrayList<>(), revokeOnDelete = new ArrayList<>();
        private final Map<String, Function<FakeObject, String>> attributes = new LinkedHashMap<>();
        private BiFunction<ResourceView, StackView, Set<String>> implicit;

        private Builder(FakeProvider cloud, String name, String prefix) {
            this.cloud = cloud;
            this.name = name;
            this.prefix = prefix;
        }

        Builder schema(Schema s) { schema = s; return this; }
        /** Properties whose references keep the referenced object from being deleted. */
        Builder blocking(String... props) { blocking.addAll(List.of(props)); return this; }
        Builder revokeOnDelete(String... props) { revokeOnDelete.addAll(List.of(props)); return this; }
        Builder attribute(String n, Function<FakeObject, String> f) { attributes.put(n, f); return this; }
        Builder implicit(BiFunction<ResourceView, StackView, Set<String>> f) { implicit = f; return this; }

        FakeType build() {
            return new FakeType(this);
        }
    }
}
