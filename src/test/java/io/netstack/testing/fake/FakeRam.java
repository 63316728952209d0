package io.netstack.testing.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback AWS RAM (REST-JSON, signing name {@code ram}) for what moto 5.2.1 lacks
 * (docs/moto-notes.md): moto's GetResourceShares ignores its tag and ARN filters and returns no
 * tags, its UpdateResourceShare clears the name, and it has no TagResource, UntagResource,
 * Associate/DisassociateResourceShare, invitations, or view of a share from the receiving account
 * (OTHER-ACCOUNTS answers an HTML 500). Every other request (EC2: the transit gateways and subnets
 * that are shared) is forwarded unchanged to the upstream (moto).
 *
 * <p>Several accounts: the caller's account is chosen by the access key of the request's
 * credential scope ({@link #account}; unknown keys are {@link #DEFAULT_ACCOUNT}). A share with an
 * account principal outside {@link #organization} makes a PENDING invitation for it; the receiver
 * sees the share (GetResourceShares, resourceOwner OTHER-ACCOUNTS) once it accepted, or at once when
 * it is in the organization (no invitations there, as on AWS with organization sharing on).
 * Associations are ASSOCIATING for {@link #pendingReads} reads, then ASSOCIATED.
 */
public final class FakeRam implements AutoCloseable {
    public static final String DEFAULT_ACCOUNT = "123456789012";
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/");
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    /** A request the fake answered. */
    public record Call(String account, String action, JsonNode body) {}

    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService pool;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private final Set<String> organization = ConcurrentHashMap.newKeySet();
    private final Map<String, ObjectNode> shares = new LinkedHashMap<>();
    /** share ARN → entity → [type, status, reads left ASSOCIATING]. */
    private final Map<String, Map<String, Object[]>> associations = new LinkedHashMap<>();
    private final Map<String, ObjectNode> invitations = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private volatile int pendingReads;

    private FakeRam(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "fake-ram");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeRam start(URI upstream) {
        try {
            return new FakeRam(upstream);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake RAM endpoint", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests signed with {@code accessKeyId} act in {@code account}. */
    public FakeRam account(String accessKeyId, String account) {
        accounts.put(accessKeyId, account);
        return this;
    }

    /** Accounts in the sharing account's organization (with sharing enabled): no invitations. */
    public FakeRam organization(String... members) {
        organization.addAll(List.of(members));
        return this;
    }

    public FakeRam pendingReads(int n) {
        this.pendingReads = n;
        return this;
    }

    public synchronized List<Call> calls(String action) {
        return calls.stream().filter(c -> c.action().equals(action)).toList();
    }

    /** The share as its owner sees it (null if unknown). */
    public synchronized JsonNode share(String arn) {
        ObjectNode s = shares.get(arn);
        return s == null ? null : s.deepCopy();
    }

    /** The live (not DISASSOCIATED) entities of a share of {@code type} (PRINCIPAL or RESOURCE). */
    public synchronized List<String> associated(String arn, String type) {
        List<String> out = new ArrayList<>();
        associations.getOrDefault(arn, Map.of()).forEach((e, a) -> {
            if (a[0].equals(type) && !a[1].equals("DISASSOCIATED")) out.add(e);
        });
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
            boolean found = m != null && m.find();
            if (!found || !m.group(3).equals("ram")) {
                forward(ex, body);
                return;
            }
            String account = accounts.getOrDefault(m.group(1), DEFAULT_ACCOUNT), region = m.group(2);
            String path = ex.getRequestURI().getPath().replaceFirst("^/", "");
            ObjectNode req = body.length == 0 ? SdkWire.MAPPER.createObjectNode() : (ObjectNode) SdkWire.MAPPER.readTree(body);
            String query = ex.getRequestURI().getRawQuery();
            if (query != null) for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) req.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
            Object[] answer;
            synchronized (this) {
                calls.add(new Call(account, path, req));
                answer = answer(path, account, region, req);
            }
            byte[] out = SdkWire.MAPPER.writeValueAsBytes(answer[1]);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            if (answer.length > 2) ex.getResponseHeaders().set("x-amzn-ErrorType", (String) answer[2]);
            ex.sendResponseHeaders((Integer) answer[0], out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (RuntimeException e) {
            byte[] out = ("{\"message\":\"fake: " + e.toString().replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("x-amzn-ErrorType", "ServerInternalException");
            ex.sendResponseHeaders(500, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    private Object[] answer(String action, String account, String region, ObjectNode req) {
        ObjectNode out = SdkWire.MAPPER.createObjectNode();
        switch (action) {
            case "createresourceshare" -> {
                String arn = "arn:aws:ram:" + region + ":" + account + ":resource-share/" + UUID.randomUUID();
                ObjectNode s = out.putObject("resourceShare");
                s.put("resourceShareArn", arn).put("name", req.path("name").asText()).put("owningAccountId", account)
                        .put("allowExternalPrincipals", req.path("allowExternalPrincipals").asBoolean(true)).put("status", "ACTIVE").put("featureSet", "STANDARD");
                s.set("tags", req.has("tags") ? req.get("tags") : SdkWire.MAPPER.createArrayNode());
                shares.put(arn, s.deepCopy());
                associate(arn, account, region, req);
            }
            case "getresourceshares" -> {
                ArrayNode list = out.putArray("resourceShares");
                Set<String> only = texts(req.get("resourceShareArns"));
                boolean self = "SELF".equals(req.path("resourceOwner").asText());
                for (ObjectNode s : shares.values()) {
                    String arn = s.get("resourceShareArn").asText();
                    if (!only.isEmpty() && !only.contains(arn)) continue;
                    if (self ? !s.get("owningAccountId").asText().equals(account) : !visibleTo(arn, account)) continue;
                    if (!matchesTags(s, req.get("tagFilters"))) continue;
                    list.add(s.deepCopy());
                }
            }
            case "getresourceshareassociations" -> {
                ArrayNode list = out.putArray("resourceShareAssociations");
                Set<String> only = texts(req.get("resourceShareArns"));
                String type = req.path("associationType").asText();
                associations.forEach((arn, m) -> {
                    if (!only.isEmpty() && !only.contains(arn) || !shares.get(arn).get("owningAccountId").asText().equals(account)) return;
                    m.forEach((entity, a) -> {
                        if (!a[0].equals(type)) return;
                        int left = (Integer) a[2];
                        if (left > 0) a[2] = left - 1;
                        else if (a[1].equals("ASSOCIATING")) a[1] = "ASSOCIATED";
                        else if (a[1].equals("DISASSOCIATING")) a[1] = "DISASSOCIATED";
                        list.addObject().put("resourceShareArn", arn).put("associatedEntity", entity).put("associationType", type).put("status", (String) a[1]);
                    });
                });
            }
            case "associateresourceshare", "disassociateresourceshare", "updateresourceshare", "tagresource", "untagresource", "deleteresourceshare" -> {
                String arn = req.path("resourceShareArn").asText();
                ObjectNode s = shares.get(arn);
                if (s == null || !s.get("owningAccountId").asText().equals(account) || s.get("status").asText().equals("DELETED")) {
                    return new Object[] {400, SdkWire.MAPPER.createObjectNode().put("message", "ResourceShare " + arn + " could not be found."), "UnknownResourceException"};
                }
                switch (action) {
                    case "associateresourceshare" -> associate(arn, account, region, req);
                    case "disassociateresourceshare" -> {
                        for (String p : texts(req.get("principals"))) disassociate(arn, p);
                        for (String r : texts(req.get("resourceArns"))) disassociate(arn, r);
                    }
                    case "updateresourceshare" -> {
                        if (req.has("name")) s.put("name", req.get("name").asText());
                        if (req.has("allowExternalPrincipals")) s.put("allowExternalPrincipals", req.get("allowExternalPrincipals").asBoolean());
                        out.set("resourceShare", s.deepCopy());
                    }
                    case "tagresource" -> {
                        Map<String, String> t = tags(s);
                        req.path("tags").forEach(x -> t.put(x.get("key").asText(), x.get("value").asText()));
                        setTags(s, t);
                    }
                    case "untagresource" -> {
                        Map<String, String> t = tags(s);
                        texts(req.get("tagKeys")).forEach(t::remove);
                        setTags(s, t);
                    }
                    default -> {
                        s.put("status", "DELETED");
                        out.put("returnValue", true);
                    }
                }
            }
            case "getresourceshareinvitations" -> {
                ArrayNode list = out.putArray("resourceShareInvitations");
                Set<String> only = texts(req.get("resourceShareArns"));
                for (ObjectNode i : invitations.values()) {
                    if (!i.get("receiverAccountId").asText().equals(account)) continue;
                    if (!only.isEmpty() && !only.contains(i.get("resourceShareArn").asText())) continue;
                    list.add(i.deepCopy());
                }
            }
            case "acceptresourceshareinvitation" -> {
                ObjectNode i = invitations.get(req.path("resourceShareInvitationArn").asText());
                if (i == null || !i.get("receiverAccountId").asText().equals(account)) {
                    return new Object[] {400, SdkWire.MAPPER.createObjectNode().put("message", "invitation not found"), "ResourceShareInvitationArnNotFoundException"};
                }
                if (!i.get("status").asText().equals("PENDING")) {
                    return new Object[] {400, SdkWire.MAPPER.createObjectNode().put("message", "invitation is " + i.get("status").asText()),
                            "ResourceShareInvitationAlreadyAcceptedException"};
                }
                i.put("status", "ACCEPTED");
                out.set("resourceShareInvitation", i.deepCopy());
            }
            default -> {
                return new Object[] {400, SdkWire.MAPPER.createObjectNode().put("message", "fake RAM: " + action + " is not implemented"), "InvalidParameterException"};
            }
        }
        return new Object[] {200, out};
    }

    private void associate(String arn, String owner, String region, JsonNode req) {
        Map<String, Object[]> m = associations.computeIfAbsent(arn, k -> new LinkedHashMap<>());
        for (String r : texts(req.get("resourceArns"))) m.put(r, new Object[] {"RESOURCE", "ASSOCIATING", pendingReads});
        for (String p : texts(req.get("principals"))) {
            m.put(p, new Object[] {"PRINCIPAL", "ASSOCIATING", pendingReads});
            if (p.matches("\\d{12}") && !p.equals(owner) && !organization.contains(p)) {
                String inv = "arn:aws:ram:" + region + ":" + owner + ":resource-share-invitation/" + UUID.randomUUID();
                ObjectNode i = SdkWire.MAPPER.createObjectNode();
                i.put("resourceShareInvitationArn", inv).put("resourceShareName", shares.get(arn).get("name").asText()).put("resourceShareArn", arn)
                        .put("senderAccountId", owner).put("receiverAccountId", p).put("status", "PENDING");
                invitations.put(inv, i);
            }
        }
    }

    private void disassociate(String arn, String entity) {
        Object[] a = associations.getOrDefault(arn, Map.of()).get(entity);
        if (a != null) {
            a[1] = "DISASSOCIATING";
            a[2] = pendingReads;
        }
    }

    private boolean visibleTo(String arn, String account) {
        ObjectNode s = shares.get(arn);
        if (!s.get("status").asText().equals("ACTIVE")) return false;
        Object[] a = associations.getOrDefault(arn, Map.of()).get(account);
        if (a == null || !a[0].equals("PRINCIPAL") || a[1].equals("DISASSOCIATED")) return false;
        if (organization.contains(account)) return true;
        return invitations.values().stream().anyMatch(i -> i.get("resourceShareArn").asText().equals(arn)
                && i.get("receiverAccountId").asText().equals(account) && i.get("status").asText().equals("ACCEPTED"));
    }

    private static boolean matchesTags(ObjectNode s, JsonNode filters) {
        if (filters == null) return true;
        Map<String, String> t = tags(s);
        for (JsonNode f : filters) {
            String v = t.get(f.path("tagKey").asText());
            if (v == null || !texts(f.get("tagValues")).isEmpty() && !texts(f.get("tagValues")).contains(v)) return false;
        }
        return true;
    }

    private static Map<String, String> tags(ObjectNode s) {
        Map<String, String> t = new TreeMap<>();
        s.path("tags").forEach(x -> t.put(x.get("key").asText(), x.get("value").asText()));
        return t;
    }

    private static void setTags(ObjectNode s, Map<String, String> t) {
        ArrayNode a = s.putArray("tags");
        t.forEach((k, v) -> a.addObject().put("key", k).put("value", v));
    }

    private static Set<String> texts(JsonNode n) {
        Set<String> out = new java.util.LinkedHashSet<>();
        if (n != null) n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private void forward(HttpExchange ex, byte[] body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream.toString().replaceFirst("/$", "") + ex.getRequestURI()))
                .timeout(Duration.ofSeconds(60)).method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase(Locale.ROOT))) vs.forEach(v -> b.header(k, v));
        });
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().map().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) ex.getResponseHeaders().put(k, vs);
        });
        byte[] out = r.body();
        ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
