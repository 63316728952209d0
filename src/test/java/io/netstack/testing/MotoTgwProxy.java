package io.netstack.testing;

import static io.netstack.testing.Ec2Query.form;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A loopback HTTP proxy in front of moto 5.2.1 that makes transit gateway routing behave as AWS
 * documents it, for the gaps moto has (read in moto/ec2/models/transit_gateway*.py). Each gap:
 * <ol>
 *   <li><b>Gateway-wide defaults at attachment creation.</b> moto associates every new VPC
 *       attachment with the default route table even when the gateway's
 *       {@code DefaultRouteTableAssociation} is {@code disable}, and never propagates to it even
 *       when {@code DefaultRouteTablePropagation} is {@code enable}. After a
 *       CreateTransitGatewayVpcAttachment the proxy hides the association (1) or enables the
 *       propagation through moto's own API (2), as AWS would have done.</li>
 *   <li><b>Disassociating that automatic association</b> fails in moto with an HTML 500 (it is not
 *       in moto's association index: KeyError). The proxy answers it as AWS does and hides the
 *       association from GetTransitGatewayRouteTableAssociations from then on (until an
 *       AssociateTransitGatewayRouteTable makes it again).</li>
 *   <li><b>Propagated routes.</b> moto records propagations but never produces routes from them.
 *       SearchTransitGatewayRoutes answers gain one {@code propagated} route per CIDR block of the
 *       VPC of each attachment propagating to the table (a static route for the same destination
 *       wins, as on AWS), honouring the {@code type} and {@code route-search.exact-match} filters.</li>
 *   <li><b>Static route targets.</b> moto answers a static route to an attachment with an empty
 *       {@code transitGatewayAttachments}; the proxy puts back the attachment it was created with.</li>
 *   <li><b>ModifyTransitGateway Add/RemoveTransitGatewayCidrBlocks</b> are stored by moto as
 *       unknown options and change nothing (nor can its ModifyTransitGateway set the list). The
 *       proxy keeps the gateway's resulting list itself and answers it in place of moto's in
 *       DescribeTransitGateways and ModifyTransitGateway responses.</li>
 * </ol>
 * Everything else passes through unchanged; requests keep the SDK's headers (moto reads only the
 * credential scope, not the signature). The proxy's own calls to moto reuse the triggering
 * request's Authorization header.
 */
public final class MotoTgwProxy implements AutoCloseable {
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding");
    private static final Pattern EMPTY_ROUTE_ATTACHMENTS = Pattern.compile(
            "<item><destinationCidrBlock>([^<]+)</destinationCidrBlock><transitGatewayAttachments/>");
    private static final Pattern ITEM = Pattern.compile("<item>((?:(?!<item>|</item>).)*)</item>", Pattern.DOTALL);

    private final URI upstream;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** "routeTableId destination" → attachment id of static routes made through the proxy. */
    private final Map<String, String> staticTargets = new ConcurrentHashMap<>();
    /** "routeTableId attachmentId" of automatic associations AWS would not have (or that were undone). */
    private final Set<String> hidden = ConcurrentHashMap.newKeySet();
    /** Gateway id → its CIDR blocks, once a ModifyTransitGateway changed them. */
    private final Map<String, List<String>> cidrBlocks = new ConcurrentHashMap<>();

