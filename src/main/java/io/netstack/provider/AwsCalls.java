package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.TypeContext;
import java.util.Optional;
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

    /** The codes with which a service refuses an action the caller's policies do not allow. */
    private static final Set<String> DENIED = Set.of("UnauthorizedOperation", "AccessDenied", "AccessDeniedException");
    /** API operations whose IAM action has another name (IAM service authorization reference). */
    private static final java.util.Map<String, String> IAM_ACTION = java.util.Map.of(
            "cloudfront:CreateDistributionWithTags", "cloudfront:CreateDistribution");

    private AwsCalls() {}

    /**
     * The IAM action of a denied call, e.g. {@code directconnect:DescribeDirectConnectGateways}: the
     * service from the SDK's service name, the action from the API operation the call names.
     */
    static String iamAction(AwsServiceException e, String action) {
        String svc = e.awsErrorDetails() == null ? null : e.awsErrorDetails().serviceName();
        String op = action.contains(":") ? action.substring(action.indexOf(':') + 1) : action;
        if (op.contains(" ")) op = op.substring(0, op.indexOf(' '));
        String prefix = action.contains(":") ? action.substring(0, action.indexOf(':')) : iamPrefix(svc);
        if (prefix == null) return op;
        String full = prefix + ":" + op;
        return IAM_ACTION.getOrDefault(full, full);
    }

    /** The SDK's service name ("EC2", "Direct Connect", "Resource Groups Tagging API", …) → IAM's prefix. */
    static String iamPrefix(String sdkServiceName) {
        if (sdkServiceName == null) return null;
        String s = sdkServiceName.toLowerCase(java.util.Locale.ROOT).replaceAll("[ _-]", "");
        return s.startsWith("resourcegroupstagging") || s.equals("tagging") ? "tag" : s;
    }

    /** AWS's message, plus which permission is missing and where to find what the stack needs. */
    static String denied(String iamAction, String awsMessage) {
        return "access to " + iamAction + " denied (" + (awsMessage == null ? "no message" : awsMessage)
                + "); `netstack policy STACK` prints the IAM policy this stack needs";
    }

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

    /**
     * {@code AwsType.mutate} for the helper classes of a type (they are no {@code AwsType}): a call
     * that may name an object created a moment ago retries NotFound for {@link AwsType#PROPAGATION_TIMEOUT}.
     */
    public static <T> T mutate(TypeContext ctx, String resource, String action, Supplier<T> call) {
        return ctx.retrying(resource, action, Set.of(ErrorCategory.NOT_FOUND), AwsType.PROPAGATION_TIMEOUT, () -> call(resource, action, call));
    }

    public static void mutateRun(TypeContext ctx, String resource, String action, Runnable call) {
        mutate(ctx, resource, action, () -> {
            call.run();
            return null;
        });
    }

    /** {@code AwsType.find} for the helper classes of a type: a read whose NotFound means empty (never for a write). */
    public static <T> Optional<T> find(String resource, String action, Supplier<T> call) {
        try {
            return Optional.ofNullable(call(resource, action, call));
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    /** A removal for which NotFound means done: the object (route, association) is already gone. */
    public static void ignoringNotFound(String resource, String action, Supplier<?> call) {
        try {
            call(resource, action, call);
        } catch (AwsFailure f) {
            if (f.category() != ErrorCategory.NOT_FOUND) throw f;
        }
    }

    public static AwsFailure map(String resource, String action, SdkException e) {
        if (e instanceof AwsServiceException se) {
            String code = se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode();
            String msg = se.awsErrorDetails() == null || se.awsErrorDetails().errorMessage() == null ? se.getMessage() : se.awsErrorDetails().errorMessage();
            ErrorCategory category = category(code, se.statusCode(), msg);
            if (category == ErrorCategory.ACCESS_DENIED && DENIED.contains(code) && action != null) msg = denied(iamAction(se, action), msg);
            return new AwsFailure(category, resource, action, code, se.requestId(), msg, e);
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
