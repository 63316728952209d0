package io.netstack.spi;

/**
 * An AWS call that failed, named the way the user needs it: which resource, which API action,
 * AWS's error code and request id. Never carries secrets: messages come from AWS, not the request.
 */
public class AwsFailure extends RuntimeException {
    private final ErrorCategory category;
    private final String resource;
    private final String action;
    private final String code;
    private final String requestId;

    public AwsFailure(ErrorCategory category, String resource, String action, String code, String requestId, String message, Throwable cause) {
        super(message, cause);
        this.category = category;
        this.resource = resource;
        this.action = action;
        this.code = code;
        this.requestId = requestId;
    }

    public AwsFailure(ErrorCategory category, String resource, String action, String message) {
        this(category, resource, action, null, null, message, null);
    }

    public ErrorCategory category() { return category; }
    public String resource() { return resource; }
    public String action() { return action; }
    public String code() { return code; }
    public String requestId() { return requestId; }

    /** {@code nat-a: CreateNatGateway failed: InvalidSubnetID.NotFound: The subnet ID 'subnet-1' does not exist (request 1234)} */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (resource != null) sb.append(resource).append(": ");
        if (action != null) sb.append(action).append(" failed: ");
        if (code != null) sb.append(code).append(": ");
        sb.append(getMessage());
        if (requestId != null) sb.append(" (request ").append(requestId).append(')');
        return sb.toString();
    }

    public AwsFailure withResource(String r) {
        if (resource != null) return this;
        AwsFailure f = new AwsFailure(category, r, action, code, requestId, getMessage(), getCause());
        f.setStackTrace(getStackTrace());
        return f;
    }

    @Override
    public String toString() {
        return describe();
    }
}
