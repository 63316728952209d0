package io.netstack.spi;

import java.time.Duration;

/** Where long waits and retries report, so the user sees a "still waiting" line instead of silence. */
public interface Progress {
    /** A wait for {@code what} is in state {@code state} after {@code elapsed}. */
    void waiting(String resource, String what, String state, Duration elapsed);

    /** A call is being retried. */
    void retrying(String resource, String action, String reason, int attempt, Duration delay);

    Progress NONE = new Progress() {
        @Override public void waiting(String r, String w, String s, Duration e) {}
        @Override public void retrying(String r, String a, String reason, int attempt, Duration d) {}
    };
}
