package io.netstack.engine;

import io.netstack.spi.LiveResource;
import java.util.List;
import java.util.Map;

/**
 * What an apply did. On failure {@code failed} holds each failed step with its error,
 * {@code notStarted} what was left; re-running apply continues from the live state.
 */
public record ApplyResult(List<Step> done, Map<Step, Throwable> failed, List<Step> notStarted, boolean interrupted,
                          Map<String, LiveResource> resources) {
    public boolean success() {
        return failed.isEmpty() && notStarted.isEmpty() && !interrupted;
    }
}
