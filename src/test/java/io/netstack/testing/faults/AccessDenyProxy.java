package io.netstack.testing.faults;

import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.ForwardingProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * IAM in front of a local AWS API (moto has none: every call is allowed). Each request is mapped
 * to the IAM actions it needs — EC2 query {@code Action=}, JSON protocols' {@code X-Amz-Target}
 * (Direct Connect, the Resource Groups Tagging API: prefix {@code tag}), CloudFront's REST paths —
 * and answered with that service's access-denied error unless every one of them is allowed:
 * EC2 {@code UnauthorizedOperation} (403, XML), Direct Connect and tagging
 * {@code AccessDeniedException} (400, JSON), CloudFront {@code AccessDenied} (403, XML). Allowed
 * requests go to the upstream unchanged. Allowed actions are exact ({@code ec2:CreateVpc}) or a
 * service wildcard ({@code ec2:*}); {@link #allow} replaces them between runs.
 */
public final class AccessDenyProxy extends ForwardingProxy {
    private volatile Set<String> allowed = Set.of();
    private final List<String> denied = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();

    private AccessDenyProxy(URI upstream) {
        super(upstream, "access-deny-proxy", 16);
    }

    public static AccessDenyProxy start(URI upstream) {
        return new AccessDenyProxy(upstream);
    }

    /** From now on only these actions are allowed; clears what was denied and seen. */
    public synchronized AccessDenyProxy allow(Set<String> actions) {
        allowed = Set.copyOf(actions);
        denied.clear();
        seen.clear();
        return this;
    }

    /** IAM actions denied since the last {@link #allow}, in order, with repeats. */
    public synchronized List<String> denied() {
        return List.copyOf(denied);
    }

    /** IAM actions of every request since the last {@link #allow}, allowed or not. */
    public synchronized Set<String> seen() {
        return new TreeSet<>(seen);
    }

    boolean allows(String action) {
        Set<String> a = allowed;
        return a.contains(action) || a.contains(action.substring(0, action.indexOf(':') + 1) + "*") || a.contains("*");
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        FaultProxy.Request req = FaultProxy.parse(ex, body);
        if (req.protocol() == FaultProxy.Protocol.MOTO) {
            forward(ex, body);
            return;
        }
        List<String> needs = iamActions(req, ex.getRequestMethod(), ex.getRequestURI());
        String missing = null;
        synchronized (this) {
            seen.addAll(needs);
            for (String a : needs) {
                if (!allows(a)) {
                    missing = a;
                    denied.add(a);
                    break;
                }
            }
        }
        if (missing == null) forward(ex, body);
        else deny(ex, req, missing);
    }

    /** The IAM actions a request needs (IAM service authorization reference). */
    static List<String> iamActions(FaultProxy.Request req, String method, URI uri) {
        String service = req.service();
        if (req.protocol() == FaultProxy.Protocol.REST && service.equals("cloudfront")) {
            String a = cloudFront(method, uri);
            // CreateDistributionWithTags needs both (IAM service authorization reference, CloudFront)
            boolean withTags = a.equals("cloudfront:CreateDistribution") && uri.getRawQuery() != null && uri.getRawQuery().contains("WithTags");
            return withTags ? List.of(a, "cloudfront:TagResource") : List.of(a);
        }
        if (req.protocol() == FaultProxy.Protocol.REST && service.equals("ram")) return List.of("ram:" + ram(uri));
        String prefix = service.equals("tagging") ? "tag" : service;
        return List.of(prefix + ":" + req.action());
    }

    /** RAM's REST API names each action by a lower-case path: /createresourceshare → CreateResourceShare. */
    static final List<String> RAM_ACTIONS = List.of("CreateResourceShare", "GetResourceShares", "GetResourceShareAssociations",
            "AssociateResourceShare", "DisassociateResourceShare", "UpdateResourceShare", "DeleteResourceShare", "TagResource", "UntagResource",
            "GetResourceShareInvitations", "AcceptResourceShareInvitation", "RejectResourceShareInvitation", "ListResources", "ListPrincipals");

    static String ram(URI uri) {
        String path = uri.getPath().replaceFirst("^/", "");
        return RAM_ACTIONS.stream().filter(a -> a.toLowerCase(Locale.ROOT).equals(path)).findFirst().orElse("Unknown" + path);
    }

    /** CloudFront's REST API (2020-05-31) → IAM action. */
    static String cloudFront(String method, URI uri) {
        String path = uri.getPath().replaceFirst("^/\\d{4}-\\d{2}-\\d{2}", "");
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        String a;
        if (path.equals("/tagging")) {
            a = method.equals("GET") ? "ListTagsForResource" : query.contains("Operation=Untag") ? "UntagResource" : "TagResource";
        } else if (path.equals("/distribution")) {
            a = method.equals("GET") ? "ListDistributions" : "CreateDistribution";
        } else if (path.matches("/distribution/[^/]+/config")) {
            a = method.equals("GET") ? "GetDistributionConfig" : "UpdateDistribution";
        } else if (path.matches("/distribution/[^/]+")) {
            a = method.equals("DELETE") ? "DeleteDistribution" : "GetDistribution";
        } else {
            a = "Unknown" + method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT) + path.replaceAll("[^A-Za-z]", "");
        }
        return "cloudfront:" + a;
    }

    private static void deny(HttpExchange ex, FaultProxy.Request req, String action) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String message = "User: arn:aws:sts::123456789012:assumed-role/netstack-ci/test is not authorized to perform: " + action
                + " because no identity-based policy allows the " + action + " action";
        int status;
        String type, body;
        switch (req.protocol()) {
            case JSON -> {
                status = 400;
                type = "application/x-amz-json-1.1";
                body = "{\"__type\":\"AccessDeniedException\",\"message\":\"" + message + "\"}";
                ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
            }
            case REST -> {
                status = 403;
                type = "text/xml";
                body = "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Error><Type>Sender</Type>"
                        + "<Code>AccessDenied</Code><Message>" + message + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
                ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
            }
            default -> {
                status = 403;
                type = "text/xml;charset=UTF-8";
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not "
                        + "authorized to perform this operation. " + message + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
            }
        }
        reply(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }
}
