package io.netstack.provider;

import io.netstack.spi.Waiter;
import java.util.function.Function;

/**
 * An object's state as a wait sees it (terraform-provider-aws's {@code statusVPC}…): one function per
 * kind of object, reused by every {@link Wait} on it. Absence is not the status's business: the
 * finder returns empty and the {@link Wait} says what that means.
 */
@FunctionalInterface
public interface Status<T> {
    Waiter.Outcome of(T object);

    /** The state as AWS reports it, without a message. */
    static <T> Status<T> of(Function<T, String> state) {
        return o -> new Waiter.Outcome(state.apply(o), null);
    }

    /** The state and AWS's status message (shown when the state is a failure). */
    static <T> Status<T> of(Function<T, String> state, Function<T, String> message) {
        return o -> new Waiter.Outcome(state.apply(o), message.apply(o));
    }

    /** For objects without a state: existing is all there is to know. */
    static <T> Status<T> exists() {
        return o -> new Waiter.Outcome("exists", null);
    }
}
