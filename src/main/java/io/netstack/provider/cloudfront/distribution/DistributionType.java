package io.netstack.provider.cloudfront.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.spi.Waiter;
import io.netstack.stack.Reference;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.Aliases;
import software.amazon.awssdk.services.cloudfront.model.AllowedMethods;
import software.amazon.awssdk.services.cloudfront.model.CachedMethods;
import software.amazon.awssdk.services.cloudfront.model.CustomOriginConfig;
import software.amazon.awssdk.services.cloudfront.model.DefaultCacheBehavior;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.MinimumProtocolVersion;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.OriginSslProtocols;
import software.amazon.awssdk.services.cloudfront.model.Origins;
import software.amazon.awssdk.services.cloudfront.model.S3OriginConfig;
import software.amazon.awssdk.services.cloudfront.model.SSLSupportMethod;
import software.amazon.awssdk.services.cloudfront.model.SslProtocol;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.cloudfront.model.Tags;
import software.amazon.awssdk.services.cloudfront.model.ViewerCertificate;

/**
 * {@code cloudfront-distribution}: a CloudFront web distribution with custom origins, a default
 * cache behaviour (by cache policy), aliases, an ACM certificate and a price class.
 *
 * <p><b>Finding owned distributions.</b> CloudFront cannot filter its list by tag. {@link #list}
 * pages through ListDistributions (Marker/NextMarker, 100 per page) and then calls
 * ListTagsForResource once per distribution to read the ownership tags: a plan costs
 * <b>1 + (pages − 1) + one call per distribution in the account</b> — every distribution, owned by
 * this stack or not — against CloudFront's global API. Owned distributions carry the usual
 * {@code netstack:stack}/{@code netstack:id} tags (set atomically through
 * CreateDistributionWithTags) plus {@code netstack:region}: CloudFront is global, so a stack of
 * the same name in another region must not claim them. (A name prefix in {@code comment} would
 * save the per-distribution calls, but would take the comment from the user and is not atomic
 * ownership; tags are the design.) On AWS the list summaries carry every managed field, so no
 * GetDistribution is needed per distribution; moto's summaries carry none, and a summary without
 * origins (impossible on AWS) is completed with one GetDistribution for that owned distribution.
 *
 * <p><b>Updates</b> follow CloudFront's optimistic locking: GetDistributionConfig → change only
 * the managed fields (other settings, e.g. an origin's timeouts or headers, are kept) →
 * UpdateDistribution with {@code If-Match} = the ETag of that Get. A {@code PreconditionFailed}
 * (someone changed it in between) repeats the cycle a few times.
 *
 * <p><b>Destroy</b> disables the distribution (update with {@code enabled=false}, If-Match),
 * waits until it is {@code Deployed}, then calls DeleteDistribution with the ETag of a fresh Get.
 *
 * <p><b>Origins</b> are all custom origins (CustomOriginConfig, ports 80/443, TLSv1.2 to the
 * origin): a load balancer or endpoint DNS name ({@code ${lb.dnsName}}), any web server, an S3
 * website endpoint (use {@code http-only}) or an S3 REST endpoint {@code *.s3.amazonaws.com} of a
 * public bucket. Private S3 buckets with origin access control are out of scope for v1.
 *
 * <p>{@code waitForDeployment} is a netstack-only switch (default true, as Terraform's
 * {@code wait_for_deployment}): apply waits until the change is {@code Deployed} (3–20 min). It is
 * never sent to AWS nor read back; it is declared write-only so that the engine never compares it.
 */
