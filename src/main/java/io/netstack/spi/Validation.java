package io.netstack.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
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
}
