package io.netstack.provider;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.directconnect.DirectConnectClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The SDK clients of one run, built once and shared by every type (clients are thread-safe).
 *
 * <p>Retries: STANDARD mode on purpose, not LEGACY (the SDK default) — standard has the
 * throttling-aware backoff (1 s base, 20 s cap for RequestLimitExceeded) and a retry quota that
 * stops a client from hammering a failing endpoint; ADAPTIVE is deprecated and ADAPTIVE_V2 is
 * advised only for clients scoped to one resource (aws-facts.md, "SDK for Java v2 retries").
 * The SDK does not retry eventual-consistency NotFound or DependencyViolation: {@code spi.Retry} does.
 */
public final class AwsSession implements AutoCloseable {
    /** A stuck TCP connection must not hang a plan: AWS answers Describe calls in well under this. */
    static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final AwsSettings settings;
    private final SdkHttpClient http;
    private volatile Ec2Client ec2;
    private volatile DirectConnectClient dx;
    private volatile CloudFrontClient cloudFront;

    public AwsSession(AwsSettings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(API_CALL_ATTEMPT_TIMEOUT)
                .build();
    }

    public AwsSettings settings() {
        return settings;
    }

    public String region() {
        return settings.region();
    }

    public Ec2Client ec2() {
        if (ec2 == null) {
            synchronized (this) {
                if (ec2 == null) ec2 = configure(Ec2Client.builder(), settings.region()).httpClient(http).build();
            }
        }
        return ec2;
    }

    public DirectConnectClient directConnect() {
        if (dx == null) {
            synchronized (this) {
                if (dx == null) dx = configure(DirectConnectClient.builder(), settings.region()).httpClient(http).build();
            }
        }
        return dx;
    }

    /** CloudFront is global: its API lives in us-east-1 and signs with region aws-global. */
    public CloudFrontClient cloudFront() {
        if (cloudFront == null) {
            synchronized (this) {
                if (cloudFront == null) cloudFront = configure(CloudFrontClient.builder(), "aws-global").httpClient(http).build();
            }
        }
        return cloudFront;
    }

    /** A client for another region (peering accepters, cross-region TGW peering). */
    public Ec2Client ec2(String region) {
        if (region == null || region.equals(settings.region())) return ec2();
        return configure(Ec2Client.builder(), region).httpClient(http).build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B b, String region) {
        b.region(Region.of(region)).credentialsProvider(credentials());
        if (settings.endpoint() != null) b.endpointOverride(settings.endpoint());
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
                .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT);
        settings.interceptors().forEach(o::addExecutionInterceptor);
        b.overrideConfiguration(o.build());
        return b;
    }

    private AwsCredentialsProvider credentials() {
        if (settings.profile() != null) return ProfileCredentialsProvider.create(settings.profile());
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public void close() {
        if (ec2 != null) ec2.close();
        if (dx != null) dx.close();
        if (cloudFront != null) cloudFront.close();
        http.close();
    }
}
