package io.netstack.testing.faults;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A loopback HTTP proxy between the AWS SDK and the test AWS API (moto) that makes the API behave
 * the way AWS does where moto does not (docs/moto-notes.md: no throttling, no transitional states, no
 * eventual consistency) and injects faults. Point a client at {@link #endpoint()} (for the CLI:
 * {@code AWS_ENDPOINT_URL}); every request is forwarded to the upstream API unless a fault answers it.
 *
 * <p>Per request, in this order (see {@link FaultConfig}):
 * <ol>
 *   <li>the call is counted under its API action: the {@code Action=} parameter of the EC2/query
 *       protocol, the operation of {@code X-Amz-Target} for JSON protocols, {@code REST <method> <path>}
 *       otherwise;</li>
 *   <li>latency (fixed + jitter) is added;</li>
 *   <li>the connection may be dropped without an answer (request never reaches the API);</li>
 *   <li>the action's EC2 token bucket ({@link Ec2Buckets}) and the random throttle rate may answer
 *       {@code RequestLimitExceeded} (HTTP 503, EC2's XML error body);</li>
 *   <li>a random 500 {@code InternalError} / 503 {@code ServiceUnavailable} may answer;</li>
 *   <li>a request naming (in any parameter but filters and tags) the id of an object the proxy saw
 *       created less than {@code notFoundWindow} ago is answered {@code Invalid…ID.NotFound} with the
 *       code of the id's kind ({@link #notFoundCode});</li>
 *   <li>the request is forwarded; ids created by {@code Create*}/{@code Allocate*} calls are remembered;</li>
 *   <li>the response may be lost (connection dropped after the API acted);</li>
 *   <li>in {@code Describe*} responses, objects younger than {@code pendingWindow} are reported
 *       {@code pending} instead of {@code available} (VPCs, subnets, NAT gateways, VPC endpoints,
 *       transit gateways and their attachments and route tables, VPN objects).</li>
 * </ol>
 * A "dropped connection" is a close without any response bytes: the JDK's HttpServer cannot send a
 * TCP RST, and to an HTTP client a close before the status line is the same failure (an
 * IOException, which the SDK retries).
 *
 * <p>Counters are thread-safe; {@link #stats()} snapshots them, {@link #resetCounts()} zeroes them.
 * Start one per test with {@link #start} and close it at the end (try-with-resources).
 */
public final class FaultProxy implements AutoCloseable {
    static {
        // The JDK HttpServer writes headers and body apart; without TCP_NODELAY, Nagle's algorithm
        // and delayed ACKs add ~40 ms to every response. Read once, when the first server starts.
        noDelay();
    }

    /** Turns on TCP_NODELAY for JDK HttpServers; call before the first HttpServer of the JVM is created. */
    public static void noDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Headers the JDK HttpClient sets itself or refuses, and hop-by-hop ones. */
    private static final Set<String> SKIP_REQUEST_HEADERS = Set.of("connection", "content-length", "date", "expect", "from", "host",
            "upgrade", "via", "warning", "keep-alive", "te", "trailer", "transfer-encoding", "proxy-connection", "accept-encoding");
    private static final Set<String> SKIP_RESPONSE_HEADERS = Set.of("connection", "content-length", "date", "transfer-encoding", "keep-alive", "server");
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern ID_ELEMENT = Pattern.compile("<([A-Za-z]+Id)>([a-z][a-z0-9]*(?:-[a-z0-9]+)*-[0-9a-z]+)</\\1>");

    /** The element holding the new object's id in a create response. */
    private static final Map<String, String> CREATED_ID_ELEMENT = Map.ofEntries(
            Map.entry("CreateVpc", "vpcId"), Map.entry("CreateSubnet", "subnetId"), Map.entry("CreateSecurityGroup", "groupId"),
            Map.entry("CreateRouteTable", "routeTableId"), Map.entry("CreateInternetGateway", "internetGatewayId"),
            Map.entry("CreateEgressOnlyInternetGateway", "egressOnlyInternetGatewayId"), Map.entry("CreateNetworkAcl", "networkAclId"),
            Map.entry("CreateNatGateway", "natGatewayId"), Map.entry("CreateVpcEndpoint", "vpcEndpointId"), Map.entry("AllocateAddress", "allocationId"),
            Map.entry("CreateTransitGateway", "transitGatewayId"), Map.entry("CreateTransitGatewayVpcAttachment", "transitGatewayAttachmentId"),
            Map.entry("CreateTransitGatewayPeeringAttachment", "transitGatewayAttachmentId"),
            Map.entry("CreateTransitGatewayRouteTable", "transitGatewayRouteTableId"), Map.entry("CreateVpcPeeringConnection", "vpcPeeringConnectionId"),
            Map.entry("CreateCustomerGateway", "customerGatewayId"), Map.entry("CreateVpnGateway", "vpnGatewayId"),
            Map.entry("CreateVpnConnection", "vpnConnectionId"), Map.entry("CreateManagedPrefixList", "prefixListId"),
            Map.entry("CreateNetworkInterface", "networkInterfaceId"), Map.entry("CreateClientVpnEndpoint", "clientVpnEndpointId"),
            Map.entry("CreateDhcpOptions", "dhcpOptionsId"));

    /** Describe action → (element of the object's own id, element of its state). */
    private static final Map<String, String[]> STATE_ELEMENTS = Map.ofEntries(
            Map.entry("DescribeVpcs", new String[] {"vpcId", "state"}),
            Map.entry("DescribeSubnets", new String[] {"subnetId", "state"}),
            Map.entry("DescribeNatGateways", new String[] {"natGatewayId", "state"}),
            Map.entry("DescribeVpcEndpoints", new String[] {"vpcEndpointId", "state"}),
            Map.entry("DescribeTransitGateways", new String[] {"transitGatewayId", "state"}),
            Map.entry("DescribeTransitGatewayVpcAttachments", new String[] {"transitGatewayAttachmentId", "state"}),
            Map.entry("DescribeTransitGatewayAttachments", new String[] {"transitGatewayAttachmentId", "state"}),
            Map.entry("DescribeTransitGatewayPeeringAttachments", new String[] {"transitGatewayAttachmentId", "state"}),
            Map.entry("DescribeTransitGatewayRouteTables", new String[] {"transitGatewayRouteTableId", "state"}),
            Map.entry("DescribeVpnConnections", new String[] {"vpnConnectionId", "state"}),
            Map.entry("DescribeVpnGateways", new String[] {"vpnGatewayId", "state"}),
            Map.entry("DescribeCustomerGateways", new String[] {"customerGatewayId", "state"}));

    /** Id prefix → AWS's NotFound code for it (terraform-provider-aws internal/service/ec2/errors.go); longest prefixes first. */
    private static final List<Map.Entry<String, String>> NOT_FOUND_CODES = List.of(
            Map.entry("tgw-attach-", "InvalidTransitGatewayAttachmentID.NotFound"),
            Map.entry("tgw-rtb-", "InvalidRouteTableID.NotFound"),
            Map.entry("tgw-", "InvalidTransitGatewayID.NotFound"),
            Map.entry("cvpn-endpoint-", "InvalidClientVpnEndpointId.NotFound"),
            Map.entry("rtbassoc-", "InvalidAssociationID.NotFound"),
            Map.entry("aclassoc-", "InvalidAssociationID.NotFound"),
            Map.entry("eipassoc-", "InvalidAssociationID.NotFound"),
            Map.entry("eipalloc-", "InvalidAllocationID.NotFound"),
            Map.entry("eigw-", "InvalidEgressOnlyInternetGatewayId.NotFound"),
            Map.entry("vpce-", "InvalidVpcEndpointId.NotFound"),
            Map.entry("vpc-", "InvalidVpcID.NotFound"),
            Map.entry("subnet-", "InvalidSubnetID.NotFound"),
            Map.entry("sg-", "InvalidGroup.NotFound"),
            Map.entry("rtb-", "InvalidRouteTableID.NotFound"),
            Map.entry("igw-", "InvalidInternetGatewayID.NotFound"),
            Map.entry("acl-", "InvalidNetworkAclID.NotFound"),
            Map.entry("nat-", "InvalidNatGatewayID.NotFound"),
            Map.entry("pcx-", "InvalidVpcPeeringConnectionID.NotFound"),
            Map.entry("fl-", "InvalidFlowLogId.NotFound"),
            Map.entry("cgw-", "InvalidCustomerGatewayID.NotFound"),
            Map.entry("vgw-", "InvalidVpnGatewayID.NotFound"),
            Map.entry("vpn-", "InvalidVpnConnectionID.NotFound"),
            Map.entry("pl-", "InvalidPrefixListID.NotFound"),
            Map.entry("eni-", "InvalidNetworkInterfaceID.NotFound"),
            Map.entry("dopt-", "InvalidDhcpOptionID.NotFound"));

    /** The kinds of protocol a request can speak; errors are written in its dialect. */
    enum Protocol { QUERY, JSON, REST, MOTO }

    record Request(Protocol protocol, String service, String action, Map<String, List<String>> params) {}

    /** An object the proxy saw created, and when. */
    record Created(String id, String action, long atNanos) {}

    /** A snapshot of the counters: per action, how many calls, and how many got each fault. */
    public record Stats(Map<String, Long> calls, Map<String, Long> throttled, Map<String, Long> serverErrors, Map<String, Long> resets,
                        Map<String, Long> lostResponses, Map<String, Long> notFound, Map<String, Long> pending) {
        public static long total(Map<String, Long> m) {
            return m.values().stream().mapToLong(Long::longValue).sum();
        }

        public long totalCalls() {
            return total(calls);
        }

        /** Calls that reached the API or were answered by a fault (all of them, retries included). */
        public String summary() {
            long n = totalCalls();
            return String.format(Locale.ROOT, "%d calls; %d throttled (%.1f%%), %d 5xx (%.1f%%), %d dropped, %d responses lost, %d NotFound, %d pending",
                    n, total(throttled), pct(total(throttled), n), total(serverErrors), pct(total(serverErrors), n), total(resets),
                    total(lostResponses), total(notFound), total(pending));
        }

        private static double pct(long a, long n) {
            return n == 0 ? 0 : 100.0 * a / n;
        }
    }

    private final URI upstream;
    private final LongSupplier nanoClock;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client;
    private volatile FaultConfig config;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Created> created = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> index = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> throttled = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> serverErrors = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> resets = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lost = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> notFound = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

    private FaultProxy(URI upstream, FaultConfig config, LongSupplier nanoClock) throws IOException {
        this.upstream = URI.create(upstream.toString().replaceFirst("/+$", ""));
        this.config = Objects.requireNonNull(config, "config");
        this.nanoClock = nanoClock;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).executor(threads).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts a proxy to {@code upstream} on a free loopback port. */
    public static FaultProxy start(URI upstream, FaultConfig config) {
        return start(upstream, config, System::nanoTime);
    }

    /** As {@link #start(URI, FaultConfig)} with the clock of buckets and windows given (unit tests step it). */
    public static FaultProxy start(URI upstream, FaultConfig config, LongSupplier nanoClock) {
        try {
            return new FaultProxy(upstream, config, nanoClock);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fault proxy", e);
        }
    }

    /** The URL to point clients at, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    public URI upstream() {
        return upstream;
    }

    public FaultConfig config() {
        return config;
    }

    /** Replaces the configuration from the next request on; buckets start full again. */
    public void configure(FaultConfig c) {
        config = Objects.requireNonNull(c);
        buckets.clear();
    }

    /** The env of a CLI run through this proxy: {@code env} with {@code AWS_ENDPOINT_URL} replaced. */
    public Map<String, String> env(Map<String, String> env) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("AWS_ENDPOINT_URL", endpoint().toString());
        return e;
    }

    /** Calls per action so far (sorted by action). */
    public Map<String, Long> calls() {
        return snapshot(calls);
    }

    public long calls(String action) {
        AtomicLong a = calls.get(action);
        return a == null ? 0 : a.get();
    }

    public long totalCalls() {
        return Stats.total(calls());
    }

    public Stats stats() {
        return new Stats(snapshot(calls), snapshot(throttled), snapshot(serverErrors), snapshot(resets), snapshot(lost), snapshot(notFound), snapshot(pending));
    }

    /** Zeroes every counter (and the per-action call index that random decisions are drawn from). */
    public void resetCounts() {
        for (Map<String, AtomicLong> m : List.of(index, calls, throttled, serverErrors, resets, lost, notFound, pending)) m.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            Request req = parse(ex, body);
            if (req.protocol() == Protocol.MOTO) {
                forwardAndAnswer(ex, req, body, false, null);
                return;
            }
            String action = req.action();
            long n = counter(index, action).getAndIncrement();
            counter(calls, action).incrementAndGet();
            FaultConfig c = config;
            SplittableRandom rnd = new SplittableRandom(mix(c.seed(), action, n));
            double dReset = rnd.nextDouble(), dThrottle = rnd.nextDouble(), dError = rnd.nextDouble(), dLost = rnd.nextDouble();
            double dJitter = rnd.nextDouble(), dWhich = rnd.nextDouble();
            String requestId = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            sleep(c.latency().plusNanos((long) (c.jitter().toNanos() * dJitter)));
            boolean faultable = c.faultsApplyTo(req.service(), action);
            if (faultable && dReset < c.resetRate()) {
                counter(resets, action).incrementAndGet();
                drop(ex);
                return;
            }
            if (!takeToken(c, req) || faultable && dThrottle < c.throttleRate()) {
                counter(throttled, action).incrementAndGet();
                error(ex, req, 503, "RequestLimitExceeded", "Request limit exceeded.", requestId);
                return;
            }
            if (faultable && dError < c.serverErrorRate()) {
                counter(serverErrors, action).incrementAndGet();
                if (dWhich < 0.5) error(ex, req, 500, "InternalError", "An internal error has occurred", requestId);
                else error(ex, req, 503, "ServiceUnavailable", "The service is unavailable. Please try again shortly.", requestId);
                return;
            }
            String young = youngIdNamed(c, req);
            if (young != null) {
                counter(notFound, action).incrementAndGet();
                error(ex, req, 400, notFoundCode(young), "The ID '" + young + "' does not exist", requestId);
                return;
            }
            forwardAndAnswer(ex, req, body, faultable && dLost < c.lostResponseRate(), c);
        } catch (Exception e) {
            try {
                byte[] msg = ("fault proxy: " + e).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(502, msg.length);
                ex.getResponseBody().write(msg);
            } catch (IOException | RuntimeException ignored) {
                // the client is gone
            }
        } finally {
            ex.close();
        }
    }

    private void forwardAndAnswer(HttpExchange ex, Request req, byte[] body, boolean loseResponse, FaultConfig c) throws IOException, InterruptedException {
        String target = upstream + ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(UPSTREAM_TIMEOUT)
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (SKIP_REQUEST_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) continue;
            for (String v : h.getValue()) {
                try {
                    b.header(h.getKey(), v);
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client sets itself
                }
            }
        }
        HttpResponse<byte[]> resp = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] out = resp.body();
        if (c != null && req.protocol() == Protocol.QUERY && resp.statusCode() / 100 == 2) {
            remember(req, out);
            if (loseResponse) {
                counter(lost, req.action()).incrementAndGet();
                drop(ex);
                return;
            }
            boolean encoded = resp.headers().firstValue("content-encoding").isPresent();
            if (!encoded && !c.pendingWindow().isZero() && req.action().startsWith("Describe")) out = pendingRewrite(c, req.action(), out);
        } else if (loseResponse) {
            counter(lost, req.action()).incrementAndGet();
            drop(ex);
            return;
        }
        Headers headers = ex.getResponseHeaders();
        resp.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":") && !SKIP_RESPONSE_HEADERS.contains(k.toLowerCase(Locale.ROOT))) headers.put(k, new ArrayList<>(v));
        });
        boolean noBody = out.length == 0 || resp.statusCode() == 204 || resp.statusCode() == 304 || "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(resp.statusCode(), noBody ? -1 : out.length);
        if (!noBody) ex.getResponseBody().write(out);
    }

    /** Closes the connection without a byte of response. */
    private static void drop(HttpExchange ex) {
        ex.close();
    }

    private boolean takeToken(FaultConfig c, Request req) {
        if (c.buckets() == null || req.protocol() != Protocol.QUERY) return true;
        boolean filteredOrPaginated = req.params().keySet().stream().anyMatch(k -> k.startsWith("Filter.") || k.equals("MaxResults") || k.equals("NextToken")
                || k.matches("[A-Za-z]+Id(\\.\\d+)?"));
        Map.Entry<String, BucketSpec> spec = c.buckets().bucketFor(req.action(), filteredOrPaginated);
        return buckets.computeIfAbsent(spec.getKey(), k -> new TokenBucket(spec.getValue(), nanoClock)).tryTake();
    }

    /** The bucket an action currently draws from (created full on first use), for tests. */
    public TokenBucket bucket(String key) {
        return buckets.get(key);
    }

    // --- eventual consistency and transitional states ---------------------------------------------

    private void remember(Request req, byte[] body) {
        String a = req.action();
        if (!(a.startsWith("Create") || a.startsWith("Allocate"))) return;
        String xml = new String(body, StandardCharsets.UTF_8);
        long now = nanoClock.getAsLong();
        String element = CREATED_ID_ELEMENT.get(a);
        if (element != null) {
            Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
            if (m.find()) created.put(m.group(1), new Created(m.group(1), a, now));
            return;
        }
        if (a.equals("CreateFlowLogs")) {
            Matcher m = Pattern.compile(">(fl-[0-9a-z]+)<").matcher(xml);
            while (m.find()) created.put(m.group(1), new Created(m.group(1), a, now));
            return;
        }
        // Any other create: its object's id is the first id in the response that the request did not name.
        Set<String> named = new java.util.HashSet<>();
        req.params().values().forEach(named::addAll);
        Matcher m = ID_ELEMENT.matcher(xml);
        while (m.find()) {
            if (!named.contains(m.group(2))) {
                created.put(m.group(2), new Created(m.group(2), a, now));
                return;
            }
        }
    }

    private boolean young(FaultConfig c, String id, Duration window) {
        Created cr = created.get(id);
        if (cr == null || window.isZero()) return false;
        long age = nanoClock.getAsLong() - cr.atNanos();
        if (age >= Math.max(c.notFoundWindow().toNanos(), c.pendingWindow().toNanos())) created.remove(id, cr);
        return age < window.toNanos();
    }

    private String youngIdNamed(FaultConfig c, Request req) {
        if (c.notFoundWindow().isZero() || req.protocol() != Protocol.QUERY || created.isEmpty()) return null;
        for (Map.Entry<String, List<String>> p : req.params().entrySet()) {
            String k = p.getKey();
            if (k.startsWith("Filter.") || k.startsWith("TagSpecification.") || k.startsWith("Tag.") || k.equals("ClientToken")) continue;
            for (String v : p.getValue()) {
                Created cr = created.get(v);
                if (cr != null && !cr.action().equals(req.action()) && young(c, v, c.notFoundWindow())) return v;
            }
        }
        return null;
    }

    /** AWS's NotFound error code for an id, by its prefix. */
    public static String notFoundCode(String id) {
        for (Map.Entry<String, String> e : NOT_FOUND_CODES) if (id.startsWith(e.getKey())) return e.getValue();
        return "InvalidID.NotFound";
    }

    private byte[] pendingRewrite(FaultConfig c, String action, byte[] body) {
        String[] elements = STATE_ELEMENTS.get(action);
        if (elements == null || created.isEmpty()) return body;
        String xml = new String(body, StandardCharsets.UTF_8);
        boolean any = false;
        for (String id : created.keySet()) {
            if (xml.contains(id) && young(c, id, c.pendingWindow())) {
                any = true;
                break;
            }
        }
        if (!any) return body;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList ids = doc.getElementsByTagName(elements[0]);
            int changed = 0;
            for (int i = 0; i < ids.getLength(); i++) {
                Node idNode = ids.item(i);
                if (!young(c, idNode.getTextContent().trim(), c.pendingWindow())) continue;
                for (Node s = idNode.getParentNode().getFirstChild(); s != null; s = s.getNextSibling()) {
                    if (s instanceof Element e && e.getTagName().equals(elements[1]) && e.getTextContent().trim().equalsIgnoreCase("available")) {
                        e.setTextContent(Character.isUpperCase(e.getTextContent().trim().charAt(0)) ? "Pending" : "pending");
                        changed++;
                    }
                }
            }
            if (changed == 0) return body;
            counter(pending, action).addAndGet(changed);
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("could not rewrite the states in a " + action + " response", e);
        }
    }

    // --- protocol ---------------------------------------------------------------------------------

    private static final Pattern SIGV4_SCOPE = Pattern.compile("Credential=[^/,]+/\\d{8}/[^/,]+/([^/,]+)/aws4_request");

    static Request parse(HttpExchange ex, byte[] body) {
        String path = ex.getRequestURI().getPath();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Matcher scope = auth == null ? null : SIGV4_SCOPE.matcher(auth);
        String service = scope != null && scope.find() ? scope.group(1) : "unknown";
        if (path.startsWith("/moto-api")) return new Request(Protocol.MOTO, "moto", "moto-api", Map.of());
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) return new Request(Protocol.JSON, service, target.substring(target.lastIndexOf('.') + 1), Map.of());
        Map<String, List<String>> params = new TreeMap<>();
        addForm(params, ex.getRequestURI().getRawQuery());
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) addForm(params, new String(body, StandardCharsets.UTF_8));
        List<String> action = params.get("Action");
        if (action != null && !action.isEmpty()) return new Request(Protocol.QUERY, service, action.get(0), params);
        String[] seg = path.split("/");
        String noun = seg.length > 2 ? seg[2] : seg.length > 1 ? seg[1] : "";
        return new Request(Protocol.REST, service, "REST " + ex.getRequestMethod() + " " + noun, Map.of());
    }

    private static void addForm(Map<String, List<String>> params, String form) {
        if (form == null || form.isEmpty()) return;
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    /** An error in the request's own protocol, the way AWS writes it. */
    private static void error(HttpExchange ex, Request req, int status, String code, String message, String requestId) throws IOException {
        String body;
        String type;
        switch (req.protocol()) {
            case JSON -> {
                String c = code.equals("RequestLimitExceeded") ? "ThrottlingException" : code.equals("InternalError") ? "InternalFailure" : code;
                if (c.equals("ThrottlingException")) status = 400;
                body = "{\"__type\":\"" + c + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
                type = "application/x-amz-json-1.1";
                ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
            }
            case REST -> {
                String c = code.equals("RequestLimitExceeded") ? "Throttling" : code;
                if (c.equals("Throttling")) status = 400;
                body = "<?xml version=\"1.0\"?>\n<ErrorResponse><Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + c
                        + "</Code><Message>" + xml(message) + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
                type = "text/xml";
                ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
            }
            default -> {
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code + "</Code><Message>" + xml(message)
                        + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
                type = "text/xml;charset=UTF-8";
            }
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static AtomicLong counter(Map<String, AtomicLong> m, String key) {
        return m.computeIfAbsent(key, k -> new AtomicLong());
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (v.get() != 0) out.put(k, v.get());
        });
        return out;
    }

    private static long mix(long seed, String action, long n) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= (long) action.hashCode() * 0xC2B2AE3D27D4EB4FL;
        h ^= n * 0x165667B19E3779F9L;
        return h;
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }
}
