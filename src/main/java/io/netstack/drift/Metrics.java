package io.netstack.drift;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduled drift checker's state, served as Prometheus text on {@code /metrics}, and
 * {@code /healthz} (200 while the scheduler runs).
 */
public final class Metrics implements AutoCloseable {
    public record StackState(DriftReport last, boolean success, long runs, long failures, double lastRunEpochSeconds) {}

    private final Map<String, StackState> stacks = new ConcurrentHashMap<>();
    private HttpServer server;

    public void record(String stack, DriftReport report, boolean success, double epochSeconds) {
        stacks.compute(stack, (k, old) -> new StackState(report != null ? report : old == null ? null : old.last(), success,
                (old == null ? 0 : old.runs()) + 1, (old == null ? 0 : old.failures()) + (success ? 0 : 1), epochSeconds));
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        Map<String, StackState> sorted = new TreeMap<>(stacks);
        sb.append("# HELP netstack_drift_items Drift items found by the last successful check, per stack and class.\n");
        sb.append("# TYPE netstack_drift_items gauge\n");
        sorted.forEach((s, st) -> {
            if (st.last() == null) return;
            for (DriftItem.DriftClass c : DriftItem.DriftClass.values()) {
                sb.append("netstack_drift_items{stack=\"").append(s).append("\",class=\"").append(c.lower()).append("\"} ").append(st.last().count(c)).append('\n');
            }
        });
        sb.append("# HELP netstack_drift_last_run_timestamp_seconds When the last check of the stack ended.\n");
        sb.append("# TYPE netstack_drift_last_run_timestamp_seconds gauge\n");
        sorted.forEach((s, st) -> sb.append("netstack_drift_last_run_timestamp_seconds{stack=\"").append(s).append("\"} ").append(String.format(java.util.Locale.ROOT, "%.3f", st.lastRunEpochSeconds())).append('\n'));
        sb.append("# HELP netstack_drift_last_run_success 1 if the last check of the stack completed, 0 if it failed.\n");
        sb.append("# TYPE netstack_drift_last_run_success gauge\n");
        sorted.forEach((s, st) -> sb.append("netstack_drift_last_run_success{stack=\"").append(s).append("\"} ").append(st.success() ? 1 : 0).append('\n'));
        sb.append("# HELP netstack_drift_runs_total Checks run, per stack.\n");
        sb.append("# TYPE netstack_drift_runs_total counter\n");
        sorted.forEach((s, st) -> sb.append("netstack_drift_runs_total{stack=\"").append(s).append("\"} ").append(st.runs()).append('\n'));
        sb.append("# HELP netstack_drift_failures_total Checks that failed (AWS unreachable, credentials expired, …), per stack.\n");
        sb.append("# TYPE netstack_drift_failures_total counter\n");
        sorted.forEach((s, st) -> sb.append("netstack_drift_failures_total{stack=\"").append(s).append("\"} ").append(st.failures()).append('\n'));
        return sb.toString();
    }

    /** Worker threads of the HTTP server: scrapes are small and quick, a few threads are plenty. */
    static final int SERVER_THREADS = 4;
    /** Connections waiting for a worker; past this a new connection is closed at once. */
    static final int SERVER_QUEUE = 32;
    /**
     * A client that has not sent its whole request within this is disconnected, and one that does
     * not read the answer within {@link #RESPONSE_TIMEOUT} too, so slow or stalled clients cannot
     * hold the workers for long. The JDK's server reads these from system properties once, when it
     * is first used in the JVM (sun.net.httpserver.ServerConfig): set before then, here.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

    static {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_TIMEOUT.toSeconds()));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", String.valueOf(RESPONSE_TIMEOUT.toSeconds()));
    }

    private ThreadPoolExecutor pool;

    /**
     * Serves GET/HEAD /metrics and /healthz on {@code host:port} (port 0 picks a free one); returns
     * the port. Other paths are 404, other methods 405. Requests are handled on a small bounded
     * pool, not on the server's accept thread: with the JDK's default executor one client that
     * sends half a request blocks every other client until it gives up.
     */
    public int serve(String host, int port) throws IOException {
        AtomicInteger n = new AtomicInteger();
        // AbortPolicy: the JDK server closes a connection its executor rejects (ServerImpl.Dispatcher.handle).
        pool = new ThreadPoolExecutor(SERVER_THREADS, SERVER_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(SERVER_QUEUE), r -> {
            Thread t = new Thread(r, "netstack-metrics-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String body;
            String type = "text/plain; charset=utf-8";
            if ("/metrics".equals(path)) {
                body = render();
                type = "text/plain; version=0.0.4; charset=utf-8";
            } else if ("/healthz".equals(path)) {
                body = "ok\n";
            } else {
                reply(ex, 404, type, "not found: netstack serves /metrics and /healthz\n");
                return;
            }
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().add("Allow", "GET, HEAD");
                reply(ex, 405, "text/plain; charset=utf-8", "method " + method + " not allowed: use GET or HEAD\n");
                return;
            }
            reply(ex, 200, type, body);
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        if (ex.getRequestMethod().equals("HEAD")) {
            // No body for HEAD; -1 tells the JDK server so (it warns about a length on HEAD).
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
        if (pool != null) pool.shutdownNow();
    }
}
