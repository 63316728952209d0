package io.netstack.testing;

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
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What every loopback test proxy in front of moto shares: a JDK HttpServer on 127.0.0.1 and a free
 * port with a daemon thread pool, and forwarding a request upstream as it came — SigV4 headers
 * included, because moto routes by the credential scope (docs/moto-notes.md) — with the answer
 * sent back. A subclass decides per request in {@link #handle}: answer itself
 * ({@link #reply(HttpExchange, int, String, byte[])}), {@link #forward} unchanged, or
 * {@link #send} upstream and rewrite the answer before {@link #reply(HttpExchange, HttpResponse, byte[])}.
 *
 * <p>The server starts in the constructor; requests can reach it only once the caller has its
 * {@link #endpoint}, after the subclass is constructed.
 */
public abstract class ForwardingProxy implements AutoCloseable {
    /** Hop-by-hop headers, and those the JDK HttpClient sets itself or refuses: never copied. */
    private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "date", "expect", "from", "host",
            "upgrade", "via", "warning", "transfer-encoding", "keep-alive");
    /** moto answers in milliseconds; a minute means it hangs, and the test should fail rather than wait. */
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(60);

    protected final URI upstream;
    private final HttpServer server;
    private final ExecutorService pool;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param upstream where requests go ({@code null}: nowhere; the subclass answers everything)
     * @param name     the proxy's name, for its threads and a failure to start
     */
    protected ForwardingProxy(URI upstream, String name, int threads) {
        this.upstream = upstream;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            pool.shutdownNow();
            throw new IllegalStateException("cannot start the " + name, e);
        }
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            try (ex) {
                handle(ex);
            }
        });
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers one request; the exchange is closed after it. */
    protected abstract void handle(HttpExchange ex) throws IOException;

    /** Sends the request upstream as it came (method, path and query, headers) with {@code body}; returns the upstream's answer. */
    protected final HttpResponse<byte[]> send(HttpExchange ex, byte[] body) throws IOException {
        URI uri = URI.create(upstream.toString().replaceFirst("/$", "") + ex.getRequestURI().toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(UPSTREAM_TIMEOUT)
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT))) vs.forEach(v -> b.header(k, v));
        });
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The request forwarded upstream and the answer sent back, both unchanged. */
    protected final void forward(HttpExchange ex, byte[] body) throws IOException {
        HttpResponse<byte[]> r = send(ex, body);
        reply(ex, r, r.body());
    }

    /** Sends back an upstream answer's status and headers with {@code out} as its body. */
    protected static void reply(HttpExchange ex, HttpResponse<byte[]> r, byte[] out) throws IOException {
        r.headers().map().forEach((k, vs) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) ex.getResponseHeaders().put(k, vs);
        });
        write(ex, r.statusCode(), out);
    }

    /** An answer of the proxy's own. */
    protected static void reply(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        write(ex, status, body);
    }

    private static void write(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
