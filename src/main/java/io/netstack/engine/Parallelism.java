package io.netstack.engine;

import io.netstack.spi.Pressure;

/**
 * How many changes an apply runs at once: a fixed number, or adaptive.
 *
 * <p>Adaptive starts at {@link #ADAPTIVE_START} and grows by one per finished change while AWS
 * does not throttle, up to {@link #ADAPTIVE_MAX}; a throttle halves it (at most once per
 * {@link #ADAPTIVE_BACKOFF_NANOS}). Changes that ask nothing of AWS right now do not count against
 * it: those queued in the provider's client-side rate limiter (they wait for one EC2 action's
 * bucket, and other changes may use other buckets meanwhile — twenty VPC endpoints waiting on the
 * 0.3-per-second CreateVpcEndpoint bucket must not hold back every subnet and route), and those
 * asleep between polls of a pending object (a NAT gateway's minutes of {@code pending}). Up to
 * {@link #ADAPTIVE_PARKED_MAX} such parked changes come on top of the target, not under
 * {@link #ADAPTIVE_MAX}: with the cap over both, 132 security groups queued on CreateSecurityGroup
 * (5 per s) held 64 slots for 18 s while the subnets, on a bucket of their own, waited for a slot
 * (BENCHMARKS.md, issue 12: a 300-resource apply in 38 s, 15 of them subnets ready but not started).
 */
public sealed interface Parallelism {
    int ADAPTIVE_START = 8;
    int ADAPTIVE_MAX = 64;
    /**
     * Changes parked in the rate limiter's queue or asleep in a wait, beyond the target: each holds a
     * thread and nothing else (the limiter paces what reaches AWS), so the bound is only there to keep
     * the thread count finite.
     */
    int ADAPTIVE_PARKED_MAX = 448;
    long ADAPTIVE_BACKOFF_NANOS = 1_000_000_000L;

    static Parallelism fixed(int n) {
        return new Fixed(n);
    }

    static Parallelism adaptive() {
        return new Adaptive(ADAPTIVE_START, ADAPTIVE_MAX);
    }

    /** {@code adaptive} or a number of at least 1 (the CLI's {@code --parallelism}). */
    static Parallelism parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("adaptive")) return adaptive();
        int n;
        try {
            n = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number or 'adaptive', not '" + text + "'");
        }
        if (n < 1) throw new IllegalArgumentException("must be at least 1, not " + n);
        return fixed(n);
    }

    /** The most steps that may be in flight in the worst case (the thread pool's size). */
    int ceiling();

    /** A fresh controller for one apply. */
    Controller start(Pressure pressure);

    /** Decides, step by step, how many may run now. Used by the executor's scheduling thread only. */
    interface Controller {
        int limit();

        default void finished() {}
    }

    record Fixed(int n) implements Parallelism {
        public Fixed {
            if (n < 1) throw new IllegalArgumentException("parallelism must be at least 1");
        }

        @Override
        public int ceiling() {
            return n;
        }

        @Override
        public Controller start(Pressure pressure) {
            return () -> n;
        }

        @Override
        public String toString() {
            return Integer.toString(n);
        }
    }

    record Adaptive(int initial, int max) implements Parallelism {
        public Adaptive {
            if (initial < 1 || max < initial) throw new IllegalArgumentException("adaptive parallelism needs 1 <= initial <= max");
        }

        @Override
        public int ceiling() {
            return max + ADAPTIVE_PARKED_MAX;
        }

        @Override
        public Controller start(Pressure pressure) {
            return new AdaptiveController(this, pressure, System::nanoTime);
        }

        @Override
        public String toString() {
            return "adaptive";
        }
    }

    /**
     * Additive increase, multiplicative decrease: a throttle halves the target (throttles within
     * {@link #ADAPTIVE_BACKOFF_NANOS} of a halving count as the same congestion), and the target
     * grows again only once that long has passed without one.
     */
    final class AdaptiveController implements Controller {
        private final Adaptive config;
        private final Pressure pressure;
        private final java.util.function.LongSupplier nanoClock;
        private int target;
        private long seenThrottles;
        private long lastThrottle;
        private boolean throttledYet;

        AdaptiveController(Adaptive config, Pressure pressure, java.util.function.LongSupplier nanoClock) {
            this.config = config;
            this.pressure = pressure;
            this.nanoClock = nanoClock;
            this.target = config.initial();
            this.seenThrottles = pressure.throttles();
        }

        @Override
        public int limit() {
            observe();
            int parked = Math.min(ADAPTIVE_PARKED_MAX, pressure.waitingForRate() + pressure.waitingForState());
            return Math.min(config.max(), target) + parked;
        }

        @Override
        public void finished() {
            observe();
            if (!throttledYet || nanoClock.getAsLong() - lastThrottle >= ADAPTIVE_BACKOFF_NANOS) target = Math.min(config.max(), target + 1);
        }

        private void observe() {
            long t = pressure.throttles();
            if (t <= seenThrottles) return;
            seenThrottles = t;
            long now = nanoClock.getAsLong();
            if (!throttledYet || now - lastThrottle >= ADAPTIVE_BACKOFF_NANOS) target = Math.max(1, target / 2);
            throttledYet = true;
            lastThrottle = now;
        }

        int target() {
            return target;
        }
    }
}
