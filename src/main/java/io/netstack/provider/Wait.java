package io.netstack.provider;

import io.netstack.spi.Waiter;
import java.time.Duration;
import java.util.Set;

/**
 * A named wait (terraform-provider-aws's {@code waitVPCAvailable}, {@code waitNATGatewayDeleted}…):
 * what it waits for, for how long, which states end it and which fail it, and what absence of the
 * object means. Declared once per type as a constant, run by {@link AwsType#await}.
 *
 * @param goal        what the object must become ("available", "deleted"); the wait's messages read
 *                    "{@code <noun> <aws id> <goal>}", e.g. "timed out after 5m waiting for VPC vpc-1 available"
 * @param timeout     the named timeout
 * @param targets     states that end the wait
 * @param failures    states that fail it at once (AWS's status message attached)
 * @param whenMissing the state to report while the object cannot be found; {@code null} = fail at once
 *                    with a NotFound naming the object (an object that vanished mid-update)
 */
public record Wait(String goal, Duration timeout, Set<String> targets, Set<String> failures, String whenMissing) {
    /** Reported while a just-created object is not visible yet (eventual consistency): keep polling. */
    public static final String NOT_VISIBLE_YET = "not visible yet";

    /** Waits on an object that must exist: if it vanishes, the wait fails at once as NotFound. */
    public static Wait until(String goal, Duration timeout, String... targets) {
        return new Wait(goal, timeout, Set.of(targets), Set.of(), null);
    }

    /** Waits on a just-created object: while it is not visible yet the wait goes on. */
    public static Wait created(String goal, Duration timeout, String... targets) {
        return new Wait(goal, timeout, Set.of(targets), Set.of(), NOT_VISIBLE_YET);
    }

    /**
     * Waits on a just-created object until it is "available"; one that starts going instead
     * ("deleting", "deleted": deleted by hand or by AWS) fails the wait at once.
     */
    public static Wait available(Duration timeout) {
        return created("available", timeout, "available").failingOn("deleting", "deleted");
    }

    /** Waits until the object is gone (not found, or in one of the finder's gone states). */
    public static Wait deleted(Duration timeout) {
        return new Wait("deleted", timeout, Set.of(Waiter.GONE), Set.of(), Waiter.GONE);
    }

    /** The same wait, failing at once on {@code states}. */
    public Wait failingOn(String... states) {
        return new Wait(goal, timeout, targets, Set.of(states), whenMissing);
    }

    /** The wait's subject for messages: {@code "VPC vpc-0a1b available"}. */
    public String what(String object) {
        return object + " " + goal;
    }
}
