package io.netstack.spi;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Declarative waits (terraform-provider-aws's StateChangeConf): poll {@code refresh} until it
 * returns a target state, fail on a failure state, give up after a named timeout. The first
 * poll is immediate; then {@link #FLAT_POLLS} polls {@link #FIRST_DELAY} apart, then delays grow
 * by half each time up to {@link #MAX_DELAY}, all with ±20 % jitter.
 * A "still waiting" progress line goes out every {@link #STILL_WAITING_EVERY}.
 */
public final class Waiter {
    /**
     * Objects that are nearly ready (a VPC, a subnet) are usually ready within a second or two; a
     * poll a second after the first costs one read from a 100-token bucket, a late one costs the
     * whole chain behind the object (BENCHMARKS.md: with 2 s, an object ready at 3 s was seen at 5).
     */
    public static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    /** Polls at {@link #FIRST_DELAY} before the delay starts to grow: most objects are ready within seconds. */
    static final int FLAT_POLLS = 3;
    /** Terraform polls CloudFront every 15 s; nothing we wait for changes faster than that when slow. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(15);
    public static final Duration STILL_WAITING_EVERY = Duration.ofSeconds(30);
    /** State returned by a refresh whose object no longer exists. */
    public static final String GONE = "(gone)";

    private final Sleeper sleeper;
    private final Progress progress;
    private final double scale;
    private final java.util.concurrent.atomic.AtomicInteger sleeping = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code scale} shrinks every delay (tests use a tiny one against a fake clock-free backend). */
    public Waiter(Sleeper sleeper, Progress progress, double scale) {
        this.sleeper = sleeper;
        this.progress = progress;
        this.scale = scale;
    }

    public record Outcome(String state, String message) {}

    /**
     * Waits until {@code refresh} reports one of {@code targets}.
     *
     * @param resource logical id, for messages
     * @param what     what is being waited for ("NAT gateway available")
     * @param refresh  current state and AWS's status message; {@link #GONE} when the object is gone
     */
    public Outcome until(String resource, String what, Duration timeout, Set<String> targets, Set<String> failures, Supplier<Outcome> refresh) {
        long start = sleeper.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + STILL_WAITING_EVERY.toNanos();
        Duration delay = FIRST_DELAY;
        int polls = 0;
        while (true) {
            Outcome o = refresh.get();
            if (targets.contains(o.state())) return o;
            if (failures.contains(o.state())) {
                throw new AwsFailure(ErrorCategory.FAILED_STATE, resource, null, null, null,
                        what + ": reached state '" + o.state() + "'" + (o.message() == null || o.message().isBlank() ? "" : ": " + o.message()), null);
            }
            long now = sleeper.nanoTime();
            if (now >= deadline) {
                throw new AwsFailure(ErrorCategory.TIMEOUT, resource, null, null, null,
                        "timed out after " + human(timeout) + " waiting for " + what + " (last state '" + o.state() + "')", null);
            }
            if (now >= nextReport) {
                progress.waiting(resource, what, o.state(), Duration.ofNanos(now - start));
                nextReport = now + STILL_WAITING_EVERY.toNanos();
            }
            sleep(jitter(delay), deadline - now);
            if (++polls < FLAT_POLLS) continue;
            delay = delay.multipliedBy(3).dividedBy(2);
            if (delay.compareTo(MAX_DELAY) > 0) delay = MAX_DELAY;
        }
    }

    private void sleep(Duration d, long remainingNanos) {
        long nanos = Math.min((long) (d.toNanos() * scale), Math.max(1, remainingNanos));
        sleeping.incrementAndGet();
        try {
            sleeper.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsFailure(ErrorCategory.TIMEOUT, null, null, "interrupted while waiting");
        } finally {
            sleeping.decrementAndGet();
        }
    }

    /** Waits asleep between polls right now: changes that hold an executor slot but ask nothing of AWS. */
    public int sleeping() {
        return sleeping.get();
    }

    static Duration jitter(Duration d) {
        double f = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofNanos((long) (d.toNanos() * f));
    }

    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    public Progress progress() {
        return progress;
    }

    public double scale() {
        return scale;
    }
}
