package io.netstack.provider.cloudfront.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.LiveResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudfront.model.Aliases;
import software.amazon.awssdk.services.cloudfront.model.AllowedMethods;
import software.amazon.awssdk.services.cloudfront.model.CachedMethods;
import software.amazon.awssdk.services.cloudfront.model.CustomOriginConfig;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.MinimumProtocolVersion;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginSslProtocols;
import software.amazon.awssdk.services.cloudfront.model.Origins;
import software.amazon.awssdk.services.cloudfront.model.S3OriginConfig;
import software.amazon.awssdk.services.cloudfront.model.SSLSupportMethod;
import software.amazon.awssdk.services.cloudfront.model.SslProtocol;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * The canonical shape of {@link DistributionType} both ways (as {@code TgwRouteTableTranslator} is
 * for TGW route tables): a distribution (list summary or full Get) to stack JSON, and the stack's
 * fields to the parts of a DistributionConfig.
 */
final class DistributionShape {
    private DistributionShape() {}

    /** The fields of a distribution that netstack manages, from a list summary or a full Get. */
    record View(String id, String arn, String domainName, String status, Boolean enabled, String comment, Aliases aliases, Origins origins,
                DefaultCacheBehavior behavior, String priceClass, ViewerCertificate certificate, Boolean ipv6) {
        static View of(DistributionSummary d) {
            return new View(d.id(), d.arn(), d.domainName(), d.status(), d.enabled(), d.comment(), d.aliases(), d.origins(),
                    d.defaultCacheBehavior(), d.priceClassAsString(), d.viewerCertificate(), d.isIPV6Enabled());
        }

        static View of(Distribution d) {
            DistributionConfig c = d.distributionConfig();
            return new View(d.id(), d.arn(), d.domainName(), d.status(), c.enabled(), c.comment(), c.aliases(), c.origins(),
                    c.defaultCacheBehavior(), c.priceClassAsString(), c.viewerCertificate(), c.isIPV6Enabled());
        }
    }

    static LiveResource translate(String type, String id, View d, Map<String, String> tags) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("enabled", Boolean.TRUE.equals(d.enabled()));
        p.put("comment", d.comment() == null ? "" : d.comment());
        ArrayNode aliases = p.putArray("aliases");
        if (d.aliases() != null && d.aliases().hasItems()) d.aliases().items().forEach(aliases::add);
        ArrayNode origins = p.putArray("origins");
        if (d.origins() != null && d.origins().hasItems()) {
            for (Origin o : d.origins().items()) {
                ObjectNode on = origins.addObject();
                on.put("id", o.id());
                on.put("domain", o.domainName());
                on.put("path", o.originPath() == null ? "" : o.originPath());
                if (o.customOriginConfig() != null && o.customOriginConfig().originProtocolPolicy() != null) {
                    on.put("protocolPolicy", o.customOriginConfig().originProtocolPolicyAsString());
                }
            }
        }
        DefaultCacheBehavior b = d.behavior();
        if (b != null) {
            ObjectNode bn = p.putObject("defaultBehavior");
            bn.put("origin", b.targetOriginId());
            if (b.viewerProtocolPolicy() != null) bn.put("viewerProtocolPolicy", b.viewerProtocolPolicyAsString());
            ArrayNode m = bn.putArray("allowedMethods");
            if (b.allowedMethods() != null && b.allowedMethods().hasItems()) b.allowedMethods().itemsAsStrings().forEach(m::add);
            bn.put("cachePolicy", b.cachePolicyId() == null ? "" : b.cachePolicyId());
        }
        if (d.priceClass() != null) p.put("priceClass", d.priceClass());
        p.put("certificate", certificate(d.certificate()));
        p.put("ipv6", Boolean.TRUE.equals(d.ipv6()));
        ObjectNode userTags = p.putObject("tags");
        tags.forEach((k, v) -> {
            if (!k.startsWith("netstack:") && !k.startsWith("aws:")) userTags.put(k, v);
        });
        Map<String, String> attrs = new LinkedHashMap<>();
        if (d.domainName() != null) attrs.put("domainName", d.domainName());
        if (d.arn() != null) attrs.put("arn", d.arn());
        attrs.put("hostedZoneId", DistributionType.HOSTED_ZONE_ID);
        return new LiveResource(id, type, d.id(), p, attrs);
    }

    /** The ACM ARN, "" for the default certificate, or "iam:&lt;id&gt;" for an IAM certificate (never set by netstack). */
    static String certificate(ViewerCertificate c) {
        if (c == null) return "";
        if (c.acmCertificateArn() != null && !c.acmCertificateArn().isEmpty()) return c.acmCertificateArn();
        if (c.iamCertificateId() != null && !c.iamCertificateId().isEmpty()) return "iam:" + c.iamCertificateId();
        return "";
    }

    static Aliases aliases(JsonNode p) {
        List<String> items = new ArrayList<>();
        p.path("aliases").forEach(a -> items.add(a.asText()));
        return Aliases.builder().quantity(items.size()).items(items).build();
    }

    /** Desired origins; an existing origin with the same id keeps its unmanaged settings (timeouts, headers, shield). */
    static Origins origins(JsonNode p, Map<String, Origin> existing) {
        List<Origin> items = new ArrayList<>();
        for (JsonNode o : p.path("origins")) {
            String oid = o.path("id").asText();
            Origin old = existing.get(oid);
            Origin.Builder b = old == null ? Origin.builder().id(oid) : old.toBuilder();
            CustomOriginConfig.Builder cc = old == null || old.customOriginConfig() == null
                    ? CustomOriginConfig.builder().httpPort(80).httpsPort(443)
                        .originSslProtocols(OriginSslProtocols.builder().quantity(1).items(SslProtocol.TLS_V1_2).build())
                    : old.customOriginConfig().toBuilder();
            cc.originProtocolPolicy(o.path("protocolPolicy").asText("https-only"));
            b.domainName(o.path("domain").asText()).originPath(o.path("path").asText("")).customOriginConfig(cc.build()).s3OriginConfig((S3OriginConfig) null);
            items.add(b.build());
        }
        return Origins.builder().quantity(items.size()).items(items).build();
    }

    static DefaultCacheBehavior behavior(JsonNode b, DefaultCacheBehavior old) {
        List<String> methods = new ArrayList<>();
        b.path("allowedMethods").forEach(m -> methods.add(m.asText()));
        if (methods.isEmpty()) methods.addAll(List.of("GET", "HEAD"));
        DefaultCacheBehavior.Builder x = old == null ? DefaultCacheBehavior.builder() : old.toBuilder();
        return x.targetOriginId(b.path("origin").asText())
                .viewerProtocolPolicy(b.path("viewerProtocolPolicy").asText("redirect-to-https"))
                .allowedMethods(AllowedMethods.builder().quantity(methods.size()).itemsWithStrings(methods)
                        .cachedMethods(CachedMethods.builder().quantity(2).items(Method.GET, Method.HEAD).build()).build())
                .cachePolicyId(b.path("cachePolicy").asText(DistributionType.CACHING_OPTIMIZED))
                .build();
    }

    static ViewerCertificate viewerCertificate(String acmArn) {
        if (acmArn == null || acmArn.isEmpty()) return ViewerCertificate.builder().cloudFrontDefaultCertificate(true).build();
        return ViewerCertificate.builder().acmCertificateArn(acmArn).sslSupportMethod(SSLSupportMethod.SNI_ONLY)
                .minimumProtocolVersion(MinimumProtocolVersion.TLS_V1_2_2021).build();
    }

    static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        if (n != null && n.isObject()) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
