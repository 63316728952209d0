package io.netstack.provider.ec2.transitgatewayattachmentacceptance;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback proxy in front of moto for the hub side of a cross-account transit gateway attachment,
 * which moto 5.2.1 cannot show (docs/moto-notes.md, "Several accounts"): a gateway shared through
 * RAM stays invisible to the spoke account, so the spoke cannot attach to it, and
 * AcceptTransitGatewayVpcAttachment is not implemented. The test makes the "spoke's" attachment in
 * the hub's account in moto (real VPC, subnet, attachment, route tables) and names it here as
 * foreign; the proxy then makes the hub see it as AWS would:
 * ({@link #foreignOnCreate}: every attachment made through the proxy, as a spoke's stack makes it.)
 * <ul>
 *   <li>DescribeTransitGatewayAttachments / DescribeTransitGatewayVpcAttachments show it
 *       {@code pendingAcceptance} with the spoke account as its VPC's owner until it is accepted,
 *       then {@code pending} for {@link #pendingReads} reads, then moto's own state;</li>
 *   <li>AcceptTransitGatewayVpcAttachment is answered here (counted in {@link #accepted});</li>
 *   <li>AssociateTransitGatewayRouteTable and EnableTransitGatewayRouteTablePropagation of a foreign
 *       attachment not yet accepted fail with AWS's {@code IncorrectState}, so a wrong order shows.</li>
 * </ul>
 * Everything else goes to moto unchanged.
 */
public final class SharedAttachmentProxy implements AutoCloseable {
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService pool;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Foreign attachment id → the spoke account that made it. */
    private final Map<String, String> foreign = new ConcurrentHashMap<>();
    /** Accepted foreign attachment id → reads left in state pending. */
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    private final List<String> acceptCalls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final int pendingReads;

    public SharedAttachmentProxy(URI upstream, int pendingReads) throws IOException {
        this.upstream = upstream;
        this.pendingReads = pendingReads;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "shared-attachment-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Makes {@code attachmentId} a spoke account's attachment waiting for the hub to accept it. */
    public void foreign(String attachmentId, String spokeAccount) {
        foreign.put(attachmentId, spokeAccount);
    }

    private volatile String spokeOfNew;

    /** Every attachment created through the proxy from now on is {@code spokeAccount}'s, waiting for the hub. */
    public void foreignOnCreate(String spokeAccount) {
        this.spokeOfNew = spokeAccount;
    }

    /** The AcceptTransitGatewayVpcAttachment calls answered, by attachment id. */
    public List<String> accepted() {
        return List.copyOf(acceptCalls);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            String action = form.getOrDefault("Action", ""), att = form.get("TransitGatewayAttachmentId");
            if (action.equals("AcceptTransitGatewayVpcAttachment")) {
                if (!foreign.containsKey(att) || accepted.containsKey(att)) {
                    send(ex, 400, error("IncorrectState", "Transit Gateway Attachment " + att + " is not in pendingAcceptance state"));
                    return;
                }
                acceptCalls.add(att);
                accepted.put(att, pendingReads);
                send(ex, 200, "<AcceptTransitGatewayVpcAttachmentResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>"
                        + UUID.randomUUID() + "</requestId><transitGatewayVpcAttachment><transitGatewayAttachmentId>" + att
                        + "</transitGatewayAttachmentId><state>pending</state></transitGatewayVpcAttachment></AcceptTransitGatewayVpcAttachmentResponse>");
                return;
            }
            if ((action.equals("AssociateTransitGatewayRouteTable") || action.equals("EnableTransitGatewayRouteTablePropagation"))
                    && foreign.containsKey(att) && !accepted.containsKey(att)) {
                send(ex, 400, error("IncorrectState", "Transit Gateway Attachment " + att + " is in pendingAcceptance state"));
                return;
            }
            HttpResponse<byte[]> r = forward(ex, body);
            String out = new String(r.body(), StandardCharsets.UTF_8);
            if (r.statusCode() == 200 && action.equals("CreateTransitGatewayVpcAttachment") && spokeOfNew != null) {
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("<transitGatewayAttachmentId>([^<]+)<").matcher(out);
                if (id.find()) foreign(id.group(1), spokeOfNew);
            }
            if (r.statusCode() == 200 && (action.equals("DescribeTransitGatewayAttachments") || action.equals("DescribeTransitGatewayVpcAttachments"))) {
                out = hubView(out);
            }
            r.headers().map().forEach((k, vs) -> {
                if (!HOP.contains(k.toLowerCase()) && !k.startsWith(":")) ex.getResponseHeaders().put(k, vs);
            });
            byte[] b = out.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.statusCode(), b.length == 0 ? -1 : b.length);
            if (b.length > 0) try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    /** Rewrites each foreign attachment's segment: its first state and its VPC owner. */
    private String hubView(String xml) {
        String open = "<transitGatewayAttachmentId>";
        StringBuilder sb = new StringBuilder();
        int i = xml.indexOf(open), last = 0;
        while (i >= 0) {
            int next = xml.indexOf(open, i + open.length());
            int end = next < 0 ? xml.length() : next;
            String id = xml.substring(i + open.length(), xml.indexOf('<', i + open.length()));
            String seg = xml.substring(i, end);
            String spoke = foreign.get(id);
            if (spoke != null) {
                String state = state(id);
                if (state != null) seg = seg.replaceFirst("<state>[^<]*</state>", "<state>" + state + "</state>");
                seg = seg.replaceFirst("<vpcOwnerId>[^<]*</vpcOwnerId>", "<vpcOwnerId>" + spoke + "</vpcOwnerId>")
                        .replaceFirst("<resourceOwnerId>[^<]*</resourceOwnerId>", "<resourceOwnerId>" + spoke + "</resourceOwnerId>");
            }
            sb.append(xml, last, i).append(seg);
            last = end;
            i = next;
        }
        return sb.append(xml.substring(last)).toString();
    }

    /** The state AWS would show the hub, or null for moto's own. */
    private String state(String id) {
        Integer left = accepted.get(id);
        if (left == null) return "pendingAcceptance";
        if (left > 0) {
            accepted.put(id, left - 1);
            return "pending";
        }
        return null;
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream.toString().replaceFirst("/$", "") + ex.getRequestURI()))
                .timeout(Duration.ofSeconds(60)).method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase())) vs.forEach(v -> b.header(k, v));
        });
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String error(String code, String message) {
        return "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>"
                + UUID.randomUUID() + "</RequestID></Response>";
    }

    private static void send(HttpExchange ex, int status, String xml) throws IOException {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : body.split("&")) {
            if (kv.isEmpty()) continue;
            int eq = kv.indexOf('=');
            m.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
