package io.netstack.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.LiveResource;
import java.util.List;

/**
 * The planned change of one resource.
 *
 * @param desired canonical desired properties, references as {@code ${id}} (null for DELETE)
 * @param live    the live object as its type read it, AWS ids (null for CREATE)
 * @param reasons why: for REPLACE the create-only property that forced it or the replaced
 *                resource it cascades from; for DELETE why it goes
 */
public record Change(String id, String type, Action action, List<String> reasons, List<PropertyDiff> diffs,
                     ObjectNode desired, LiveResource live) {
    public String awsId() {
        return live == null ? null : live.awsId();
    }

    /** Logical key; a duplicate live object (same netstack:id twice) is keyed by its AWS id. */
    public String key() {
        return action == Action.DELETE && live != null && desired == null && reasons.stream().anyMatch(r -> r.startsWith("duplicate"))
                ? id + "#" + live.awsId() : id;
    }
}
