package io.netstack.provider;

import java.time.Duration;
import java.util.Set;

/**
 * How one type deletes its object: the API action, the delete timeout, the error codes that mean
 * "this very object is already gone" and those that mean "busy, try again".
 *
 * <p>Only the object's <em>own</em> NotFound code counts as done ({@code InvalidVpcID.NotFound} for
 * DeleteVpc): a delete can fail NotFound about another object (DeleteVpcEndpoints answering
 * {@code InvalidRoute.NotFound}), and taking that for success hides the real error behind a
 * 10-minute wait for a deletion that never started (issue 11).
 *
 * @param action        the delete API action (DeleteVpc)
 * @param timeout       how long DependencyViolation and the busy codes are retried, and how long
 *                      the object may take to disappear afterwards
 * @param notFoundCodes the object's own NotFound codes: the delete is done
 * @param busyCodes     codes retried like DependencyViolation (IncorrectState of a transit gateway
 *                      with attachments still going, a customer gateway still in use …)
 */
public record Deletion(String action, Duration timeout, Set<String> notFoundCodes, Set<String> busyCodes) {
    public static Deletion of(String action, Duration timeout, String... notFoundCodes) {
        return new Deletion(action, timeout, Set.of(notFoundCodes), Set.of());
    }

    public Deletion busyOn(String... codes) {
        return new Deletion(action, timeout, notFoundCodes, Set.of(codes));
    }
}
