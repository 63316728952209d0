package io.netstack.provider.cloudfront.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.spi.Validation;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** What {@link DistributionType} can check offline: comment, origins, the default behaviour's origin and methods, certificate and aliases. */
final class DistributionValidation {
    private static final Pattern ACM_ARN = Pattern.compile("arn:aws[a-z-]*:acm:us-east-1:\\d{12}:certificate/[A-Za-z0-9-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\\.?");

    private DistributionValidation() {}

    static void validate(ResourceBlock b, Validation v) {
        JsonNode p = b.properties();
        if (p.path("comment").asText("").length() > 128) v.error(b, "/comment", "comment is at most 128 characters");
        Set<String> ids = new HashSet<>();
        JsonNode origins = p.path("origins");
        if (origins.isEmpty()) v.error(b, "/origins", "a distribution needs at least one origin");
        for (int i = 0; i < origins.size(); i++) {
            JsonNode o = origins.get(i);
            String id = o.path("id").asText();
            if (!ids.add(id)) v.error(b, "/origins/" + i + "/id", "origin id \"" + id + "\" is used twice");
            String domain = o.path("domain").asText();
            if (!Reference.containsReference(domain) && !HOST.matcher(domain).matches()) {
                v.error(b, "/origins/" + i + "/domain", "\"" + domain + "\" is not a DNS name (no scheme, port or path: put a path prefix in \"path\")");
            }
            String path = o.path("path").asText("");
            if (!path.isEmpty() && (!path.startsWith("/") || path.endsWith("/"))) {
                v.error(b, "/origins/" + i + "/path", "an origin path starts with / and does not end with /, e.g. /static");
            }
        }
        JsonNode dcb = p.path("defaultBehavior");
        String target = dcb.path("origin").asText();
        if (!ids.isEmpty() && !ids.contains(target)) {
            v.error(b, "/defaultBehavior/origin", "\"" + target + "\" is not the id of an origin of this distribution (" + String.join(", ", new TreeSet<>(ids)) + ")");
        }
        JsonNode methods = dcb.get("allowedMethods");
        if (methods != null && methods.isArray()) {
            Set<String> m = new HashSet<>();
            methods.forEach(x -> m.add(x.asText()));
            if (!DistributionType.METHOD_SETS.contains(m)) v.error(b, "/defaultBehavior/allowedMethods", "CloudFront allows exactly [GET, HEAD], [GET, HEAD, OPTIONS] or all of GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE");
        }
        String cert = p.path("certificate").asText("");
        if (!cert.isEmpty() && !Reference.containsReference(cert) && !ACM_ARN.matcher(cert).matches()) {
            v.error(b, "/certificate", "CloudFront takes ACM certificates from us-east-1 only: arn:aws:acm:us-east-1:<account>:certificate/<id>");
        }
        if (p.path("aliases").size() > 0 && cert.isEmpty()) {
            v.error(b, "/aliases", "aliases need a certificate that covers them (CloudFront's default certificate only covers *.cloudfront.net)");
        }
    }
}
