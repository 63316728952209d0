package io.netstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * An AWS API that integration tests run against: moto, LocalStack, or whatever endpoint
 * {@code NETSTACK_TEST_ENDPOINT} names. Get one by declaring a parameter of this type in a test
 * class constructor or test method of a class annotated {@code @ExtendWith(AwsApiExtension.class)}.
 *
 * <p><b>Tests share the server.</b> One server serves every test class of a JVM, and under
 * {@code .ci/run} every JVM of the build. Isolate tests by giving each its own stack name
 * ({@link #uniqueStack(String)}) and by looking only at resources tagged with it, never by
 * {@link #reset() resetting} the server, which would wipe the resources of tests running beside
 * yours.
 */
public final class AwsApi {

    /** {@link #kind()} of an endpoint given by the {@code NETSTACK_TEST_ENDPOINT} variable. */
    public static final String KIND_ENV = "env";
    /** {@link #kind()} of a LocalStack container started through Testcontainers. */
    public static final String KIND_LOCALSTACK = "localstack";
    /** {@link #kind()} of a {@code moto_server} started by {@link AwsApiExtension}. */
    public static final String KIND_MOTO = "moto";

    public static final Set<String> KINDS = Set.of(KIND_ENV, KIND_LOCALSTACK, KIND_MOTO);

    /** Credentials every local backend accepts (moto and LocalStack take any static keys). */
    public static final String ACCESS_KEY_ID = "test";
    public static final String SECRET_ACCESS_KEY = "test";

    /** What {@link #uniqueStack(String)} returns: a valid netstack stack name. */
    public static final Pattern STACK_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    private static final int STACK_NAME_MAX = 40;
    private static final int SUFFIX_LENGTH = 6; // 36^6 ≈ 2e9 names per prefix: collisions are moot
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** Whole SDK call, generous: moto answers in milliseconds, but nothing may hang a build. */
    private static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(60);
    /** For the plain HTTP calls to moto's own API (reset, detection). */
    private static final Duration MOTO_API_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final String kind;
    private volatile Boolean moto; // lazily probed for KIND_ENV

    public AwsApi(URI endpoint, String kind) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(kind, "kind");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + KINDS + ", not " + kind);
        }
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("endpoint must be an http(s) URL such as http://127.0.0.1:5000, not "
                    + endpoint);
        }
        this.endpoint = "/".equals(endpoint.getPath()) ? URI.create(endpoint.toString().replaceFirst("/$", ""))
                : endpoint;
        this.kind = kind;
        this.moto = switch (kind) {
            case KIND_MOTO -> Boolean.TRUE;
            case KIND_LOCALSTACK -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The base URL of the API, e.g. {@code http://127.0.0.1:45123}. */
    public URI endpoint() {
        return endpoint;
    }

    /** {@code "env"}, {@code "localstack"} or {@code "moto"}: see {@link AwsApiExtension}. */
    public String kind() {
        return kind;
    }

    /**
     * A new EC2 client for this API in {@code region} (moto keeps one backend per region, chosen by
     * the signing region). Retries are off, so a call that the backend does not implement (moto
     * answers those with an HTML 500) fails at once with that error instead of after backoff.
     * The client holds no threads or pooled connections; closing it is good manners, not a must.
     */
    public Ec2Client ec2(String region) {
        return Ec2Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(requireRegion(region)))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .build())
                .build();
    }

    /**
     * The environment a {@code netstack} CLI process needs to use this API in {@code region}: add it
     * to the {@link ProcessBuilder#environment()} of the child.
     */
    public Map<String, String> cliEnv(String region) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        env.put("AWS_REGION", requireRegion(region));
        return Map.copyOf(env);
    }

    /**
     * A stack name no other test uses: {@code prefix}, cleaned to the stack name alphabet and cut
     * to fit, plus {@code -} and a random suffix. Always matches {@link #STACK_NAME}.
     */
    public String uniqueStack(String prefix) {
        return uniqueStackName(prefix);
    }

    static String uniqueStackName(String prefix) {
        String clean = (prefix == null ? "" : prefix).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-")
                .replaceAll("^[^a-z]+", "")
                .replaceAll("-+$", "");
        if (clean.isEmpty()) {
            clean = "t";
        }
        int room = STACK_NAME_MAX - SUFFIX_LENGTH - 1;
        if (clean.length() > room) {
            clean = clean.substring(0, room).replaceAll("-+$", "");
        }
        StringBuilder name = new StringBuilder(clean).append('-');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            name.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    /**
     * Whether the API is a moto server: true for {@code moto}, false for {@code localstack}; for
     * {@code env}, asked once of the server (moto serves its dashboard at {@code /moto-api/}).
     */
    public boolean isMoto() {
        Boolean known = moto;
        if (known == null) {
            known = probeMoto();
            moto = known;
        }
        return known;
    }

    /**
     * Best effort: wipes all state of a moto server ({@code POST /moto-api/reset}); does nothing on
     * other backends. <b>Prefer {@link #uniqueStack(String) unique stack names}:</b> the server is
     * shared by every test of the JVM (and of the build under {@code .ci/run}), so a reset can pull
     * resources away from a test running at the same time. Use it only where no other test can run.
     *
     * @throws IllegalStateException if moto answers the reset with an error
     * @throws UncheckedIOException if moto cannot be reached
     */
    public void reset() {
        if (!isMoto()) {
            return;
        }
        try {
            HttpResponse<String> response = http().send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                            .timeout(MOTO_API_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto at " + endpoint + " answered POST /moto-api/reset with HTTP "
                        + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not reset moto at " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting moto at " + endpoint, e);
        }
    }

    private boolean probeMoto() {
        try {
            HttpResponse<String> response = http().send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(MOTO_API_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("<title>Moto</title>");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One plain HTTP client for moto's own API, made on first use. */
    static HttpClient http() {
        return Http.CLIENT;
    }

    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static String requireRegion(String region) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region is required, e.g. us-east-1");
        }
        return region;
    }

    @Override
    public String toString() {
        return "AwsApi[" + kind + " " + endpoint + "]";
    }
}
