package io.netstack.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.util.List;
import java.util.Optional;

/** What a type's {@code validate} may look at and report into; errors carry file:line:col. */
public interface Validation {
    StackFile stack();

    /** Report an error at a property (JSON Pointer relative to the block, e.g. "/routes/0/target"). */
    void error(ResourceBlock block, String relativePointer, String message);

    /** Report a warning (adjustable quotas): printed, does not fail validation. */
    void warning(ResourceBlock block, String relativePointer, String message);

    /** The block a {@code ${id}} value points at, if it is one and it exists. */
    Optional<ResourceBlock> target(JsonNode value);

    /**
     * The stack's blocks of one type, in file order. Checks across blocks ("already used by an
     * earlier X") iterate this rather than every block: iterating every block for every block
     * made validation quadratic in the stack's size (~1 s of a 3,000-resource validate).
     */
    default List<ResourceBlock> blocksOfType(String type) {
        return stack().resources().values().stream().filter(r -> r.type().equals(type)).toList();
    }

    /**
     * A value computed once per validation and shared by the checks of every block, by key: an
     * index over all blocks of a type (e.g. the subnets sorted by address for the overlap check),
     * so a check across blocks costs O(n log n) for the stack, not O(n) per block.
     */
    default <T> T shared(Class<T> key, java.util.function.Supplier<T> compute) {
        return compute.get();
    }
}
