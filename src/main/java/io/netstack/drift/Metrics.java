package io.netstack.drift;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduled drift checker's state, served as Prometheus text on {@code /metrics}, and
 * {@code /healthz} (200 while the scheduler runs, with the time of the last run).
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

    /** Serves /metrics and /healthz on {@code host:port} (port 0 picks a free one); returns the port. */
    public int serve(String host, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4", render()));
        server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok\n"));
        server.setExecutor(null);
        server.start();
        return server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
    }
}
