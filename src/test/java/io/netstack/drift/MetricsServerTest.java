package io.netstack.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 13 item 6: the drift checker's /healthz and /metrics server. */
class MetricsServerTest {
    Metrics metrics;
    int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Socket> slow = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        metrics = new Metrics();
        port = metrics.serve("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : slow) s.close();
        metrics.close();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientsThatSendHalfARequestDoNotBlockOthers() throws Exception {
        // As many stalled clients as the server has workers, less one: each holds a worker until
        // the request timeout; the others still answer at once.
        for (int i = 0; i < Metrics.SERVER_THREADS - 1; i++) {
            Socket s = new Socket("127.0.0.1", port);
            slow.add(s);
            OutputStream o = s.getOutputStream();
            o.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
            o.flush();
        }
        Thread.sleep(200); // let the server pick them up
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("GET", "/healthz");
        assertEquals(200, r.statusCode());
        assertEquals("ok\n", r.body());
        assertEquals(200, send("GET", "/metrics").statusCode());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos());
    }

    /**
     * More stalled clients than workers and queue: the server disconnects them after its request
     * timeout and answers again. In a JVM of its own, because the JDK server reads its timeouts
     * once per JVM, and other tests here start JDK servers first.
     */
    @Test
    void stalledClientsAreDisconnectedAfterTheRequestTimeout() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Flood.class.getName(), String.valueOf(Metrics.SERVER_THREADS + Metrics.SERVER_QUEUE + 20))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the probe ends");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        String[] f = out.trim().split(" ");
        int closed = Integer.parseInt(f[0]);
        double secs = Double.parseDouble(f[1]);
        assertEquals(Metrics.SERVER_THREADS + Metrics.SERVER_QUEUE + 20, closed, out);
        assertTrue(secs < Metrics.REQUEST_TIMEOUT.toSeconds() + 5, out);
    }

    /** Stalls n clients, then GETs /healthz until it answers; prints "closed-stalled-clients seconds". */
    public static final class Flood {
        public static void main(String[] args) throws Exception {
            try (Metrics m = new Metrics()) {
                int port = m.serve("127.0.0.1", 0);
                List<Socket> stalled = new ArrayList<>();
                for (int i = 0; i < Integer.parseInt(args[0]); i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: ".getBytes(StandardCharsets.US_ASCII));
                    stalled.add(s);
                }
                HttpClient http = HttpClient.newHttpClient();
                long t0 = System.nanoTime();
                while (true) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) break;
                    } catch (java.io.IOException refused) {
                        Thread.sleep(200); // the pool and its queue are full: the server closed this one
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                int closed = 0;
                for (Socket s : stalled) {
                    s.setSoTimeout(5_000);
                    try {
                        if (s.getInputStream().read() == -1) closed++;
                    } catch (java.net.SocketException reset) {
                        closed++;
                    }
                    s.close();
                }
                System.out.println(closed + " " + secs);
            }
        }
    }

    @Test
    void onlyTheExactPathsAreServed() throws Exception {
        assertEquals(200, send("GET", "/healthz").statusCode());
        assertEquals(200, send("GET", "/metrics").statusCode());
        for (String p : List.of("/healthzXYZ", "/metricsfoo", "/healthz/x", "/", "/metrics/")) {
            assertEquals(404, send("GET", p).statusCode(), p);
        }
    }

    @Test
    void onlyGetAndHeadAreAllowed() throws Exception {
        HttpResponse<String> head = send("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        for (String m : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = send(m, "/healthz");
            assertEquals(405, r.statusCode(), m);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""), m);
        }
    }

    @Test
    void metricsAreThePrometheusText() throws Exception {
        metrics.record("web", null, false, 12.5);
        HttpResponse<String> r = send("GET", "/metrics");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), r.headers().toString());
        assertTrue(r.body().contains("netstack_drift_failures_total{stack=\"web\"} 1"), r.body());
    }
}
