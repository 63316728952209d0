package io.netstack.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Resolves {@link AwsApi} parameters of test constructors and methods:
 *
 * <pre>{@code
 * @ExtendWith(AwsApiExtension.class)
 * class VpcTypeIT {
 *     @Test void roundTrip(AwsApi aws) {
 *         String stack = aws.uniqueStack("vpc");
 *         try (Ec2Client ec2 = aws.ec2("us-east-1")) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>The API is found once per JVM, first match wins:
 * <ol>
 *   <li>{@code NETSTACK_TEST_ENDPOINT}, if set: that URL, kind {@code env} ({@code .ci/run} sets it
 *       to the moto server it starts, so every test JVM of the build shares one server; by hand:
 *       {@code export NETSTACK_TEST_ENDPOINT=$(scripts/local-aws start)});
 *   <li>LocalStack ({@value #LOCALSTACK_IMAGE}) through Testcontainers, kind {@code localstack}, when
 *       a Docker engine answers; {@code LOCALSTACK_AUTH_TOKEN} is passed on if set. If the container
 *       does not start, a warning goes to stderr and the next way is tried;
 *   <li>{@code moto_server} from PATH, started on a free loopback port, kind {@code moto}; its log is
 *       {@code target/moto-server/moto-PORT.log}.
 * </ol>
 * A server or container started here lives until the JVM exits (a shutdown hook stops it).
 *
 * <p>When no API can be had the test <b>fails</b> with a message that says why and what to install;
 * it is never skipped: a green build must mean the integration tests ran.
 */
public final class AwsApiExtension implements ParameterResolver {

    public static final String ENDPOINT_VARIABLE = "NETSTACK_TEST_ENDPOINT";
    /** Pinned: LocalStack's EC2 (a moto fork) changes between releases, tests must not drift with it. */
    public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.4";

    /**
     * Testcontainers decides in well under a second when no engine exists (no socket, no
     * DOCKER_HOST); the bound only guards against a socket whose engine hangs.
     */
    private static final Duration DOCKER_CHECK_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ENDPOINT_CHECK_TIMEOUT = Duration.ofSeconds(10);

    private static final Object LOCK = new Object();
    private static AwsApi shared; // guarded by LOCK
    private static RuntimeException failure; // guarded by LOCK: a failed discovery is not retried per test
    private static boolean hookAdded; // guarded by LOCK
    private static final List<Runnable> STOPPERS = new ArrayList<>(); // guarded by LOCK

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == AwsApi.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return shared();
        } catch (RuntimeException e) {
            throw new ParameterResolutionException("No AWS API for this test. " + e.getMessage(), e);
        }
    }

    /** The JVM's AWS API, found (and started) on first use. */
    public static AwsApi shared() {
        synchronized (LOCK) {
            if (shared != null) {
                return shared;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                shared = discover(System.getenv());
                System.err.println("[AwsApiExtension] integration tests use " + shared);
                return shared;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
    }

    static AwsApi discover(Map<String, String> env) {
        String configured = env.get(ENDPOINT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return fromEnvironment(configured.trim());
        }
        List<String> tried = new ArrayList<>();
        tried.add(ENDPOINT_VARIABLE + " is not set");
        String docker = dockerUnavailableReason();
        if (docker == null) {
            try {
                return startLocalStack(env.get("LOCALSTACK_AUTH_TOKEN"));
            } catch (RuntimeException e) {
                String reason = "LocalStack (" + LOCALSTACK_IMAGE + ") did not start: " + e;
                System.err.println("[AwsApiExtension] WARNING: " + reason + "; falling back to moto_server");
                tried.add(reason);
            }
        } else {
            tried.add("LocalStack needs Docker: " + docker);
        }
        try {
            return startMoto(env.get("PATH"));
        } catch (RuntimeException e) {
            tried.add(e.getMessage());
            throw new IllegalStateException(String.join("; ", tried)
                    + ". Or point the tests at a running AWS API: export " + ENDPOINT_VARIABLE
                    + "=$(scripts/local-aws start)", e);
        }
    }

    /** The endpoint named by {@code NETSTACK_TEST_ENDPOINT}, checked to answer HTTP at all. */
    static AwsApi fromEnvironment(String value) {
        URI endpoint;
        AwsApi api;
        try {
            endpoint = URI.create(value);
            api = new AwsApi(endpoint, AwsApi.KIND_ENV);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + "=" + value + " is not usable: " + e.getMessage(), e);
        }
        try {
            AwsApi.http().send(HttpRequest.newBuilder(api.endpoint().resolve("/"))
                            .timeout(ENDPOINT_CHECK_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()); // any HTTP answer will do
        } catch (IOException e) {
            throw new IllegalStateException(ENDPOINT_VARIABLE + "=" + value + " does not answer (" + e
                    + "). Start a server with scripts/local-aws start, or unset " + ENDPOINT_VARIABLE
                    + " to let the tests start one", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + ENDPOINT_VARIABLE + "=" + value, e);
        }
        return api;
    }

    /** Null when a Docker engine answers, else why not. Bounded in time: it must never hang a build. */
    private static String dockerUnavailableReason() {
        FutureTask<Boolean> check = new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(check, "netstack-docker-check");
        thread.setDaemon(true);
        thread.start();
        try {
            return check.get(DOCKER_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    ? null : "no Docker engine found";
        } catch (TimeoutException e) {
            check.cancel(true);
            return "the Docker check did not finish within " + DOCKER_CHECK_TIMEOUT.toSeconds() + " s";
        } catch (ExecutionException e) {
            return "the Docker check failed: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking for Docker";
        }
    }

    private static AwsApi startLocalStack(String authToken) {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE));
        if (authToken != null && !authToken.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", authToken);
        }
        container.start();
        onExit(container::stop);
        return new AwsApi(container.getEndpoint(), AwsApi.KIND_LOCALSTACK);
    }

    private static AwsApi startMoto(String path) {
        MotoServer server = MotoServer.start(path);
        onExit(server::stop);
        System.err.println("[AwsApiExtension] started moto_server at " + server.endpoint() + ", log " + server.log());
        return new AwsApi(server.endpoint(), AwsApi.KIND_MOTO);
    }

    private static void onExit(Runnable stopper) {
        synchronized (LOCK) {
            STOPPERS.add(stopper);
            if (!hookAdded) {
                hookAdded = true;
                Runtime.getRuntime().addShutdownHook(new Thread(AwsApiExtension::stopAll, "netstack-aws-api-stop"));
            }
        }
    }

    private static void stopAll() {
        List<Runnable> stoppers;
        synchronized (LOCK) {
            stoppers = new ArrayList<>(STOPPERS);
            STOPPERS.clear();
        }
        for (Runnable stopper : stoppers) {
            try {
                stopper.run();
            } catch (RuntimeException e) {
                System.err.println("[AwsApiExtension] could not stop a test AWS API: " + e);
            }
        }
    }
}
