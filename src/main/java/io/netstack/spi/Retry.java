package io.netstack.spi;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * netstack's own retries, for what the SDK does not retry: eventual consistency
 * ({@code Invalid*ID.NotFound} right after a create) and {@code DependencyViolation} on delete
 * (docs/aws-facts.md, "SDK for Java v2 retries"). Throttling and 5xx are retried by the SDK's standard
 * strategy first; if they still surface here they are retried too, under the same named timeout.
 * Which categories a call retries and for how long is the caller's: {@code Ec2Type.mutate/readBack}
 * retry NOT_FOUND for {@code Ec2Type.PROPAGATION_TIMEOUT} (5 min, AWS's advice for eventual
 * consistency), {@code Ec2Type.delete} retries DEPENDENCY_VIOLATION for the type's named delete
 * timeout; conflicts, invalid requests, access errors and the like fail at once.
 *
 * <p>Delay before attempt n+1: "equal jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): uniform in [c/2, c] with c = min({@link #MAX_DELAY}, {@link #BASE_DELAY} × 2^(n-1)),
 * never past the timeout. Not full jitter: a just-created object is not visible for ~1 s or more,
 * and a delete blocked by a dependency needs that dependency gone, so a near-zero delay would only
 * spend API calls (and throttling tokens) for nothing; the random half still spreads parallel
 * retries apart.
 */
public final class Retry {
    /** AWS: poll a new object "with exponential backoff starting at a few seconds"; 1 s, 2 s, 4 s … gets there. */
    public static final Duration BASE_DELAY = Duration.ofSeconds(1);
    /** The SDK's own backoff cap (standard mode: 20 s); longer would only slow a converging apply down. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(20);

    private final Sleeper sleeper;
    private final Progress progress;
    private final double scale;

    public Retry(Sleeper sleeper, Progress progress, double scale) {
        this.sleeper = sleeper;
        this.progress = progress;
        this.scale = scale;
    }

    public <T> T retrying(String resource, String action, Set<ErrorCategory> on, Duration timeout, Supplier<T> call) {
        long start = sleeper.nanoTime();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return call.get();
            } catch (AwsFailure f) {
                boolean retry = on.contains(f.category()) || f.category().retryable();
                long elapsed = sleeper.nanoTime() - start;
                if (!retry || elapsed >= timeout.toNanos()) {
                    if (retry) {
                        throw new AwsFailure(ErrorCategory.TIMEOUT, f.resource() != null ? f.resource() : resource, f.action(), f.code(), f.requestId(),
                                "still failing after " + Waiter.human(timeout) + " of retries: " + f.getMessage(), f);
                    }
                    throw f;
                }
                long capNanos = Math.min(MAX_DELAY.toNanos(), BASE_DELAY.toNanos() << Math.min(attempt - 1, 10));
                long d = (long) (ThreadLocalRandom.current().nextDouble(0.5, 1.0) * capNanos * scale);
                d = Math.min(d, Math.max(1, timeout.toNanos() - elapsed));
                progress.retrying(resource, f.action() != null ? f.action() : action, (f.code() != null ? f.code() : f.category().name()), attempt, Duration.ofNanos(d));
                try {
                    sleeper.sleep(Duration.ofNanos(d));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw f;
                }
            }
        }
    }

    public void retrying(String resource, String action, Set<ErrorCategory> on, Duration timeout, Runnable call) {
        retrying(resource, action, on, timeout, () -> {
            call.run();
            return null;
        });
    }
}
