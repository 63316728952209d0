package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every SDK call goes through {@link #call}, which turns SDK exceptions into {@link AwsFailure}s
 * naming the resource, the API action, AWS's error code and request id.
 */
public final class AwsCalls {
    /** Codes in the SDK's throttling set plus the service-specific ones (AwsErrorCode.THROTTLING_ERROR_CODES). */
    private static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "ThrottledException", "TooManyRequestsException", "RequestThrottled", "RequestThrottledException",
            "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "BandwidthLimitExceeded", "LimitExceededException_Throttle");
    private static final Set<String> ACCESS = Set.of("AuthFailure", "UnauthorizedOperation", "AccessDenied", "AccessDeniedException",
            "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch", "OptInRequired", "Blocked");
    private static final Set<String> NOT_FOUND = Set.of("NoSuchDistribution", "NoSuchOrigin", "DirectConnectGatewayNotFound",
            "ResourceNotFoundException", "NotFoundException", "InvalidAssociationID.NotFound");

    private AwsCalls() {}

    public static <T> T call(String resource, String action, Supplier<T> s) {
        try {
            return s.get();
        } catch (SdkException e) {
            throw map(resource, action, e);
        }
    }

    public static void run(String resource, String action, Runnable r) {
        call(resource, action, () -> {
            r.run();
            return null;
        });
    }

    public static AwsFailure map(String resource, String action, SdkException e) {
        if (e instanceof AwsServiceException se) {
            String code = se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode();
            String msg = se.awsErrorDetails() == null || se.awsErrorDetails().errorMessage() == null ? se.getMessage() : se.awsErrorDetails().errorMessage();
            return new AwsFailure(category(code, se.statusCode(), msg), resource, action, code, se.requestId(), msg, e);
        }
        if (e instanceof SdkClientException && e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")) {
            return new AwsFailure(ErrorCategory.ACCESS_DENIED, resource, action, null, null,
                    "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile, or run where an instance/container role is available", e);
        }
        if (e instanceof SdkClientException) {
            return new AwsFailure(ErrorCategory.TRANSIENT, resource, action, null, null, "could not reach AWS: " + e.getMessage(), e);
        }
        return new AwsFailure(ErrorCategory.OTHER, resource, action, null, null, e.getMessage(), e);
    }

    public static ErrorCategory category(String code, int status, String message) {
        if (code != null) {
            if (THROTTLING.contains(code)) return ErrorCategory.THROTTLED;
            if (ACCESS.contains(code)) return ErrorCategory.ACCESS_DENIED;
            if (code.equals("DependencyViolation")) return ErrorCategory.DEPENDENCY_VIOLATION;
            if (code.endsWith(".NotFound") || code.endsWith("NotFound") || NOT_FOUND.contains(code)) return ErrorCategory.NOT_FOUND;
            if (code.endsWith(".Malformed") && message != null && message.contains("does not exist")) return ErrorCategory.NOT_FOUND;
            if (code.contains("Duplicate") || code.contains("AlreadyExists") || code.contains("LimitExceeded")
                    || code.equals("IncorrectState") || code.endsWith(".InUse") || code.equals("IdempotentParameterMismatch")) return ErrorCategory.CONFLICT;
            if (code.equals("InternalError") || code.equals("InternalFailure") || code.equals("ServiceUnavailable") || code.equals("Unavailable")) return ErrorCategory.TRANSIENT;
            // Before the "Invalid…" prefix, which would catch InvalidAction: an endpoint (moto,
            // LocalStack) that lacks the action answers InvalidAction, and callers fall back on UNSUPPORTED.
            if (code.equals("InvalidAction") || code.equals("NotImplemented")) return ErrorCategory.UNSUPPORTED;
            if (code.startsWith("Invalid") || code.startsWith("Missing") || code.equals("ValidationError") || code.equals("UnknownParameter")) return ErrorCategory.INVALID_REQUEST;
        }
        if (status == 501) return ErrorCategory.UNSUPPORTED;
        if (status >= 500) return ErrorCategory.TRANSIENT;
        if (status == 404) return ErrorCategory.NOT_FOUND;
        if (status == 429) return ErrorCategory.THROTTLED;
        return ErrorCategory.OTHER;
    }
}
