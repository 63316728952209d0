package io.netstack.provider.ec2.vpnconnection;

import static io.netstack.testing.Ec2Query.child;
import static io.netstack.testing.Ec2Query.form;
import static io.netstack.testing.Ec2Query.parse;
import static io.netstack.testing.Ec2Query.serialize;

import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.ForwardingProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A loopback HTTP fake in front of moto that adds the site-to-site VPN behaviour moto lacks
 * (docs/moto-notes.md), so that VPN connections can be tested through the real SDK request and response
 * path — in-process (point {@code AwsSettings.endpoint} or {@code AWS_ENDPOINT_URL} at
 * {@link #endpoint()}) and for the real {@code netstack.jar} in a child process, which an SDK
 * {@code ExecutionInterceptor} could not reach. Gaps covered:
 *
 * <ul>
 *   <li><b>CreateVpnConnectionRoute / DeleteVpnConnectionRoute</b> are not implemented by moto:
 *       answered here (EC2 query protocol, XML), with AWS's states: a new route is {@code pending}
 *       on the first describe, then {@code available}; a deleted one is {@code deleting} once,
 *       then gone. An unknown connection id answers {@code InvalidVpnConnectionID.NotFound}.</li>
 *   <li><b>VPN connection options</b>: moto drops {@code Options} of CreateVpnConnection.
 *       DescribeVpnConnections answers get AWS's {@code options} (staticRoutesOnly, two tunnels
 *       with inside CIDR, outside address and — as AWS does — the pre-shared key in clear;
 *       AWS-chosen ones when none were given) and {@code routes}.</li>
 *   <li><b>Pending state</b>: moto creates connections {@code available} at once; the first
 *       describe after the create answers {@code pending}, so the create wait really waits.</li>
 *   <li><b>VGW route propagation</b> (Enable/DisableVgwRoutePropagation) is not implemented by
 *       moto: answered here, and DescribeRouteTables answers get the {@code propagatingVgwSet}
 *       AWS would show (for the route-table type's {@code propagateFrom}).</li>
 * </ul>
 * Everything else is forwarded to moto unchanged (SigV4 headers included: moto routes by the
 * credential scope). Every EC2 request is recorded (action and parameters) for assertions.
 */
public final class VpnGapsProxy extends ForwardingProxy {
    private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** What moto forgets about one VPN connection. */
    static final class Conn {
        boolean staticRoutesOnly;
        final List<String[]> tunnels = new ArrayList<>(); // {insideCidr, preSharedKey, outsideIp}
        final Map<String, String> routes = new LinkedHashMap<>(); // cidr → state
        int pendingReads = 1;
    }

    private final Map<String, Conn> conns = new LinkedHashMap<>();
    private final List<Map<String, String>> requests = new ArrayList<>();
    private final Map<String, java.util.Set<String>> propagating = new LinkedHashMap<>(); // route table → VGWs
    private int next = 10;

    private VpnGapsProxy(URI moto) {
        super(moto, "vpn-gaps-proxy", 4);
    }

    public static VpnGapsProxy start(URI moto) {
        return new VpnGapsProxy(moto);
    }

    /** Recorded EC2 requests of {@code action}, as their form parameters. */
    public synchronized List<Map<String, String>> requests(String action) {
        return requests.stream().filter(r -> action.equals(r.get("Action"))).map(Map::copyOf).toList();
    }

    /** The static routes this fake holds for a connection (what AWS would have). */
    public synchronized Map<String, String> routes(String vpnId) {
        Conn c = conns.get(vpnId);
        return c == null ? Map.of() : Map.copyOf(c.routes);
    }

    /** Adds a route behind netstack's back (out-of-band change, for drift). */
    public synchronized void addRouteOutOfBand(String vpnId, String cidr) {
        conns.get(vpnId).routes.put(cidr, "available");
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            Map<String, String> form = type != null && type.startsWith("application/x-www-form-urlencoded") ? form(new String(body, StandardCharsets.UTF_8)) : Map.of();
            String action = form.get("Action");
            if (action != null) synchronized (this) {
                requests.add(form);
            }
            if ("CreateVpnConnectionRoute".equals(action) || "DeleteVpnConnectionRoute".equals(action)) {
                answerRoute(ex, action, form);
                return;
            }
            if ("EnableVgwRoutePropagation".equals(action) || "DisableVgwRoutePropagation".equals(action)) {
                synchronized (this) {
                    var set = propagating.computeIfAbsent(form.get("RouteTableId"), k -> new java.util.TreeSet<>());
                    if (action.startsWith("Enable")) set.add(form.get("GatewayId"));
                    else set.remove(form.get("GatewayId"));
                }
                reply(ex, 200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + action + "Response xmlns=\"" + EC2_NS + "\"><requestId>"
                        + UUID.randomUUID() + "</requestId><return>true</return></" + action + "Response>");
                return;
            }
            HttpResponse<byte[]> r = send(ex, body);
            byte[] out = r.body();
            if (r.statusCode() == 200 && "CreateVpnConnection".equals(action)) created(form, new String(out, StandardCharsets.UTF_8));
            if (r.statusCode() == 200 && "DescribeVpnConnections".equals(action)) out = describe(out);
            if (r.statusCode() == 200 && "DescribeRouteTables".equals(action)) out = describeRouteTables(out);
            reply(ex, r, out);
        } catch (Exception e) {
            byte[] msg = ("<Response><Errors><Error><Code>InternalError</Code><Message>vpn gaps proxy: " + e + "</Message></Error></Errors></Response>").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, msg.length);
            ex.getResponseBody().write(msg);
        }
    }

    private synchronized void created(Map<String, String> form, String response) {
        Matcher m = Pattern.compile("<vpnConnectionId>([^<]+)</vpnConnectionId>").matcher(response);
        if (!m.find()) return;
        Conn c = new Conn();
        c.staticRoutesOnly = Boolean.parseBoolean(form.getOrDefault("Options.StaticRoutesOnly", "false"));
        for (int i = 1; i <= 2; i++) {
            String inside = form.get("Options.TunnelOptions." + i + ".TunnelInsideCidr");
            String psk = form.get("Options.TunnelOptions." + i + ".PreSharedKey");
            int n = next++;
            // AWS picks an inside CIDR and a key for tunnels given without them.
            if (inside == null) inside = "169.254." + (100 + n) + ".0/30";
            if (psk == null) psk = "awsGenerated" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
            c.tunnels.add(new String[] {inside, psk, "198.51.100." + n});
        }
        conns.put(m.group(1), c);
    }

    private void answerRoute(HttpExchange ex, String action, Map<String, String> form) throws IOException {
        String vpnId = form.get("VpnConnectionId"), cidr = form.get("DestinationCidrBlock");
        String error = null;
        synchronized (this) {
            Conn c = conns.get(vpnId);
            if (c == null) {
                error = "<Code>InvalidVpnConnectionID.NotFound</Code><Message>The vpnConnection ID '" + vpnId + "' does not exist</Message>";
            } else if (action.startsWith("Create")) {
                if (c.routes.containsKey(cidr)) error = "<Code>RouteAlreadyExists</Code><Message>The route identified by " + cidr + " already exists.</Message>";
                else c.routes.put(cidr, "pending");
            } else {
                if (!c.routes.containsKey(cidr)) error = "<Code>InvalidRoute.NotFound</Code><Message>no route with destination-cidr-block " + cidr + " in vpn connection " + vpnId + "</Message>";
                else c.routes.put(cidr, "deleting");
            }
        }
        String rid = UUID.randomUUID().toString();
        String xml = error == null
                ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + action + "Response xmlns=\"" + EC2_NS + "\"><requestId>" + rid + "</requestId><return>true</return></" + action + "Response>"
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error>" + error + "</Error></Errors><RequestID>" + rid + "</RequestID></Response>";
        reply(ex, error == null ? 200 : 400, xml);
    }

    private static void reply(HttpExchange ex, int status, String xml) throws IOException {
        reply(ex, status, "text/xml;charset=UTF-8", xml.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds the propagating VGWs to moto's DescribeRouteTables answer. */
    private synchronized byte[] describeRouteTables(byte[] moto) throws Exception {
        if (propagating.values().stream().allMatch(java.util.Set::isEmpty)) return moto;
        Document doc = parse(moto);
        String ns = doc.getDocumentElement().getNamespaceURI();
        NodeList ids = doc.getElementsByTagNameNS("*", "routeTableId");
        List<Element> tables = new ArrayList<>();
        for (int i = 0; i < ids.getLength(); i++) {
            Element item = (Element) ids.item(i).getParentNode();
            // routeTableId also appears inside associationSet items: only the table's own item counts
            if (item.getParentNode() instanceof Element set && "routeTableSet".equals(set.getLocalName())) tables.add(item);
        }
        for (Element item : tables) {
            java.util.Set<String> vgws = propagating.getOrDefault(child(item, "routeTableId").getTextContent().trim(), java.util.Set.of());
            removeChild(item, "propagatingVgwSet");
            Element set = add(doc, ns, item, "propagatingVgwSet", null);
            for (String vgw : vgws) add(doc, ns, add(doc, ns, set, "item", null), "gatewayId", vgw);
        }
        return serialize(doc);
    }

    /** Adds options, routes and the pending state to moto's DescribeVpnConnections answer. */
    private synchronized byte[] describe(byte[] moto) throws Exception {
        Document doc = parse(moto);
        String ns = doc.getDocumentElement().getNamespaceURI();
        NodeList ids = doc.getElementsByTagNameNS("*", "vpnConnectionId");
        List<Runnable> afterReply = new ArrayList<>();
        for (int i = 0; i < ids.getLength(); i++) {
            Element item = (Element) ids.item(i).getParentNode();
            String id = ids.item(i).getTextContent().trim();
            Conn c = conns.get(id);
            if (c == null) continue;
            Element state = child(item, "state");
            if (state != null && "available".equals(state.getTextContent()) && c.pendingReads > 0) {
                state.setTextContent("pending");
                c.pendingReads--;
            }
            removeChild(item, "options");
            removeChild(item, "routes");
            Element options = add(doc, ns, item, "options", null);
            add(doc, ns, options, "staticRoutesOnly", String.valueOf(c.staticRoutesOnly));
            Element set = add(doc, ns, options, "tunnelOptionSet", null);
            for (String[] t : c.tunnels) {
                Element ti = add(doc, ns, set, "item", null);
                add(doc, ns, ti, "outsideIpAddress", t[2]);
                add(doc, ns, ti, "tunnelInsideCidr", t[0]);
                add(doc, ns, ti, "preSharedKey", t[1]);
            }
            Element routes = add(doc, ns, item, "routes", null);
            for (Map.Entry<String, String> r : c.routes.entrySet()) {
                Element ri = add(doc, ns, routes, "item", null);
                add(doc, ns, ri, "destinationCidrBlock", r.getKey());
                add(doc, ns, ri, "source", "Static");
                add(doc, ns, ri, "state", r.getValue());
            }
            // AWS moves pending → available and deleting → gone; here one describe later.
            afterReply.add(() -> {
                c.routes.replaceAll((k, v) -> v.equals("pending") ? "available" : v);
                c.routes.values().removeIf(v -> v.equals("deleting"));
            });
        }
        afterReply.forEach(Runnable::run);
        return serialize(doc);
    }

    private static void removeChild(Element parent, String name) {
        Element e = child(parent, name);
        if (e != null) parent.removeChild(e);
    }

    private static Element add(Document doc, String ns, Element parent, String name, String text) {
        Element e = doc.createElementNS(ns, name);
        if (text != null) e.setTextContent(text);
        parent.appendChild(e);
        return e;
    }
}
