package io.netstack.provider;

import io.netstack.provider.ratelimit.RateLimiter;
import io.netstack.spi.Pressure;
import io.netstack.spi.Sleeper;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.TrustManager;
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
 * <p><b>Retries: the SDK's STANDARD strategy with {@link AwsSettings#DEFAULT_MAX_ATTEMPTS} attempts,
 * set here explicitly</b> so that neither {@code AWS_RETRY_MODE} nor a profile's {@code retry_mode}
 * changes how netstack behaves (docs/aws-facts.md, "SDK for Java v2 retries"). Why this one:
 * <ul>
 *   <li>STANDARD is the mode every AWS SDK and the AWS CLI share (LEGACY, the Java SDK's default, is
 *       Java-specific and backs throttling off from 500 ms); it treats {@code RequestLimitExceeded}
 *       as throttling and backs off from 1 s (cap 20 s, full jitter), which suits EC2's token
 *       buckets: a mutating bucket refills 5 tokens a second, so retrying sooner only burns the next
 *       token. 8 attempts instead of its 3 ride out ~60 s of throttling ({@link AwsSettings});</li>
 *   <li>STANDARD retries what is safe to retry at the transport level — 500/502/503/504, I/O errors,
 *       throttling, clock skew — and nothing else. It does not retry {@code Invalid…ID.NotFound}
 *       right after a create or {@code DependencyViolation} on delete; those are netstack's
 *       ({@code spi.Retry} through {@code Ec2Type.mutate/readBack/delete}, with named timeouts);</li>
 *   <li>ADAPTIVE is deprecated; ADAPTIVE_V2 adds a client-side rate limiter that AWS advises only for
 *       clients scoped to one resource, and it cannot know EC2's per-action buckets: pacing to the
 *       buckets is netstack's own rate limiter's job, not the retry strategy's;</li>
 *   <li>its retry quota (500 tokens, 5 per retry, at least 1 back per success) stops retry storms
 *       during an outage. At the ~10 % throttling ThrottlingIT injects it never runs dry; sustained
 *       throttling of more than ~1 call in 6 would drain it, after which throttling errors reach
 *       netstack's own retry (which retries THROTTLED and TRANSIENT in every retried call).</li>
 * </ul>
 * A retried call the first attempt of which did reach AWS (a lost response, or a 5xx after the
 * fact) is harmless for creates that pass a ClientToken (EC2 answers with the first object); for
 * creates without one (CreateVpc, CreateSubnet, CreateSecurityGroup, CreateInternetGateway,
 * AllocateAddress) it can leave a second object with the same ownership tags, which the next plan
 * deletes as a duplicate, keeping the one the stack's other objects use ({@code Planner}).
 */
public final class AwsSession implements AutoCloseable {
    /** A stuck TCP connection must not hang a plan: AWS answers Describe calls in well under this. */
    static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final AwsSettings settings;
    /**
     * Built on first use, like the clients: {@code validate} and {@code schema} construct a session
     * (every type holds one) but must not load the SDK, which is most of a cold start's cost.
     */
    private volatile SdkHttpClient http;
    private volatile Ec2Client ec2;
    private volatile DirectConnectClient dx;
    private volatile CloudFrontClient cloudFront;
    private final RateLimiter limiter;
    private volatile AwsCredentialsProvider credentials;

    public AwsSession(AwsSettings settings) {
        this(settings, Sleeper.SYSTEM);
    }

    public AwsSession(AwsSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.limiter = new RateLimiter(settings.rateLimits(), sleeper);
    }

