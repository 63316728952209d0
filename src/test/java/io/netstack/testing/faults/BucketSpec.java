package io.netstack.testing.faults;

/** A token bucket's size (burst) and refill rate in tokens per second. */
public record BucketSpec(double capacity, double refillPerSecond) {
    public BucketSpec {
        if (capacity < 1) throw new IllegalArgumentException("a bucket holds at least one token, not " + capacity);
        if (refillPerSecond <= 0) throw new IllegalArgumentException("refill rate must be positive, not " + refillPerSecond);
    }

    /** Both size and rate multiplied by {@code factor} (size at least 1): a stricter or looser account. */
    public BucketSpec scaled(double factor) {
        return new BucketSpec(Math.max(1, capacity * factor), refillPerSecond * factor);
    }
}
