package io.netstack.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.stack.ResourceBlock;
import java.util.List;
import java.util.Set;

/**
 * One AWS resource type (CloudFormation resource-provider contract, adapted):
 *
 * <ul>
 *   <li>{@link #list}: every live object of the type owned by the stack, from one paginated,
 *       tag-filtered Describe (tags re-checked client-side), deleted objects dropped, in the
 *       canonical shape. Read after create equals the input.</li>
 *   <li>{@link #create}: tags at creation, deterministic ClientToken where the API takes one,
 *       waits until usable, returns the live object. Fails with AWS's own failure message.</li>
 *   <li>{@link #update}: only updatable properties; fails NotFound rather than recreate.</li>
 *   <li>{@link #delete}: NotFound is success; retries DependencyViolation under a named timeout;
 *       waits until gone.</li>
 * </ul>
 */
public interface ResourceType {
    /** The {@code type} string in stack files. */
    String name();

    Schema schema();

    /**
     * Canonical form of a property set, applied to desired and live alike (e.g. protocol "-1" →
     * "all", port "0-65535" → "all"). Defaults and set ordering are done by the engine.
     */
    default ObjectNode normalize(ObjectNode properties) {
        return properties;
    }

    /** Checks beyond the schema (CIDR containment, overlaps, route target kinds). */
    default void validate(ResourceBlock block, Validation v) {}

    /**
     * AWS's hidden ordering rules for this type, as logical ids this resource must come after
     * (and, on destroy, be removed before). Explicit references are added by the engine.
     */
    default Set<String> implicitDependencies(ResourceView self, StackView stack) {
        return Set.of();
    }

    /**
     * List properties whose elements each belong to at most one resource of this type at a time
     * (a subnet has one route table and one network ACL). An element that moves from X to Y in one
     * apply is <em>handed over</em>: Y takes it in one step when Y's create or update runs, X's
     * update leaves it where it is ({@link TypeContext#handedOver}), and X's delete runs only after
     * Y has taken it. So the element never falls back to AWS's default holder in between.
     */
    default Set<String> exclusiveLists() {
        return Set.of();
    }

    List<LiveResource> list(TypeContext ctx);

    LiveResource create(TypeContext ctx, ResourceSpec spec);

    /** @param changed the top-level properties whose values differ */
    LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed);

    void delete(TypeContext ctx, LiveResource live);

    /**
     * Objects of this type inside the owned VPCs that carry no ownership tags (for drift), from one
     * Describe filtered by {@code vpc-id}. AWS's own defaults (default security group, main route
     * table, default network ACL) are not unmanaged. Types that do not live in a VPC return nothing.
     */
    default java.util.List<Unmanaged> unmanaged(TypeContext ctx, java.util.Set<String> ownedVpcIds) {
        return java.util.List.of();
    }

    /**
     * For {@code netstack import}: every object of this type in {@code scope}, owned or not, in the
     * shape of {@link #list} (references as AWS ids) but as a person would write the block: only
     * what the stack file needs (e.g. a subnet's zone, not also its zone id). The logical id is the
     * AWS id for now (the importer names resources); an object that carries a netstack stack tag has
     * it as the attribute {@link Ownership#STACK_TAG}, so the importer can refuse it. One batched
     * Describe per type filtered by {@code vpc-id} (or by the referenced ids), never one per object.
     * Types netstack cannot import yet return nothing.
     */
    default List<LiveResource> importable(TypeContext ctx, ImportScope scope) {
        return List.of();
    }

    /**
     * For {@code netstack adopt}: puts {@code tags} (the ownership tags, and the {@code Name} a
     * create would have set) on the existing object {@code live} and changes nothing else.
     */
    default void adopt(TypeContext ctx, LiveResource live, java.util.Map<String, String> tags) {
        throw new UnsupportedOperationException(name() + " cannot be adopted");
    }

    /** The IAM actions {@link #adopt} calls, besides the plan's reads (for {@code netstack policy --for adopt}). */
    default java.util.List<String> adoptActions() {
        return java.util.List.of();
    }

    /**
     * The IAM actions this type's handlers call (for {@code netstack policy}); see {@link Permissions}.
     */
    default Permissions permissions() {
        return Permissions.UNDECLARED;
    }
}
