package io.netstack.provider.directconnect;

import io.netstack.provider.AwsCalls;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.directconnect.DirectConnectClient;
import software.amazon.awssdk.services.directconnect.model.DescribeDirectConnectGatewayAssociationsResponse;
import software.amazon.awssdk.services.directconnect.model.DescribeDirectConnectGatewaysResponse;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGateway;
import software.amazon.awssdk.services.directconnect.model.DirectConnectGatewayAssociation;

/**
 * Direct Connect calls. They go through {@link AwsCalls} and then have Direct Connect's error
 * model mapped: the service has only two error codes, {@code DirectConnectClientException} (400,
 * "one or more parameters are not valid") and {@code DirectConnectServerException}, so a missing
 * object is recognised by its message ("… does not exist", the text terraform-provider-aws matches
 * too) and server errors are transient.
 */
public final class DxCalls {
    static final Pattern NOT_FOUND_MESSAGE = Pattern.compile("(?i)(does not exist|not found|could not be found|no such)");
    public static final String CLIENT_EXCEPTION = "DirectConnectClientException";
    public static final String SERVER_EXCEPTION = "DirectConnectServerException";
    /** DescribeDirectConnectGateways/…Associations return at most 100 per page (API reference). */
    static final int PAGE_SIZE = 100;

    private DxCalls() {}

    public static <T> T call(String resource, String action, Supplier<T> s) {
        try {
            return AwsCalls.call(resource, action, s);
        } catch (AwsFailure f) {
            throw remap(f);
        }
    }

    public static void run(String resource, String action, Runnable r) {
        call(resource, action, () -> {
            r.run();
            return null;
        });
    }

    static AwsFailure remap(AwsFailure f) {
        ErrorCategory c = f.category();
        if (CLIENT_EXCEPTION.equals(f.code()) && f.getMessage() != null && NOT_FOUND_MESSAGE.matcher(f.getMessage()).find()) c = ErrorCategory.NOT_FOUND;
        else if (SERVER_EXCEPTION.equals(f.code())) c = ErrorCategory.TRANSIENT;
        else if (CLIENT_EXCEPTION.equals(f.code()) && c == ErrorCategory.OTHER) c = ErrorCategory.INVALID_REQUEST;
        if (c == f.category()) return f;
        AwsFailure m = new AwsFailure(c, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f.getCause());
        m.setStackTrace(f.getStackTrace());
        return m;
    }

    /** Every Direct Connect gateway of the account (they are global), all pages. */
    public static List<DirectConnectGateway> gateways(DirectConnectClient dx, String resource, AwsRequestOverrideConfiguration o) {
        List<DirectConnectGateway> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeDirectConnectGatewaysResponse page = call(resource, "DescribeDirectConnectGateways", () -> dx.describeDirectConnectGateways(r -> r
                    .maxResults(PAGE_SIZE).nextToken(t).overrideConfiguration(o)));
            out.addAll(page.directConnectGateways());
            token = blankToNull(page.nextToken());
        } while (token != null);
        return out;
    }

    /** One gateway by id, whatever its state; empty if AWS does not know it (any more). */
    public static Optional<DirectConnectGateway> gateway(DirectConnectClient dx, String resource, String gatewayId) {
        try {
            return call(resource, "DescribeDirectConnectGateways", () -> dx.describeDirectConnectGateways(r -> r.directConnectGatewayId(gatewayId)))
                    .directConnectGateways().stream().filter(g -> gatewayId.equals(g.directConnectGatewayId())).findFirst();
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    /** The associations of one Direct Connect gateway (optionally only those with {@code associatedGatewayId}), all pages. */
    public static List<DirectConnectGatewayAssociation> associations(DirectConnectClient dx, String resource, String gatewayId, String associatedGatewayId,
                                                                     AwsRequestOverrideConfiguration o) {
        List<DirectConnectGatewayAssociation> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            DescribeDirectConnectGatewayAssociationsResponse page = call(resource, "DescribeDirectConnectGatewayAssociations", () ->
                    dx.describeDirectConnectGatewayAssociations(r -> r.directConnectGatewayId(gatewayId).associatedGatewayId(associatedGatewayId)
                            .maxResults(PAGE_SIZE).nextToken(t).overrideConfiguration(o)));
            out.addAll(page.directConnectGatewayAssociations());
            token = blankToNull(page.nextToken());
        } while (token != null);
        return out;
    }

    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
