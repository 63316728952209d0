package io.netstack.spi;

/** The closed set of failure kinds the engine reacts to; providers map AWS error codes onto it. */
public enum ErrorCategory {
    /** Throttled by AWS (RequestLimitExceeded and friends): retry with backoff. */
    THROTTLED,
    /** 5xx, connection reset, timeouts: retry with backoff. */
    TRANSIENT,
    /** The object (or one it names) does not exist: real, or eventual consistency right after a create. */
    NOT_FOUND,
    /** Another object still depends on this one (DependencyViolation): retry deletes for a while. */
    DEPENDENCY_VIOLATION,
    /** Already exists / conflicting state / limit reached: the user must act. */
    CONFLICT,
    /** AWS rejected the request's parameters. */
    INVALID_REQUEST,
    /** Credentials missing, expired or not allowed. */
    ACCESS_DENIED,
    /** The object reached a failed state (AWS's own message attached). */
    FAILED_STATE,
    /** A named timeout ran out while waiting or retrying. */
    TIMEOUT,
    /** The API does not support the call (e.g. a local AWS emulator lacks it). */
    UNSUPPORTED,
    /** Anything else. */
    OTHER;

    public boolean retryable() {
        return this == THROTTLED || this == TRANSIENT;
    }
}
