package io.netstack.testing.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Covers two gaps of moto's Resource Groups Tagging API for CloudFront (docs/moto-notes.md, read in
 * moto 5.2.1's source): {@code GetResources} matches the resource type filter
 * {@code cloudfront:distributions} (AWS: {@code cloudfront:distribution}), and answers distribution
 * ARNs without the empty region field ({@code arn:aws:cloudfront:123…:distribution/E…}; AWS:
 * {@code arn:aws:cloudfront::123…:distribution/E…}). Requests are rewritten on the way to moto and
 * answers on the way back; everything else passes unchanged. Records the operation of every
 * JSON-protocol request and the CloudFront REST requests ({@link #requests}).
 */
public final class TaggingGapsProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService pool;
    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> requests = new ArrayList<>();

    private TaggingGapsProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "tagging-gaps-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public static TaggingGapsProxy start(URI upstream) {
        try {
            return new TaggingGapsProxy(upstream);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the tagging gaps proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** e.g. {@code GetResources}, {@code GET /2020-05-31/distribution}. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    public synchronized void clear() {
        requests.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            boolean getResources = target != null && target.endsWith(".GetResources");
            synchronized (this) {
                if (target != null) requests.add(target.substring(target.lastIndexOf('.') + 1));
                else if (ex.getRequestURI().getPath().startsWith("/20")) requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            }
            if (getResources) {
                body = new String(body, StandardCharsets.UTF_8).replace("\"cloudfront:distribution\"", "\"cloudfront:distributions\"").getBytes(StandardCharsets.UTF_8);
            }
            URI uri = URI.create(upstream.toString().replaceFirst("/$", "") + ex.getRequestURI().toString());
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT))) vs.forEach(v -> b.header(k, v));
            });
            HttpResponse<byte[]> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            byte[] out = r.body();
            if (getResources) {
                out = new String(out, StandardCharsets.UTF_8).replaceAll("(arn:[a-z-]+:cloudfront):(\\d{12}):distribution/", "$1::$2:distribution/")
                        .getBytes(StandardCharsets.UTF_8);
            }
            r.headers().map().forEach((k, vs) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) ex.getResponseHeaders().put(k, vs);
            });
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
