package io.netstack.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback "AWS endpoint" that answers every request with a 500 and counts it: the CLI tests
 * point {@code --endpoint-url} / {@code AWS_ENDPOINT_URL} here to prove that a command made no AWS
 * call (invalid input exits 3 before anything is sent).
 */
public final class CountingEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private CountingEndpoint(HttpServer server) {
        this.server = server;
    }

    public static CountingEndpoint start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            CountingEndpoint e = new CountingEndpoint(s);
            s.createContext("/", ex -> {
                e.requests.incrementAndGet();
                ex.sendResponseHeaders(500, -1);
                ex.close();
            });
            s.start();
            return e;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code http://127.0.0.1:PORT} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    public void reset() {
        requests.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
