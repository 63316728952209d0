package io.netstack.engine;

import io.netstack.spi.Progress;
import io.netstack.spi.Retry;
import io.netstack.spi.Sleeper;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;

/** The {@link TypeContext} the engine hands to types. {@code delayScale} < 1 only in tests. */
public record EngineContext(String stack, String region, Waiter waiter, Retry retry) implements TypeContext {
    public static EngineContext of(String stack, String region, Progress progress, Sleeper sleeper, double delayScale) {
        return new EngineContext(stack, region, new Waiter(sleeper, progress, delayScale), new Retry(sleeper, progress, delayScale));
    }
}
