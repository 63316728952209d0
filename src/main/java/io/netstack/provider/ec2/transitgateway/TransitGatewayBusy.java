package io.netstack.provider.ec2.transitgateway;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.function.Supplier;

/**
 * Shared by the four transit-gateway packages: on a gateway, an attachment, a peering or a route
 * table, AWS answers {@code IncorrectState} while the object is busy (pending, modifying,
 * associations still going, attachments still deleting). That is retried like a
 * DependencyViolation, keeping AWS's code, request id and message for the error shown if it
 * never clears.
 */
public final class TransitGatewayBusy {
    private TransitGatewayBusy() {}

    public static <T> T busyIsRetryable(Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsFailure f) {
            if ("IncorrectState".equals(f.code())) {
                throw new AwsFailure(ErrorCategory.DEPENDENCY_VIOLATION, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f);
            }
            throw f;
        }
    }
}
