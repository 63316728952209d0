package io.netstack.provider.ec2.transitgatewayroutetable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP proxy in front of moto that covers one gap of moto 5.2: SearchTransitGatewayRoutes
 * answers a static route to an attachment with an empty {@code <transitGatewayAttachments/>} (moto
 * keeps the attachment in a dict its serializer drops), so the route's target cannot be read back.
 * The proxy remembers the attachment of every CreateTransitGatewayRoute that passes through it and
 * puts it back into SearchTransitGatewayRoutes answers — exactly what AWS returns. Everything else
 * passes through unchanged; requests keep the SDK's signature (moto reads only its credential scope).
 *
 * <p>Only for moto: against AWS or a backend that returns the attachment, nothing is rewritten
 * (the pattern matches only the empty element).
 */
final class MotoTgwRouteProxy implements AutoCloseable {
    /** Headers java.net.http refuses to set; the client computes them itself. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");
    private static final Pattern EMPTY_ROUTE_ATTACHMENTS = Pattern.compile(
            "<item><destinationCidrBlock>([^<]+)</destinationCidrBlock><transitGatewayAttachments/>");

    private final URI upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** "routeTableId destination" → attachment id. */
    private final Map<String, String> routes = new ConcurrentHashMap<>();

    MotoTgwRouteProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "moto-tgw-route-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase())) vs.forEach(v -> b.header(k, v));
            });
            HttpResponse<byte[]> resp;
            try {
                resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            byte[] out = resp.body();
            String action = form.getOrDefault("Action", "");
            String key = form.get("TransitGatewayRouteTableId") + " " + form.get("DestinationCidrBlock");
            if (resp.statusCode() == 200) {
                switch (action) {
                    case "CreateTransitGatewayRoute" -> {
                        if (form.containsKey("TransitGatewayAttachmentId")) routes.put(key, form.get("TransitGatewayAttachmentId"));
                        else routes.remove(key);
                    }
                    case "DeleteTransitGatewayRoute" -> routes.remove(key);
                    case "SearchTransitGatewayRoutes" -> out = withAttachments(form.get("TransitGatewayRouteTableId"), out);
                    default -> { }
                }
            }
            resp.headers().map().forEach((k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase()) && !k.equals(":status")) ex.getResponseHeaders().put(k, List.copyOf(vs));
            });
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private byte[] withAttachments(String routeTableId, byte[] xml) {
        Matcher m = EMPTY_ROUTE_ATTACHMENTS.matcher(new String(xml, StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String att = routes.get(routeTableId + " " + m.group(1));
            String replacement = m.group(0);
            if (att != null) {
                replacement = "<item><destinationCidrBlock>" + m.group(1) + "</destinationCidrBlock><transitGatewayAttachments><item>"
                        + "<transitGatewayAttachmentId>" + att + "</transitGatewayAttachmentId></item></transitGatewayAttachments>";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
