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
 * JSON-protocol request and the CloudFront REST requests ({@link #requests}).
 */
public final class TaggingGapsProxy extends ForwardingProxy {
    private final List<String> requests = new ArrayList<>();

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

    public synchronized void clear() {
        requests.clear();
    }

    @Override
    protected void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        boolean getResources = target != null && target.endsWith(".GetResources");
        synchronized (this) {
            if (target != null) requests.add(target.substring(target.lastIndexOf('.') + 1));
            else if (ex.getRequestURI().getPath().startsWith("/20")) requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
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