public final class DistributionType implements ResourceType {
    /**
     * Terraform waits for Deployed up to 90 min, polling every 15 s (docs/aws-facts.md); deployments
     * normally take 3–20 min.
     */
    static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(90);
    /** DeleteDistribution right after the disable may still see it enabled (DistributionNotDisabled): retried for this long. */
    static final Duration DELETE_RETRY_TIMEOUT = Duration.ofMinutes(10);
    /** A just-created distribution may not answer yet (eventual consistency, as for EC2). */
    static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);
    /** How often a Get → Update cycle is repeated when someone else changed the distribution in between. */
    static final int PRECONDITION_ATTEMPTS = 3;
    /** AWS managed cache policy "Managed-CachingOptimized". */
    public static final String CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    /** The Route 53 hosted zone of every CloudFront domain (for alias records). */
    public static final String HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";
    /** Marks the region of the stack that owns a (global) distribution. */
    public static final String REGION_TAG = "netstack:region";
    static final List<Set<String>> METHOD_SETS = List.of(Set.of("GET", "HEAD"), Set.of("GET", "HEAD", "OPTIONS"),
            Set.of("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"));
    private static final Pattern ACM_ARN = Pattern.compile("arn:aws[a-z-]*:acm:us-east-1:\\d{12}:certificate/[A-Za-z0-9-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\\.?");

    private static final Schema SCHEMA = new Schema(true, List.of("domainName", "arn", "hostedZoneId"),
            Property.bool("enabled").defaultValue(true),
            Property.string("comment").defaultValue("").describe("free text, at most 128 characters"),
            Property.list("aliases", Property.string("alias")).defaultEmptyList()
                    .describe("alternate domain names (CNAMEs); need a certificate that covers them"),
            Property.list("origins", Property.object("origin",
                    Property.string("id").required().describe("unique name of the origin in this distribution"),
                    Property.string("domain").required().describe("origin DNS name, e.g. ${lb.dnsName} or www.example.com"),
                    Property.string("path").defaultValue("").describe("path prefix requested from the origin, e.g. /static"),
                    Property.string("protocolPolicy").oneOf("http-only", "https-only", "match-viewer").defaultValue("https-only")))
                    .required(),
            Property.object("defaultBehavior",
                    Property.string("origin").required().describe("id of the origin that serves requests"),
                    Property.string("viewerProtocolPolicy").oneOf("allow-all", "https-only", "redirect-to-https").defaultValue("redirect-to-https"),
                    Property.list("allowedMethods", Property.string("method").oneOf("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"))
                            .defaultValue(JsonNodeFactory.instance.arrayNode().add("GET").add("HEAD"))
                            .describe("GET+HEAD, GET+HEAD+OPTIONS, or all seven"),
                    Property.string("cachePolicy").defaultValue(CACHING_OPTIMIZED)
                            .describe("cache policy id (default: AWS managed CachingOptimized)"))
                    .required(),
            Property.string("priceClass").oneOf("PriceClass_All", "PriceClass_200", "PriceClass_100").defaultValue("PriceClass_All"),
            Property.string("certificate").defaultValue("")
                    .describe("ACM certificate ARN in us-east-1; empty = CloudFront's default *.cloudfront.net certificate"),
            Property.bool("ipv6").defaultValue(false),
            Property.bool("waitForDeployment").writeOnly()
                    .describe("netstack only (default true): apply waits until CloudFront reports Deployed; never sent to AWS nor compared"));

    private final AwsSession aws;

    public DistributionType(AwsSession aws) {
        this.aws = aws;
    }

    private CloudFrontClient cf() {
        return aws.cloudFront();
    }

    @Override
    public String name() {
        return "cloudfront-distribution";
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
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
            if (!METHOD_SETS.contains(m)) v.error(b, "/defaultBehavior/allowedMethods", "CloudFront allows exactly [GET, HEAD], [GET, HEAD, OPTIONS] or all of GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE");
        }
        String cert = p.path("certificate").asText("");
        if (!cert.isEmpty() && !Reference.containsReference(cert) && !ACM_ARN.matcher(cert).matches()) {
            v.error(b, "/certificate", "CloudFront takes ACM certificates from us-east-1 only: arn:aws:acm:us-east-1:<account>:certificate/<id>");
        }
        if (p.path("aliases").size() > 0 && cert.isEmpty()) {
            v.error(b, "/aliases", "aliases need a certificate that covers them (CloudFront's default certificate only covers *.cloudfront.net)");
        }
    }

    // ---------------------------------------------------------------- read

    @Override
    public List<LiveResource> list(TypeContext ctx) {
        List<LiveResource> out = new ArrayList<>();
        // The SDK has no paginator for ListDistributions: follow NextMarker by hand.
        String marker = null;
        while (true) {
            String m = marker;
            DistributionList page = AwsCalls.call(null, "ListDistributions", () -> cf().listDistributions(r -> {
                if (m != null) r.marker(m);
            }).distributionList());
            if (page == null) break;
            if (page.hasItems()) {
                for (DistributionSummary d : page.items()) {
                    Map<String, String> tags = tags(null, d.arn()).orElse(null);
                    if (tags == null) continue; // deleted between the list and the tag read
                    Optional<String> owner = owner(tags, ctx);
                    if (owner.isEmpty()) continue;
                    View view = View.of(d);
                    if (d.origins() == null || !d.origins().hasItems()) {
                        // A summary without origins cannot come from AWS (a distribution has at least
                        // one); moto's summaries carry no configuration at all: read this one in full.
                        Optional<Distribution> full = get(owner.get(), d.id());
                        if (full.isEmpty()) continue;
                        view = View.of(full.get());
                    }
                    out.add(translate(owner.get(), view, tags));
                }
            }
            String next = page.nextMarker();
            if (!Boolean.TRUE.equals(page.isTruncated()) || next == null || next.isEmpty() || next.equals(marker)) break;
            marker = next;
        }
        return out;
    }

    /** The logical id if the tags say the distribution belongs to this stack (and region). */
    static Optional<String> owner(Map<String, String> tags, TypeContext ctx) {
        if (!ctx.stack().equals(tags.get(Ownership.STACK_TAG)) || tags.get(Ownership.ID_TAG) == null) return Optional.empty();
        String region = tags.get(REGION_TAG);
        if (region != null && !region.equals(ctx.region())) return Optional.empty();
        return Optional.of(tags.get(Ownership.ID_TAG));
    }

    private Optional<Map<String, String>> tags(String resource, String arn) {
        try {
            Map<String, String> m = new TreeMap<>();
            Tags t = AwsCalls.call(resource, "ListTagsForResource", () -> cf().listTagsForResource(r -> r.resource(arn)).tags());
            if (t != null && t.hasItems()) t.items().forEach(x -> m.put(x.key(), x.value() == null ? "" : x.value()));
            return Optional.of(m);
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND || "NoSuchResource".equals(f.code())) return Optional.empty();
            throw f;
        }
    }

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

    private LiveResource translate(String id, View d, Map<String, String> tags) {
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
        attrs.put("hostedZoneId", HOSTED_ZONE_ID);
        return new LiveResource(id, name(), d.id(), p, attrs);
    }

    /** The ACM ARN, "" for the default certificate, or "iam:&lt;id&gt;" for an IAM certificate (never set by netstack). */
    static String certificate(ViewerCertificate c) {
        if (c == null) return "";
        if (c.acmCertificateArn() != null && !c.acmCertificateArn().isEmpty()) return c.acmCertificateArn();
        if (c.iamCertificateId() != null && !c.iamCertificateId().isEmpty()) return "iam:" + c.iamCertificateId();
        return "";
    }

    private Optional<Distribution> get(String resource, String distId) {
        try {
            return Optional.ofNullable(AwsCalls.call(resource, "GetDistribution", () -> cf().getDistribution(r -> r.id(distId)).distribution()));
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    private LiveResource readOne(TypeContext ctx, String id, String distId) {
        return ctx.retrying(id, "read " + distId, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> {
            Distribution d = get(id, distId).orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, null, distId + " is not visible yet"));
            Map<String, String> tags = tags(id, d.arn()).orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, null, distId + " is not visible yet"));
            return translate(id, View.of(d), tags);
        });
    }

    // ---------------------------------------------------------------- create / update

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        String id = spec.id();
        ObjectNode p = spec.properties();
        DistributionConfig.Builder c = DistributionConfig.builder()
                .callerReference(spec.clientToken())
                .comment(p.path("comment").asText(""))
                .enabled(p.path("enabled").asBoolean(true))
                .aliases(aliases(p))
                .origins(origins(p, Map.of()))
                .defaultCacheBehavior(behavior(p.path("defaultBehavior"), null))
                .priceClass(p.path("priceClass").asText("PriceClass_All"))
                .viewerCertificate(viewerCertificate(p.path("certificate").asText("")))
                .isIPV6Enabled(p.path("ipv6").asBoolean(false));
        List<Tag> tags = new ArrayList<>();
        Map<String, String> all = new TreeMap<>(spec.tags());
        all.remove(ResourceSpec.SECRETS_TAG); // waitForDeployment is "write-only" only so it is never compared: no secret to record
        all.put(REGION_TAG, ctx.region());
        all.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        Distribution d = AwsCalls.call(id, "CreateDistributionWithTags", () -> cf().createDistributionWithTags(r -> r.distributionConfigWithTags(w -> w
                .distributionConfig(c.build())
                .tags(t -> t.items(tags)))).distribution());
        if (waitForDeployment(spec)) waitDeployed(ctx, id, d.id());
        return readOne(ctx, id, d.id());
    }

    static boolean waitForDeployment(ResourceSpec spec) {
        return spec.bool("waitForDeployment", true);
    }

    private static Aliases aliases(JsonNode p) {
        List<String> items = new ArrayList<>();
        p.path("aliases").forEach(a -> items.add(a.asText()));
        return Aliases.builder().quantity(items.size()).items(items).build();
    }

    /** Desired origins; an existing origin with the same id keeps its unmanaged settings (timeouts, headers, shield). */
    private static Origins origins(JsonNode p, Map<String, Origin> existing) {
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

    private static DefaultCacheBehavior behavior(JsonNode b, DefaultCacheBehavior old) {
        List<String> methods = new ArrayList<>();
        b.path("allowedMethods").forEach(m -> methods.add(m.asText()));
        if (methods.isEmpty()) methods.addAll(List.of("GET", "HEAD"));
        DefaultCacheBehavior.Builder x = old == null ? DefaultCacheBehavior.builder() : old.toBuilder();
        return x.targetOriginId(b.path("origin").asText())
                .viewerProtocolPolicy(b.path("viewerProtocolPolicy").asText("redirect-to-https"))
                .allowedMethods(AllowedMethods.builder().quantity(methods.size()).itemsWithStrings(methods)
                        .cachedMethods(CachedMethods.builder().quantity(2).items(Method.GET, Method.HEAD).build()).build())
                .cachePolicyId(b.path("cachePolicy").asText(CACHING_OPTIMIZED))
                .build();
    }

    private static ViewerCertificate viewerCertificate(String acmArn) {
        if (acmArn == null || acmArn.isEmpty()) return ViewerCertificate.builder().cloudFrontDefaultCertificate(true).build();
        return ViewerCertificate.builder().acmCertificateArn(acmArn).sslSupportMethod(SSLSupportMethod.SNI_ONLY)
                .minimumProtocolVersion(MinimumProtocolVersion.TLS_V1_2_2021).build();
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), distId = live.awsId();
        // A distribution deleted by hand fails at once, not after PROPAGATION_TIMEOUT of NotFound retries.
        if (get(id, distId).isEmpty()) throw new AwsFailure(ErrorCategory.NOT_FOUND, id, null,
                "CloudFront distribution " + distId + " not found (deleted outside netstack?); run plan again to recreate it");
        ObjectNode p = spec.properties();
        Set<String> config = new HashSet<>(changed);
        config.remove("tags");
        config.remove("waitForDeployment");
        boolean touched = false;
        if (!config.isEmpty()) {
            updateConfig(ctx, id, distId, current -> {
                DistributionConfig.Builder b = current.toBuilder();
                if (config.contains("enabled")) b.enabled(p.path("enabled").asBoolean(true));
                if (config.contains("comment")) b.comment(p.path("comment").asText(""));
                if (config.contains("aliases")) b.aliases(aliases(p));
                if (config.contains("origins")) {
                    Map<String, Origin> byId = new HashMap<>();
                    if (current.origins() != null && current.origins().hasItems()) current.origins().items().forEach(o -> byId.put(o.id(), o));
                    b.origins(origins(p, byId));
                }
                if (config.contains("defaultBehavior")) b.defaultCacheBehavior(behavior(p.path("defaultBehavior"), current.defaultCacheBehavior()));
                if (config.contains("priceClass")) b.priceClass(p.path("priceClass").asText("PriceClass_All"));
                if (config.contains("certificate")) b.viewerCertificate(viewerCertificate(p.path("certificate").asText("")));
                if (config.contains("ipv6")) b.isIPV6Enabled(p.path("ipv6").asBoolean(false));
                return b.build();
            });
            touched = true;
        }
        if (changed.contains("tags")) {
            updateTags(id, live.attributes().get("arn"), live.properties().get("tags"), p.get("tags"));
            touched = true;
        }
        if (touched && !config.isEmpty() && waitForDeployment(spec)) waitDeployed(ctx, id, distId);
        return touched ? readOne(ctx, id, distId) : live;
    }

    /**
     * GetDistributionConfig → {@code change} → UpdateDistribution with If-Match = that Get's ETag;
     * repeated when the ETag went stale in between (PreconditionFailed). Fails NotFound if gone.
     */
    private void updateConfig(TypeContext ctx, String id, String distId, java.util.function.UnaryOperator<DistributionConfig> change) {
        for (int attempt = 1; ; attempt++) {
            GetDistributionConfigResponse got = ctx.retrying(id, "GetDistributionConfig", Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT,
                    () -> AwsCalls.call(id, "GetDistributionConfig", () -> cf().getDistributionConfig(r -> r.id(distId))));
            String etag = got.eTag();
            DistributionConfig next = change.apply(got.distributionConfig());
            try {
                AwsCalls.run(id, "UpdateDistribution", () -> cf().updateDistribution(r -> r.id(distId).ifMatch(etag).distributionConfig(next)));
                return;
            } catch (AwsFailure f) {
                if (!"PreconditionFailed".equals(f.code()) || attempt >= PRECONDITION_ATTEMPTS) throw f;
                ctx.waiter().progress().retrying(id, "UpdateDistribution", "PreconditionFailed (changed by someone else meanwhile)", attempt, Duration.ZERO);
            }
        }
    }

    private void updateTags(String id, String arn, JsonNode before, JsonNode after) {
        Map<String, String> b = toMap(before), a = toMap(after);
        List<String> remove = b.keySet().stream().filter(k -> !a.containsKey(k)).toList();
        List<Tag> put = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) put.add(Tag.builder().key(k).value(v).build());
        });
        if (!remove.isEmpty()) AwsCalls.run(id, "UntagResource", () -> cf().untagResource(r -> r.resource(arn).tagKeys(k -> k.items(remove))));
        if (!put.isEmpty()) AwsCalls.run(id, "TagResource", () -> cf().tagResource(r -> r.resource(arn).tags(t -> t.items(put))));
    }

    private static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new TreeMap<>();
        if (n != null && n.isObject()) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private void waitDeployed(TypeContext ctx, String id, String distId) {
        ctx.waiter().until(id, "CloudFront distribution " + distId + " deployed", DEPLOY_TIMEOUT, Set.of("Deployed"), Set.of(Waiter.GONE),
                () -> get(id, distId).map(d -> new Waiter.Outcome(d.status(), null)).orElse(new Waiter.Outcome(Waiter.GONE, distId + " disappeared")));
    }

    // ---------------------------------------------------------------- delete

    @Override
    public void delete(TypeContext ctx, LiveResource live) {
        String id = live.id(), distId = live.awsId();
        Optional<Distribution> d = get(id, distId);
        if (d.isEmpty()) return;
        try {
            if (Boolean.TRUE.equals(d.get().distributionConfig().enabled())) {
                updateConfig(ctx, id, distId, c -> c.toBuilder().enabled(false).build());
            }
            waitDeployed(ctx, id, distId);
            ctx.retrying(id, "DeleteDistribution", Set.of(ErrorCategory.DEPENDENCY_VIOLATION), DELETE_RETRY_TIMEOUT, () -> {
                // The ETag of the latest state: the disable above changed it.
                String etag = AwsCalls.call(id, "GetDistribution", () -> cf().getDistribution(r -> r.id(distId)).eTag());
                try {
                    AwsCalls.run(id, "DeleteDistribution", () -> cf().deleteDistribution(r -> r.id(distId).ifMatch(etag)));
                } catch (AwsFailure f) {
                    if ("DistributionNotDisabled".equals(f.code()) || "PreconditionFailed".equals(f.code()) || "ResourceInUse".equals(f.code())) {
                        throw new AwsFailure(ErrorCategory.DEPENDENCY_VIOLATION, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f);
                    }
                    throw f;
                }
                return null;
            });
        } catch (AwsFailure f) {
            // Only the distribution's own NotFound means it is gone (issue 11); any other is the real error.
            if (f.category() == ErrorCategory.NOT_FOUND && "NoSuchDistribution".equals(f.code())) return;
            throw f;
        }
        ctx.waiter().until(id, "CloudFront distribution " + distId + " deleted", DEPLOY_TIMEOUT, Set.of(Waiter.GONE), Set.of(),
                () -> get(id, distId).map(x -> new Waiter.Outcome(x.status(), null)).orElse(new Waiter.Outcome(Waiter.GONE, null)));
    }

    /** IAM actions of the handlers above, for {@code netstack policy} (spi.Permissions). */
    @Override
    public io.netstack.spi.Permissions permissions() {
        return new io.netstack.spi.Permissions(
                java.util.List.of("cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:ListDistributions", "cloudfront:ListTagsForResource"),
                java.util.List.of("cloudfront:CreateDistribution", "cloudfront:TagResource"),
                java.util.List.of("cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:UpdateDistribution"),
                java.util.List.of("cloudfront:DeleteDistribution", "cloudfront:UntagResource", "cloudfront:UpdateDistribution"),
                java.util.List.of());
    }
}
