package io.netstack.provider.ec2.transitgateway;

import java.util.Set;

/**
 * Shared by the four transit-gateway packages, for the provider vocabulary's
 * {@code AwsType.busyIsRetryable(codes, call)}: on a gateway, an attachment, a peering or a route
 * table, AWS answers {@code IncorrectState} while the object is busy (pending, modifying,
 * associations still going, attachments still deleting). That is retried like a
 * DependencyViolation, AWS's code, request id and message kept for the error shown if it never
 * clears.
 */
public final class TransitGatewayBusy {
    public static final Set<String> CODES = Set.of("IncorrectState");

    private TransitGatewayBusy() {}
}
