package io.netstack.provider.ec2;

import com.sun.net.httpserver.HttpServer;
import io.netstack.engine.EngineContext;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.Progress;
import io.netstack.spi.Sleeper;
import io.netstack.testing.Ec2Query;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An in-process EC2 endpoint for the behaviour moto does not have (docs/moto-notes.md): transitional
 * and failed states, and the errors AWS gives while a NAT gateway's address is being unmapped.
 * It speaks the EC2 query protocol: each request's form parameters go to {@code script}, whose
 * {@link Reply} is sent back (XML body and HTTP status). Every request is recorded in {@link #calls}.
 *
 * <p>Types run against it through a real {@link AwsSession}, so requests, error mapping and SDK
 * behaviour are the production ones; {@link #context} runs waits and retries on a virtual clock
 * (sleeping advances it), so named timeouts of minutes pass in milliseconds.
 */
public final class FakeEc2 implements AutoCloseable {
    public static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    public record Reply(int status, String xml) {}

    private final HttpServer server;
    private final List<Map<String, String>> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Map<String, String>, Reply> script = p -> error(400, "InvalidAction", "no script for " + p.get("Action"));

    public FakeEc2() throws IOException {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> params = Ec2Query.form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            calls.add(params);
            Reply r;
            try {
                r = script.apply(params);
            } catch (RuntimeException e) {
                r = error(400, "FakeScriptError", String.valueOf(e));
            }
            byte[] body = r.xml().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
            ex.getResponseHeaders().add("Connection", "close");
            ex.sendResponseHeaders(r.status(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public void script(Function<Map<String, String>, Reply> s) {
        this.script = s;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A session whose EC2 client talks to this fake. Close it after the test. */
    public AwsSession session() {
        return new AwsSession(AwsSettings.of("eu-west-1", endpoint()));
    }

    /** An engine context on a virtual clock: waits and retries never really sleep. */
    public static EngineContext context(String stack) {
        AtomicLong now = new AtomicLong();
        Sleeper virtual = new Sleeper() {
            @Override
            public void sleep(Duration d) {
                now.addAndGet(Math.max(1, d.toNanos()));
            }

            @Override
            public long nanoTime() {
                return now.get();
            }
        };
        return EngineContext.of(stack, "eu-west-1", Progress.NONE, virtual, 1.0);
    }

    public List<Map<String, String>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Map<String, String>> calls(String action) {
        return calls().stream().filter(c -> action.equals(c.get("Action"))).toList();
    }

    public static Reply ok(String action, String inner) {
        return new Reply(200, "<" + action + "Response xmlns=\"" + NS + "\"><requestId>fake-req</requestId>" + inner + "</" + action + "Response>");
    }

    public static Reply error(int status, String code, String message) {
        return new Reply(status, "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>fake-req</RequestID></Response>");
    }

    /** {@code <tagSet>} with the ownership tags of {@code stack}/{@code id}. */
    public static String ownedTags(String stack, String id) {
        return "<tagSet><item><key>netstack:stack</key><value>" + stack + "</value></item>"
                + "<item><key>netstack:id</key><value>" + id + "</value></item></tagSet>";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
