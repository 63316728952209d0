package io.netstack.testing.fake;

import com.sun.net.httpserver.HttpExchange;
import io.netstack.testing.ForwardingProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Covers two gaps of moto's Resource Groups Tagging API for CloudFront (docs/moto-notes.md, read in
 * moto 5.2.1's source): {@code GetResources} matches the resource type filter
 * {@code cloudfront:distributions} (AWS: {@code cloudfront:distribution}), and answers distribution
 * ARNs without the empty region field ({@code arn:aws:cloudfront:123…:distribution/E…}; AWS:
 * {@code arn:aws:cloudfront::123…:distribution/E…}). Requests are rewritten on the way to moto and
 * answers on the way back; everything else passes unchanged. Records the operation of every
 * JSON-protocol request, the CloudFront REST requests and EC2's query actions ({@link #requests}),
 * and the region each {@code GetResources} was signed for ({@link #getResourcesRegions}).
 */
public final class TaggingGapsProxy extends ForwardingProxy {
    private final List<String> requests = new ArrayList<>();
    private final List<String> getResourcesRegions = new ArrayList<>();
    /** SigV4: {@code Credential=KEY/DATE/REGION/SERVICE/aws4_request}. */
    private static final java.util.regex.Pattern SCOPE_REGION = java.util.regex.Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/");
    private static final java.util.regex.Pattern QUERY_ACTION = java.util.regex.Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");

    private TaggingGapsProxy(URI upstream) {
        super(upstream, "tagging-gaps-proxy", 8);
    }

    public static TaggingGapsProxy start(URI upstream) {
        return new TaggingGapsProxy(upstream);
    }

    /** e.g. {@code GetResources}, {@code GET /2020-05-31/distribution}. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The region of each GetResources since {@link #clear}, in order. */
    public synchronized List<String> getResourcesRegions() {
        return List.copyOf(getResourcesRegions);
    }

    public synchronized void clear() {
        requests.clear();
        getResourcesRegions.clear();
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        boolean getResources = target != null && target.endsWith(".GetResources");
        synchronized (this) {
            if (target != null) requests.add(target.substring(target.lastIndexOf('.') + 1));
            else if (ex.getRequestURI().getPath().startsWith("/20")) requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            else {
                java.util.regex.Matcher a = QUERY_ACTION.matcher(new String(body, StandardCharsets.UTF_8));
                if (a.find()) requests.add(a.group(1));
            }
            if (getResources) {
                java.util.regex.Matcher m = SCOPE_REGION.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                getResourcesRegions.add(m.find() ? m.group(1) : "?");
            }
        }
        if (getResources) {
            body = new String(body, StandardCharsets.UTF_8).replace("\"cloudfront:distribution\"", "\"cloudfront:distributions\"").getBytes(StandardCharsets.UTF_8);
        }
        HttpResponse<byte[]> r = send(ex, body);
        byte[] out = r.body();
        if (getResources) {
            out = new String(out, StandardCharsets.UTF_8).replaceAll("(arn:[a-z-]+:cloudfront):(\\d{12}):distribution/", "$1::$2:distribution/")
                    .getBytes(StandardCharsets.UTF_8);
        }
        reply(ex, r, out);
    }
}
