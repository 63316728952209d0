package io.netstack.engine;

import io.netstack.spi.StackLocks;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lock of one apply/destroy run, held for its whole length: the lease is renewed in the
 * background, so only a crashed holder's lock expires; {@link #close} releases it on every exit
 * path. An expired lock is not broken silently: the user breaks it with --force-unlock.
 */
public final class LockLease implements AutoCloseable {
    /** Long enough to survive a slow renewal; short enough that a crashed run's lock is soon stale. */
    public static final Duration LEASE = Duration.ofMinutes(10);
    public static final Duration RENEW_EVERY = Duration.ofMinutes(2);

    private final StackLocks locks;
    private final String stack;
    private final Clock clock;
    private volatile StackLocks.Holder me;
    private final ScheduledExecutorService renewer;

    private LockLease(StackLocks locks, String stack, StackLocks.Holder me, Clock clock, Consumer<String> warn) {
        this.locks = locks;
        this.stack = stack;
        this.me = me;
        this.clock = clock;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netstack-lock-renewal");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleAtFixedRate(() -> {
            try {
                StackLocks.Holder h = this.me;
                this.me = new StackLocks.Holder(h.owner(), h.started(), clock.instant().plus(LEASE), h.run());
                locks.renew(stack, this.me);
            } catch (RuntimeException e) {
                warn.accept("could not renew the lock of stack " + stack + ": " + e.getMessage());
            }
        }, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the stack's lock. With {@code force}, an existing lock is broken first (with a
     * warning naming its holder). Throws {@link StackLocks.LockHeld} otherwise.
     */
    public static LockLease acquire(StackLocks locks, String stack, boolean force, Clock clock, Consumer<String> warn) {
        if (force) {
            Optional<StackLocks.Holder> h = locks.holder(stack);
            if (h.isPresent() && locks.forceUnlock(stack)) {
                warn.accept("broke the lock of stack " + stack + " held by " + h.get().describe()
                        + (h.get().expired(clock.instant()) ? " (lease expired)" : " (lease still valid: make sure that run is gone)"));
            }
        }
        StackLocks.Holder me = new StackLocks.Holder(owner(), clock.instant(), clock.instant().plus(LEASE), UUID.randomUUID().toString());
        locks.acquire(stack, me);
        return new LockLease(locks, stack, me, clock, warn);
    }

    static String owner() {
        String user = System.getProperty("user.name", "unknown");
        String host = System.getenv("HOSTNAME");
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException ignored) {
            // keep $HOSTNAME
        }
        return user + "@" + (host == null ? "unknown-host" : host) + " (pid " + ManagementFactory.getRuntimeMXBean().getPid() + ")";
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        locks.release(stack, me);
    }
}
