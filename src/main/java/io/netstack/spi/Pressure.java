package io.netstack.spi;

/**
 * How hard the API pushes back, for the executor's adaptive parallelism: the provider counts
 * throttled responses and the calls its client-side rate limiter is holding back right now.
 * Engine code sees only these numbers, never the SDK.
 */
public interface Pressure {
    /** Throttled responses seen since the session started (monotonic). */
    long throttles();

    /** Calls waiting for a token of the client-side rate limiter at this moment. */
    int waitingForRate();

    /** Changes asleep between polls of an object's state (they hold a slot, not AWS capacity). */
    default int waitingForState() {
        return 0;
    }

    /** This pressure, plus the waits of {@code waiter}. */
    default Pressure withWaits(Waiter waiter) {
        Pressure self = this;
        return new Pressure() {
            @Override
            public long throttles() {
                return self.throttles();
            }

            @Override
            public int waitingForRate() {
                return self.waitingForRate();
            }

            @Override
            public int waitingForState() {
                return waiter.sleeping();
            }
        };
    }

    Pressure NONE = new Pressure() {
        @Override
        public long throttles() {
            return 0;
        }

        @Override
        public int waitingForRate() {
            return 0;
        }
    };
}
