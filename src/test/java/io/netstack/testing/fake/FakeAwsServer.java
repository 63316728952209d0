package io.netstack.testing.fake;

import static io.netstack.testing.Ec2Query.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.ForwardingProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback AWS endpoint for what moto lacks (docs/moto-notes.md): it answers Direct Connect
 * ({@link FakeDirectConnect}, JSON 1.1, {@code X-Amz-Target: OvertureService.*}) and EC2's Client
 * VPN actions ({@link FakeClientVpn}, EC2 query protocol, XML), and forwards every other request
 * unchanged to an upstream API (moto), so a whole stack — VPC and subnets in moto, a Client VPN
 * endpoint or a Direct Connect gateway here — runs through one {@code AWS_ENDPOINT_URL} and the
 * real SDK request and response path. Without an upstream, other EC2 {@code Describe*} calls
 * answer empty and anything else answers like moto does for what it lacks (an HTML 500).
 *
 * <p>Every request it answers itself is recorded ({@link #requests}) so tests can assert the
 * request shapes netstack sent. Bound to 127.0.0.1 on a free port; {@link #close} stops it.
 */
public final class FakeAwsServer extends ForwardingProxy {
    /** A request the fake answered: service ("directconnect" or "ec2"), action, and its parameters. */
    public record Request(String service, String action, String region, JsonNode json, Map<String, String> params) {
        /** A parameter of an EC2 query request, or a top-level member of a JSON request, as text. */
        public String param(String name) {
            if (params != null) return params.get(name);
            JsonNode n = json == null ? null : json.get(name);
            return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
        }

        public String body() {
            return json != null ? json.toString() : String.valueOf(params);
        }
    }

    static final Pattern REGION = Pattern.compile("Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/");

    private final FakeDirectConnect dx = new FakeDirectConnect();
    private final FakeClientVpn clientVpn = new FakeClientVpn();
    private final List<Request> requests = new ArrayList<>();

    private FakeAwsServer(URI upstream) {
        super(upstream, "fake-aws", 8);
    }

    /** Starts a fake that forwards what it does not implement to {@code upstream} (null: none). */
    public static FakeAwsServer start(URI upstream) {
        return new FakeAwsServer(upstream);
    }

    public FakeDirectConnect directConnect() {
        return dx;
    }

    public FakeClientVpn clientVpn() {
        return clientVpn;
    }

    /** An SDK client on this endpoint, for tests that act "by hand" (as a person in the console would). */
    public software.amazon.awssdk.services.directconnect.DirectConnectClient directConnectClient(String region) {
        return software.amazon.awssdk.services.directconnect.DirectConnectClient.builder().endpointOverride(endpoint())
                .region(software.amazon.awssdk.regions.Region.of(region))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
                .build();
    }

    /** Every transitional state of new objects lasts this many reads (0: objects are ready at once). */
    public FakeAwsServer pendingReads(int n) {
        dx.pendingReads(n);
        clientVpn.pendingReads(n);
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Request> requests(String action) {
        return requests.stream().filter(r -> r.action().equals(action)).toList();
    }

    public synchronized void clearRequests() {
        requests.clear();
    }

    private synchronized void record(Request r) {
        requests.add(r);
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String region = "us-east-1", service = null;
            if (auth != null) {
                Matcher m = REGION.matcher(auth);
                if (m.find()) {
                    region = m.group(1);
                    service = m.group(2);
                }
            }
            if (target != null && target.startsWith("OvertureService.")) {
                String action = target.substring("OvertureService.".length());
                JsonNode json = SdkWire.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
                record(new Request("directconnect", action, region, json, null));
                FakeDirectConnect.Answer a = dx.handle(action, region, json);
                send(ex, a.status(), "application/x-amz-json-1.1", a.body());
                return;
            }
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if ("POST".equals(ex.getRequestMethod()) && contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
                    && (service == null || service.equals("ec2"))) {
                Map<String, String> params = form(new String(body, StandardCharsets.UTF_8));
                String action = params.getOrDefault("Action", "");
                if (clientVpn.handles(action, params)) {
                    record(new Request("ec2", action, region, null, params));
                    FakeClientVpn.Answer a = clientVpn.handle(action, region, params);
                    send(ex, a.status(), "text/xml;charset=UTF-8", a.body());
                    return;
                }
                if (action.equals("DescribeTags") && upstream != null) {
                    forward(ex, body, out -> withClientVpnTags(out, params));
                    return;
                }
                if (upstream == null && action.startsWith("Describe")) {
                    send(ex, 200, "text/xml;charset=UTF-8", SdkWire.ec2Response(action, UUID.randomUUID().toString(), null));
                    return;
                }
            }
            if (upstream != null) {
                forward(ex, body);
                return;
            }
            send(ex, 500, "text/html; charset=utf-8", "<!doctype html>\n<title>500 Internal Server Error</title><h1>not implemented by the fake</h1>");
        } catch (RuntimeException e) {
            send(ex, 500, "application/x-amz-json-1.1", ("{\"__type\":\"InternalFailure\",\"message\":\"fake: " + e + "\"}").replace("\n", " "));
        }
    }

    /** Adds the fake's Client VPN endpoints to the upstream's DescribeTags answer (key/value filters). */
    private byte[] withClientVpnTags(byte[] upstreamAnswer, Map<String, String> params) {
        String key = null, value = null;
        for (int i = 1; params.containsKey("Filter." + i + ".Name"); i++) {
            String n = params.get("Filter." + i + ".Name"), v = params.get("Filter." + i + ".Value.1");
            if (n.equals("key")) key = v;
            else if (n.equals("value")) value = v;
        }
        if (key == null) return upstreamAnswer;
        StringBuilder rows = new StringBuilder();
        for (String[] r : clientVpn.tagRows(key, value)) {
            rows.append("<item><resourceId>").append(r[0]).append("</resourceId><resourceType>client-vpn-endpoint</resourceType><key>")
                    .append(r[1]).append("</key><value>").append(r[2]).append("</value></item>");
        }
        if (rows.length() == 0) return upstreamAnswer;
        String xml = new String(upstreamAnswer, StandardCharsets.UTF_8);
        if (xml.contains("</tagSet>")) xml = xml.replace("</tagSet>", rows + "</tagSet>");
        else if (xml.contains("<tagSet/>")) xml = xml.replace("<tagSet/>", "<tagSet>" + rows + "</tagSet>");
        else xml = xml.replace("</DescribeTagsResponse>", "<tagSet>" + rows + "</tagSet></DescribeTagsResponse>");
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private void forward(HttpExchange ex, byte[] body, java.util.function.UnaryOperator<byte[]> answer) throws IOException {
        HttpResponse<byte[]> r = send(ex, body);
        reply(ex, r, r.statusCode() == 200 ? answer.apply(r.body()) : r.body());
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        reply(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

}