    private SdkHttpClient http() {
        if (http == null) {
            synchronized (this) {
                if (http == null) {
                    UrlConnectionHttpClient.Builder b = UrlConnectionHttpClient.builder()
                            .connectionTimeout(CONNECT_TIMEOUT)
                            .socketTimeout(API_CALL_ATTEMPT_TIMEOUT);
                    // The client builds its TLS context up front, parsing the JDK's ~150 CA
                    // certificates (~0.2 s of CPU). With a plain-HTTP endpoint (moto, LocalStack)
                    // every call of this session goes there, no TLS ever happens, so it gets no
                    // trust managers at all (an HTTPS connection would then be refused, not trusted).
                    URI endpoint = settings.endpoint();
                    if (endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme())) b.tlsTrustManagersProvider(() -> new TrustManager[0]);
                    http = b.build();
                }
            }
        }
        return http;
    }

    public AwsSettings settings() {
        return settings;
    }

    /** Throttles seen and calls held back by the rate limiter, for adaptive parallelism. */
    public Pressure pressure() {
        return limiter;
    }

    public String region() {
        return settings.region();
    }

    public Ec2Client ec2() {
        if (ec2 == null) {
            synchronized (this) {
                if (ec2 == null) ec2 = configure(Ec2Client.builder(), settings.region()).httpClient(http()).build();
            }
        }
        return ec2;
    }

    public DirectConnectClient directConnect() {
        if (dx == null) {
            synchronized (this) {
                if (dx == null) dx = configure(DirectConnectClient.builder(), settings.region()).httpClient(http()).build();
            }
        }
        return dx;
    }

    /** CloudFront is global: its API lives in us-east-1 and signs with region aws-global. */
    public CloudFrontClient cloudFront() {
        if (cloudFront == null) {
            synchronized (this) {
                if (cloudFront == null) cloudFront = configure(CloudFrontClient.builder(), "aws-global").httpClient(http()).build();
            }
        }
        return cloudFront;
    }

    private volatile software.amazon.awssdk.services.ram.RamClient ram;

    /** AWS RAM in the session's region (resource shares are regional). */
    public software.amazon.awssdk.services.ram.RamClient ram() {
        if (ram == null) {
            synchronized (this) {
                if (ram == null) ram = configure(software.amazon.awssdk.services.ram.RamClient.builder(), settings.region()).httpClient(http()).build();
            }
        }
        return ram;
    }

    /** Builds the clients a plan uses (EC2, Direct Connect, CloudFront) now; see {@code Netstack.prewarm}. */
    public void prewarm() {
        ec2();
        directConnect();
        cloudFront();
    }

    private final java.util.Map<String, software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient> tagging =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The Resource Groups Tagging API in {@code region} (owned-type look-ups: {@link OwnedTypes}). */
    private record ClientAction(Object client, String action) {}

    private final java.util.Map<ClientAction, DescribeBatch<?>> batches = new java.util.concurrent.ConcurrentHashMap<>();

    /** The session's shared {@link DescribeBatch} of {@code action} on {@code client} (SDK clients compare by identity). */
    @SuppressWarnings("unchecked")
    <T> DescribeBatch<T> batch(Object client, String action) {
        return (DescribeBatch<T>) batches.computeIfAbsent(new ClientAction(client, action), k -> new DescribeBatch<>(System::nanoTime));
    }

    /** AWS id → when this session created it (nanoTime): see {@link #created} and {@link #fresh}. */
    private final java.util.Map<String, Long> created = new java.util.concurrent.ConcurrentHashMap<>();

    /** Records that this session has just created {@code awsId} (its create call answered). */
    public void created(String awsId) {
        if (awsId != null) created.put(awsId, System.nanoTime());
    }

    /**
     * Whether this session created {@code awsId} less than {@link AwsType#PROPAGATION_TIMEOUT} ago:
     * a NotFound about it may then be EC2's eventual consistency (docs/aws-facts.md, "Eventual
     * consistency") rather than an object deleted by hand, and is worth retrying. Lets an update
     * skip the existence check a read would cost (issue 12): only a write about a fresh object
     * retries NotFound, any other NotFound fails at once.
     */
    public boolean fresh(String awsId) {
        Long at = awsId == null ? null : created.get(awsId);
        return at != null && System.nanoTime() - at < AwsType.PROPAGATION_TIMEOUT.toNanos();
    }

    private final GlobalMarkers markers = new GlobalMarkers(this);

    /** The session's view of each stack's global-type marker ({@link GlobalMarkers}). */
    public GlobalMarkers markers() {
        return markers;
    }

    private final java.util.Set<String> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * {@link #fresh} for the first caller only: true once for an object this session just created
     * and nobody has used yet (an Elastic IP no NAT gateway of this session was given: none can be
     * holding it, not even one this session deleted since).
     */
    public boolean claimFresh(String awsId) {
        return fresh(awsId) && claimed.add(awsId);
    }

    /** The session's cache of each VPC's default network ACL id, which never changes for a VPC's lifetime. */
    private final java.util.Map<String, String> defaultNetworkAcls = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The default network ACL of {@code vpcId}, read at most once per session: AWS makes it with the
     * VPC and it cannot be deleted or replaced while the VPC exists (Amazon VPC user guide, "Default
     * network ACL"), so every type that needs it (vpc reads it, network-acl gives subnets back to
     * it) shares one read per VPC (issue 12).
     */
    public String defaultNetworkAcl(String vpcId, java.util.function.Function<String, String> read) {
        return defaultNetworkAcls.computeIfAbsent(vpcId, read);
    }

    /** Records the default network ACL of {@code vpcId} a read has just seen (see {@link #defaultNetworkAcl}). */
    public void knownDefaultNetworkAcl(String vpcId, String aclId) {
        if (vpcId != null && aclId != null) defaultNetworkAcls.put(vpcId, aclId);
    }

    /** The session's view of each VPC's Amazon-provided IPv6 block, as the vpc type last read or made it. */
    private final java.util.Map<String, String> vpcIpv6 = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Records the IPv6 block of {@code vpcId} that the vpc type has just read (or none): subnets
     * created in the same run take their /64 from it instead of reading the VPC again (issue 12).
     */
    public void knownVpcIpv6(String vpcId, String ipv6Cidr) {
        if (vpcId != null) vpcIpv6.put(vpcId, ipv6Cidr == null ? "" : ipv6Cidr);
    }

    /** Forgets what this session knows of the IPv6 block of {@code vpcId} (it is being changed). */
    public void unknownVpcIpv6(String vpcId) {
        if (vpcId != null) vpcIpv6.remove(vpcId);
    }

    /** The IPv6 block of {@code vpcId} as this session last saw it, if it saw one. */
    public java.util.Optional<String> vpcIpv6(String vpcId) {
        String v = vpcId == null ? null : vpcIpv6.get(vpcId);
        return v == null || v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v);
    }

    /** Whether this session last saw {@code vpcId} without an IPv6 block (false if it does not know). */
    public boolean vpcWithoutIpv6(String vpcId) {
        return vpcId != null && "".equals(vpcIpv6.get(vpcId));
    }

    public software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient tagging(String region) {
        return tagging.computeIfAbsent(region, r -> configure(
                software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient.builder(), r).httpClient(http()).build());
    }

    /** A client for another region (peering accepters, cross-region TGW peering). */
    public Ec2Client ec2(String region) {
        if (region == null || region.equals(settings.region())) return ec2();
        return configure(Ec2Client.builder(), region).httpClient(http()).build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B b, String region) {
        b.region(Region.of(region)).credentialsProvider(credentials());
        if (settings.endpoint() != null) b.endpointOverride(settings.endpoint());
        ClientOverrideConfiguration.Builder o = ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
                .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT);
        o.addExecutionInterceptor(limiter);
        settings.interceptors().forEach(o::addExecutionInterceptor);
        b.overrideConfiguration(o.build());
        return b;
    }

    /**
     * One provider for all of the session's clients: the default chain remembers which link gave
     * credentials and caches them, so EC2, Direct Connect and CloudFront do not each walk the chain
     * (environment, system properties, profile files, SSO, container and instance metadata).
     */
    private AwsCredentialsProvider credentials() {
        if (credentials == null) {
            synchronized (this) {
                if (credentials == null) {
                    AwsCredentialsProvider base = settings.profile() != null
                            ? ProfileCredentialsProvider.create(settings.profile())
                            : DefaultCredentialsProvider.builder().build();
                    AwsSettings.AccountAccess a = settings.account();
                    credentials = a != null && a.roleArn() != null ? assumed(base, a) : base;
                }
            }
        }
        return credentials;
    }

    /** The STS client that assumes the stack's role, with the command's own credentials. */
    private volatile software.amazon.awssdk.services.sts.StsClient assumeClient;

    /**
     * The stack's role through STS {@code AssumeRole}; the provider refreshes the credentials
     * before they expire (AWS: 1 hour by default), so an apply that waits 40 minutes for a VPN
     * connection keeps working. The regional STS endpoint of the stack's region (AWS recommends
     * regional endpoints over the global one, STS user guide "Managing AWS STS in an AWS Region").
     */
    private AwsCredentialsProvider assumed(AwsCredentialsProvider base, AwsSettings.AccountAccess a) {
        String region = settings.region() == null ? "us-east-1" : settings.region();
        software.amazon.awssdk.services.sts.StsClientBuilder b = software.amazon.awssdk.services.sts.StsClient.builder()
                .region(Region.of(region)).credentialsProvider(base).httpClient(http());
        if (settings.endpoint() != null) b.endpointOverride(settings.endpoint());
        b.overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
                .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT).build());
        assumeClient = b.build();
        software.amazon.awssdk.services.sts.model.AssumeRoleRequest.Builder req = software.amazon.awssdk.services.sts.model.AssumeRoleRequest.builder()
                .roleArn(a.roleArn()).roleSessionName(a.sessionName() == null ? "netstack" : a.sessionName());
        if (a.externalId() != null) req.externalId(a.externalId());
        return software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider.builder()
                .stsClient(assumeClient).refreshRequest(req.build()).build();
    }

    /** Who the session's calls act as: {@code GetCallerIdentity}'s account and ARN. */
    public record Identity(String account, String arn) {}

    private volatile Identity identity;
    private volatile software.amazon.awssdk.services.sts.StsClient sts;

    /**
     * The identity this session's calls run as (one {@code sts:GetCallerIdentity}, which needs no
     * IAM permission and cannot be denied: STS API reference), checked against the stack's declared
     * account: a stack never reads or writes in an account other than the one its file names.
     * With a role, this is also where {@code AssumeRole} happens, so a role that cannot be assumed
     * fails here, before any read, naming the role.
     */
    public Identity identity(String stack) {
        if (identity == null) {
            synchronized (this) {
                if (identity == null) {
                    AwsSettings.AccountAccess a = settings.account();
                    software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse r;
                    try {
                        r = sts().getCallerIdentity();
                    } catch (software.amazon.awssdk.core.exception.SdkException e) {
                        // AssumeRole runs inside the credentials provider, on the first call: with a
                        // role, a failure here is almost always the role (trust policy, external id).
                        boolean role = a != null && a.roleArn() != null;
                        throw AwsCalls.map("stack " + stack + (role ? " (role " + a.roleArn() + ")" : ""), role ? "AssumeRole" : "GetCallerIdentity", e);
                    }
                    Identity id = new Identity(r.account(), r.arn());
                    if (a != null && a.id() != null && !a.id().equals(id.account())) {
                        throw new io.netstack.spi.AwsFailure(io.netstack.spi.ErrorCategory.ACCESS_DENIED, "stack " + stack, null,
                                "the stack file says account " + a.id() + ", but its credentials act as " + id.arn() + " in account " + id.account()
                                        + "; nothing was read or changed. Fix \"account\" in the file or the credentials (--profile, AWS_PROFILE, the role)");
                    }
                    identity = id;
                }
            }
        }
        return identity;
    }

    private software.amazon.awssdk.services.sts.StsClient sts() {
        if (sts == null) {
            synchronized (this) {
                if (sts == null) sts = configure(software.amazon.awssdk.services.sts.StsClient.builder(), settings.region() == null ? "us-east-1" : settings.region())
                        .httpClient(http()).build();
            }
        }
        return sts;
    }

    @Override
    public void close() {
        if (sts != null) sts.close();
        if (assumeClient != null) assumeClient.close();
        if (ec2 != null) ec2.close();
        if (dx != null) dx.close();
        if (cloudFront != null) cloudFront.close();
        if (ram != null) ram.close();
        tagging.values().forEach(software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient::close);
        if (http != null) http.close();
    }
}
