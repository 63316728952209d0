package io.netstack.spi;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * netstack's own retries, for what the SDK does not retry: eventual consistency
 * ({@code Invalid*ID.NotFound} right after a create) and {@code DependencyViolation} on delete
 * (aws-facts.md, "SDK for Java v2 retries"). Throttling and 5xx are retried by the SDK's standard
 * strategy first; if they still surface here they are retried too, under the same named timeout.
 * Delay: full jitter over an exponential 1 s → {@link #MAX_DELAY} (AWS Architecture Blog,
 * "Exponential Backoff And Jitter").
 */
public final class Retry {
    public static final Duration BASE_DELAY = Duration.ofSeconds(1);
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
