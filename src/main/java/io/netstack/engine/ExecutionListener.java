package io.netstack.engine;

import io.netstack.spi.Progress;
import java.time.Duration;

/** Progress events of an apply; the CLI renders them, tests and benchmarks record them. */
public interface ExecutionListener extends Progress {
    default void started(Step step) {}

    default void finished(Step step, Duration elapsed) {}

    default void failed(Step step, Duration elapsed, Throwable error) {}

    @Override
    default void waiting(String resource, String what, String state, Duration elapsed) {}

    @Override
    default void retrying(String resource, String action, String reason, int attempt, Duration delay) {}

    ExecutionListener NONE = new ExecutionListener() {};
}
