package io.netstack.provider;

import java.net.URI;
import io.netstack.provider.ratelimit.RateLimits;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * How to reach AWS. {@code endpoint} (from {@code --endpoint-url} or {@code AWS_ENDPOINT_URL})
 * points every client at one URL, which is how netstack talks to moto or LocalStack.
 * {@code interceptors} let tests count or fake SDK calls through the real request path.
 * {@code rateLimits}: the EC2 token buckets netstack paces its calls to (on by default, AWS's
 * documented sizes; {@link RateLimits#OFF} turns pacing off).
 * {@code account}: the stack's own account (a role to assume, the account id the credentials must
 * be in); null = the command's credentials, unchecked.
 */
public record AwsSettings(String region, URI endpoint, String profile, int maxAttempts, List<ExecutionInterceptor> interceptors, RateLimits rateLimits,
                          AccountAccess account) {
    /**
     * A stack's {@code "account"} block as the provider needs it. {@code sessionName} names the
     * assumed-role session (CloudTrail shows it: {@code netstack-<stack>}).
     */
    public record AccountAccess(String id, String roleArn, String externalId, String sessionName) {}

    /**
     * Attempts per call in the SDK's STANDARD retry mode (SDK default is 3). EC2 refills mutating
     * buckets at 5/s; with throttling backoff of 1 s base / 20 s cap, 8 attempts ride out a burst of
     * ~60 s of throttling before netstack's own retry (which also covers throttling) takes over.
     */
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    public AwsSettings {
        if (rateLimits == null) rateLimits = RateLimits.OFF;
    }

    public AwsSettings(String region, URI endpoint, String profile, int maxAttempts, List<ExecutionInterceptor> interceptors, RateLimits rateLimits) {
        this(region, endpoint, profile, maxAttempts, interceptors, rateLimits, null);
    }

    /** With AWS's default buckets for the client-side rate limiter. */
    public AwsSettings(String region, URI endpoint, String profile, int maxAttempts, List<ExecutionInterceptor> interceptors) {
        this(region, endpoint, profile, maxAttempts, interceptors, RateLimits.awsDefaults());
    }

    public AwsSettings withRegion(String r) {
        return new AwsSettings(r, endpoint, profile, maxAttempts, interceptors, rateLimits, account);
    }

    public AwsSettings withRateLimit(RateLimits limits) {
        return new AwsSettings(region, endpoint, profile, maxAttempts, interceptors, limits, account);
    }

    public AwsSettings withInterceptors(List<ExecutionInterceptor> list) {
        return new AwsSettings(region, endpoint, profile, maxAttempts, List.copyOf(list), rateLimits, account);
    }

    /** For one stack's account: its profile (if any) instead of the command's, and its role. */
    public AwsSettings withAccount(String stackProfile, AccountAccess access) {
        return new AwsSettings(region, endpoint, stackProfile != null ? stackProfile : profile, maxAttempts, interceptors, rateLimits, access);
    }

    public static AwsSettings of(String region, URI endpoint) {
        return new AwsSettings(region, endpoint, null, DEFAULT_MAX_ATTEMPTS, List.of());
    }
}
