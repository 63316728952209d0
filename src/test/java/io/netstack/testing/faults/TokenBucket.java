package io.netstack.testing.faults;

import java.util.function.LongSupplier;

/**
 * One EC2 throttling bucket (docs/aws-facts.md, "EC2 API throttling"): starts full with {@code capacity}
 * tokens, refills continuously at {@code refillPerSecond} up to {@code capacity}; a request takes one
 * token or is throttled. Time comes from an injectable nanosecond clock so tests can step it.
 * Thread-safe.
 */
public final class TokenBucket {
    private final BucketSpec spec;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public TokenBucket(BucketSpec spec, LongSupplier nanoClock) {
        this.spec = spec;
        this.nanoClock = nanoClock;
        this.tokens = spec.capacity();
        this.last = nanoClock.getAsLong();
    }

    /** Takes a token if there is one; false means the request is throttled. */
    public synchronized boolean tryTake() {
        refill();
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    /** Tokens now available (fractional while refilling). */
    public synchronized double available() {
        refill();
        return tokens;
    }

    public BucketSpec spec() {
        return spec;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        if (now > last) {
            tokens = Math.min(spec.capacity(), tokens + (now - last) / 1e9 * spec.refillPerSecond());
            last = now;
        }
    }
}
