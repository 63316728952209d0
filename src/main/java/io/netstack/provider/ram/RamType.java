package io.netstack.provider.ram;

import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsType;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ram.RamClient;

/**
 * An AWS RAM type: {@link AwsType} over the session's RAM client, with RAM's error model mapped.
 * RAM names its errors {@code …Exception} (API reference, "Errors"), which the EC2-shaped rules of
 * {@link AwsCalls#category} do not recognise: a missing share is {@code UnknownResourceException},
 * a missing resource {@code ResourceArnNotFoundException}, a server fault {@code ServerInternalException}.
 */
public abstract class RamType extends AwsType<RamClient> {
    static final Map<String, ErrorCategory> CODES = Map.ofEntries(
            Map.entry("UnknownResourceException", ErrorCategory.NOT_FOUND),
            Map.entry("ResourceArnNotFoundException", ErrorCategory.NOT_FOUND),
            Map.entry("ResourceShareInvitationArnNotFoundException", ErrorCategory.NOT_FOUND),
            Map.entry("ServerInternalException", ErrorCategory.TRANSIENT),
            Map.entry("ServiceUnavailableException", ErrorCategory.TRANSIENT),
            Map.entry("InvalidParameterException", ErrorCategory.INVALID_REQUEST),
            Map.entry("MalformedArnException", ErrorCategory.INVALID_REQUEST),
            Map.entry("MissingRequiredParameterException", ErrorCategory.INVALID_REQUEST),
            Map.entry("InvalidResourceTypeException", ErrorCategory.INVALID_REQUEST),
            Map.entry("OperationNotPermittedException", ErrorCategory.INVALID_REQUEST),
            Map.entry("InvalidStateTransitionException", ErrorCategory.CONFLICT),
            Map.entry("IdempotentParameterMismatchException", ErrorCategory.CONFLICT));

    protected RamType(AwsSession aws, String name, String noun, io.netstack.spi.Schema schema) {
        super(aws, AwsSession::ram, RamType::calls, name, noun, schema);
    }

    protected RamClient ram() {
        return client();
    }

    /** One RAM call, its failure's category remapped by RAM's error codes. */
    public static <T> T calls(String id, String action, Supplier<T> call) {
        try {
            return AwsCalls.call(id, action, call);
        } catch (AwsFailure f) {
            ErrorCategory c = f.code() == null ? null : CODES.get(f.code());
            if (c == null || c == f.category()) throw f;
            AwsFailure m = new AwsFailure(c, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f.getCause());
            m.setStackTrace(f.getStackTrace());
            throw m;
        }
    }
}
