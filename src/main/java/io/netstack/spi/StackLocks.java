package io.netstack.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * One apply or destroy per stack at a time, without any service beyond the AWS APIs netstack
 * already uses. The provider keeps the lock as an object whose name is unique per region and
 * whose creation is atomic; its holder and lease expiry are stored on it.
 */
public interface StackLocks {
    /** Who holds a lock: {@code owner} is user@host (pid), {@code run} a random id of the run. */
    record Holder(String owner, Instant started, Instant expires, String run) {
        public boolean expired(Instant now) {
            return expires != null && now.isAfter(expires);
        }

        public String describe() {
            return owner + ", since " + started + (expires == null ? "" : ", lease until " + expires);
        }
    }

    /** Thrown when another run holds the stack's lock. */
    final class LockHeld extends RuntimeException {
        private final Holder holder;

        public LockHeld(String stack, Holder holder) {
            super("stack " + stack + " is locked by " + holder.describe());
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    /** Takes the lock or throws {@link LockHeld}. */
    void acquire(String stack, Holder me);

    /** Extends the lease of a lock this run holds. */
    void renew(String stack, Holder me);

    /** Releases the lock if this run ({@code me.run()}) still holds it. */
    void release(String stack, Holder me);

    Optional<Holder> holder(String stack);

    /** Breaks the lock whoever holds it; true if there was one. */
    boolean forceUnlock(String stack);
}
