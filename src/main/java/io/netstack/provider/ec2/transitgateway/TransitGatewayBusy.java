package io.netstack.provider.ec2.transitgateway;

import io.netstack.provider.Deletion;
import java.time.Duration;
import java.util.Set;

/**
 * Shared by the four transit-gateway packages, for the provider vocabulary's
 * {@code AwsType.busyIsRetryable(codes, call)} and their one {@link #deletion}: on a gateway, an attachment, a peering or a route
 * table, AWS answers {@code IncorrectState} while the object is busy (pending, modifying,
 * associations still going, attachments still deleting). That is retried like a
 * DependencyViolation, AWS's code, request id and message kept for the error shown if it never
 * clears.
 */
public final class TransitGatewayBusy {
    public static final Set<String> CODES = Set.of("IncorrectState");

    /**
     * The family's delete timeout, Terraform's for each of them: aws_ec2_transit_gateway's delete
     * timeout, transitGatewayVPCAttachmentDeletedTimeout, transitGatewayPeeringAttachmentDeletedTimeout
     * and transitGatewayRouteTableDeletedTimeout are all 10 m. It also covers a delete answering
     * IncorrectState/DependencyViolation while what hangs on the object is still going (a gateway's
     * attachments deleted a moment ago and still {@code deleting}, a table's associations).
     */
    public static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The {@link Deletion} of one of the family: only the object's own NotFound code is "already
     * gone"; {@link #CODES} (busy: pending, modifying, initiating, associations still going) are
     * retried for {@link #DELETE_TIMEOUT}.
     */
    public static Deletion deletion(String action, String notFoundCode) {
        return new Deletion(action, DELETE_TIMEOUT, Set.of(notFoundCode), CODES);
    }

    private TransitGatewayBusy() {}
}
