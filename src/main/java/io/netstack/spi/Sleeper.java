package io.netstack.spi;

import java.time.Duration;

/** Time, injectable so tests of waits and retries run in milliseconds. */
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    long nanoTime();

    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };
}