    public MotoTgwProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "moto-tgw-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = form(body);
            String action = form.getOrDefault("Action", "");
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (action.equals("ModifyTransitGateway")) body = cidrBlocksModified(form, auth, body);
            HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve(ex.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofString(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!RESTRICTED.contains(k.toLowerCase())) vs.forEach(v -> b.header(k, v));
            });
            HttpResponse<byte[]> resp = send(b.build());
            int status = resp.statusCode();
            String out = new String(resp.body(), StandardCharsets.UTF_8);
            String rt = form.get("TransitGatewayRouteTableId"), att = form.get("TransitGatewayAttachmentId");
            if (status == 200) {
                switch (action) {
                    case "CreateTransitGatewayRoute" -> {
                        String key = rt + " " + form.get("DestinationCidrBlock");
                        if (att != null) staticTargets.put(key, att);
                        else staticTargets.remove(key);
                    }
                    case "DeleteTransitGatewayRoute" -> staticTargets.remove(rt + " " + form.get("DestinationCidrBlock"));
                    case "CreateTransitGatewayVpcAttachment" -> gatewayDefaults(form.get("TransitGatewayId"), first(out, "transitGatewayAttachmentId"), auth);
                    case "AssociateTransitGatewayRouteTable" -> hidden.remove(rt + " " + att);
                    case "DescribeTransitGateways", "ModifyTransitGateway" -> out = withCidrBlocks(out);
                    case "GetTransitGatewayRouteTableAssociations" -> out = withoutHidden(rt, out);
                    case "SearchTransitGatewayRoutes" -> out = withPropagatedRoutes(rt, form, withStaticTargets(rt, out), auth);
                    default -> { }
                }
            } else if (action.equals("DisassociateTransitGatewayRouteTable") && status == 500 && !hidden.contains(rt + " " + att)
                    && associated(rt, att, auth)) {
                hidden.add(rt + " " + att);
                status = 200;
                out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DisassociateTransitGatewayRouteTableResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                        + "<requestId>moto-tgw-proxy</requestId><association><transitGatewayRouteTableId>" + rt + "</transitGatewayRouteTableId>"
                        + "<transitGatewayAttachmentId>" + att + "</transitGatewayAttachmentId><state>disassociating</state></association>"
                        + "</DisassociateTransitGatewayRouteTableResponse>";
            }
            byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
            if (status == resp.statusCode()) {
                resp.headers().map().forEach((k, vs) -> {
                    if (!RESTRICTED.contains(k.toLowerCase()) && !k.equals(":status")) ex.getResponseHeaders().put(k, List.copyOf(vs));
                });
            } else {
                ex.getResponseHeaders().put("Content-Type", List.of("text/xml"));
            }
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(bytes);
                }
            }
        }
    }

    // ------------------------------------------------------------ gaps 1 and 2: associations

    private void gatewayDefaults(String tgwId, String att, String auth) throws IOException {
        if (tgwId == null || att == null) return;
        String tgw = call(auth, "DescribeTransitGateways", Map.of("TransitGatewayId.1", tgwId));
        String assocTable = first(tgw, "associationDefaultRouteTableId"), propTable = first(tgw, "propagationDefaultRouteTableId");
        if (assocTable != null && "disable".equals(first(tgw, "defaultRouteTableAssociation"))) hidden.add(assocTable + " " + att);
        if (propTable != null && "enable".equals(first(tgw, "defaultRouteTablePropagation"))) {
            call(auth, "EnableTransitGatewayRouteTablePropagation", Map.of("TransitGatewayRouteTableId", propTable, "TransitGatewayAttachmentId", att));
        }
    }

    private boolean associated(String rt, String att, String auth) throws IOException {
        if (rt == null || att == null) return false;
        String xml = call(auth, "GetTransitGatewayRouteTableAssociations", Map.of("TransitGatewayRouteTableId", rt));
        return xml.contains("<transitGatewayAttachmentId>" + att + "</transitGatewayAttachmentId>");
    }

    private String withoutHidden(String rt, String xml) {
        Matcher m = ITEM.matcher(xml);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String att = first(m.group(1), "transitGatewayAttachmentId");
            m.appendReplacement(sb, Matcher.quoteReplacement(att != null && hidden.contains(rt + " " + att) ? "" : m.group(0)));
        }
        m.appendTail(sb);
        return sb.toString().replace("<associations></associations>", "<associations/>");
    }

    // ------------------------------------------------------------ gaps 3 and 4: routes

    private String withStaticTargets(String rt, String xml) {
        Matcher m = EMPTY_ROUTE_ATTACHMENTS.matcher(xml);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String att = staticTargets.get(rt + " " + m.group(1));
            String replacement = att == null ? m.group(0)
                    : "<item><destinationCidrBlock>" + m.group(1) + "</destinationCidrBlock><transitGatewayAttachments><item>"
                            + "<transitGatewayAttachmentId>" + att + "</transitGatewayAttachmentId></item></transitGatewayAttachments>";
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private String withPropagatedRoutes(String rt, Map<String, String> form, String xml, String auth) throws IOException {
        Map<String, List<String>> filters = filters(form);
        if (filters.containsKey("type") && !filters.get("type").contains("propagated")) return xml;
        if (filters.containsKey("state") && !filters.get("state").contains("active")) return xml;
        List<String> exact = filters.get("route-search.exact-match");
        StringBuilder added = new StringBuilder();
        String props = call(auth, "GetTransitGatewayRouteTablePropagations", Map.of("TransitGatewayRouteTableId", rt));
        Matcher m = ITEM.matcher(props);
        while (m.find()) {
            String att = first(m.group(1), "transitGatewayAttachmentId");
            if (att == null || !"enabled".equals(first(m.group(1), "state"))) continue;
            String vpc = first(call(auth, "DescribeTransitGatewayVpcAttachments", Map.of("TransitGatewayAttachmentIds.1", att)), "vpcId");
            if (vpc == null) continue;
            for (String cidr : all(call(auth, "DescribeVpcs", Map.of("VpcId.1", vpc)), "cidrBlock")) {
                if (exact != null && !exact.contains(cidr)) continue;
                if (xml.contains("<destinationCidrBlock>" + cidr + "</destinationCidrBlock>")) continue; // a static route wins
                added.append("<item><destinationCidrBlock>").append(cidr).append("</destinationCidrBlock><transitGatewayAttachments><item>")
                        .append("<resourceId>").append(vpc).append("</resourceId><transitGatewayAttachmentId>").append(att)
                        .append("</transitGatewayAttachmentId><resourceType>vpc</resourceType></item></transitGatewayAttachments>")
                        .append("<type>propagated</type><state>active</state></item>");
            }
        }
        if (added.isEmpty()) return xml;
        if (xml.contains("<routeSet/>")) return xml.replace("<routeSet/>", "<routeSet>" + added + "</routeSet>");
        return xml.replace("</routeSet>", added + "</routeSet>");
    }

    // ------------------------------------------------------------ gap 5: gateway CIDR blocks

    private String cidrBlocksModified(Map<String, String> form, String auth, String body) throws IOException {
        List<String> add = indexed(form, "Options.AddTransitGatewayCidrBlocks."), remove = indexed(form, "Options.RemoveTransitGatewayCidrBlocks.");
        if (add.isEmpty() && remove.isEmpty()) return body;
        String tgwId = form.get("TransitGatewayId");
        List<String> current = cidrBlocks.get(tgwId);
        if (current == null) {
            Matcher blocks = Pattern.compile("<transitGatewayCidrBlocks>(.*?)</transitGatewayCidrBlocks>", Pattern.DOTALL)
                    .matcher(call(auth, "DescribeTransitGateways", Map.of("TransitGatewayId.1", tgwId)));
            current = blocks.find() ? all(blocks.group(1), "item") : List.of();
        }
        Set<String> now = new LinkedHashSet<>(current);
        now.addAll(add);
        now.removeAll(remove);
        cidrBlocks.put(tgwId, List.copyOf(now));
        Map<String, String> rest = new LinkedHashMap<>();
        form.forEach((k, v) -> {
            if (!k.startsWith("Options.AddTransitGatewayCidrBlocks.") && !k.startsWith("Options.RemoveTransitGatewayCidrBlocks.")) rest.put(k, v);
        });
        return encode(rest);
    }

    private String withCidrBlocks(String xml) {
        for (Map.Entry<String, List<String>> e : cidrBlocks.entrySet()) {
            int at = xml.indexOf("<transitGatewayId>" + e.getKey() + "</transitGatewayId>");
            if (at < 0) continue;
            Matcher m = Pattern.compile("<transitGatewayCidrBlocks>.*?</transitGatewayCidrBlocks>|<transitGatewayCidrBlocks/>", Pattern.DOTALL).matcher(xml);
            if (!m.find(at)) continue;
            String list = e.getValue().stream().map(c -> "<item>" + c + "</item>").collect(Collectors.joining());
            xml = xml.substring(0, m.start()) + "<transitGatewayCidrBlocks>" + list + "</transitGatewayCidrBlocks>" + xml.substring(m.end());
        }
        return xml;
    }

    // ------------------------------------------------------------ plumbing

    private String call(String auth, String action, Map<String, String> params) throws IOException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Action", action);
        f.put("Version", "2016-11-15");
        f.putAll(params);
        HttpRequest.Builder b = HttpRequest.newBuilder(upstream.resolve("/")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(encode(f)));
        if (auth != null) b.header("Authorization", auth);
        HttpResponse<byte[]> r = send(b.build());
        if (r.statusCode() != 200) throw new IOException(action + " answered " + r.statusCode());
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> send(HttpRequest r) throws IOException {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static String first(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    static List<String> all(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        Set<String> out = new LinkedHashSet<>();
        while (m.find()) out.add(m.group(1));
        return new ArrayList<>(out);
    }

    private static Map<String, List<String>> filters(Map<String, String> form) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("Filter." + i + ".Name"); i++) {
            out.put(form.get("Filter." + i + ".Name"), indexed(form, "Filter." + i + ".Value."));
        }
        return out;
    }

    private static List<String> indexed(Map<String, String> form, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; form.containsKey(prefix + i); i++) out.add(form.get(prefix + i));
        return out;
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
