package io.netstack.provider.cloudfront.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.provider.AwsCalls;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsType;
import io.netstack.provider.Deletion;
import io.netstack.provider.Status;
import io.netstack.provider.Wait;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Validation;
import io.netstack.stack.ResourceBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.CustomOriginConfig;
import software.amazon.awssdk.services.cloudfront.model.Distribution;
import software.amazon.awssdk.services.cloudfront.model.DistributionConfig;
import software.amazon.awssdk.services.cloudfront.model.DistributionList;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.GetDistributionConfigResponse;
import software.amazon.awssdk.services.cloudfront.model.Origin;
import software.amazon.awssdk.services.cloudfront.model.Origins;
import software.amazon.awssdk.services.cloudfront.model.S3OriginConfig;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.cloudfront.model.Tags;

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
public final class DistributionType extends AwsType<CloudFrontClient> {
    /**
     * Terraform waits for Deployed up to 90 min, polling every 15 s (docs/aws-facts.md); deployments
     * normally take 3–20 min.
     */
    static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(90);
    /** DeleteDistribution right after the disable may still see it enabled (DistributionNotDisabled): retried for this long. */
    static final Duration DELETE_RETRY_TIMEOUT = Duration.ofMinutes(10);
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

    static final Status<Distribution> STATUS = Status.of(Distribution::status);
    static final Wait DEPLOYED = Wait.until("deployed", DEPLOY_TIMEOUT, "Deployed");
    /**
     * Only NoSuchDistribution means it is gone (issue 11). Right after the disable DeleteDistribution
     * may still see it enabled, or a stale ETag, or an attached resource: retried.
     */
    static final Deletion DELETION = Deletion.of("DeleteDistribution", DELETE_RETRY_TIMEOUT, "NoSuchDistribution")
            .busyOn("DistributionNotDisabled", "PreconditionFailed", "ResourceInUse");

    public DistributionType(AwsSession aws) {
        super(aws, AwsSession::cloudFront, "cloudfront-distribution", "CloudFront distribution", SCHEMA);
    }

    private CloudFrontClient cf() {
        return client();
    }

    @Override
    public void validate(ResourceBlock b, Validation v) {
        DistributionValidation.validate(b, v);
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
                    DistributionShape.View view = DistributionShape.View.of(d);
                    if (d.origins() == null || !d.origins().hasItems()) {
                        // A summary without origins cannot come from AWS (a distribution has at least
                        // one); moto's summaries carry no configuration at all: read this one in full.
                        Optional<Distribution> full = get(owner.get(), d.id());
                        if (full.isEmpty()) continue;
                        view = DistributionShape.View.of(full.get());
                    }
                    out.add(DistributionShape.translate(name(), owner.get(), view, tags));
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

    private Optional<Distribution> get(String resource, String distId) {
        return find(resource, "GetDistribution", () -> cf().getDistribution(r -> r.id(distId)).distribution());
    }

    private Optional<LiveResource> readOne(String id, String distId) {
        return get(id, distId).flatMap(d -> tags(id, d.arn()).map(tags -> DistributionShape.translate(name(), id, DistributionShape.View.of(d), tags)));
    }

    // ---------------------------------------------------------------- create / update

    @Override
    public LiveResource create(TypeContext ctx, ResourceSpec spec) {
        // before the create call: an object of a global type never exists without the marker naming its type
        aws.markers().ensure(ctx.stack(), spec.id(), name());
        String id = spec.id();
        ObjectNode p = spec.properties();
        DistributionConfig.Builder c = DistributionConfig.builder()
                .callerReference(spec.clientToken())
                .comment(p.path("comment").asText(""))
                .enabled(p.path("enabled").asBoolean(true))
                .aliases(DistributionShape.aliases(p))
                .origins(DistributionShape.origins(p, Map.of()))
                .defaultCacheBehavior(DistributionShape.behavior(p.path("defaultBehavior"), null))
                .priceClass(p.path("priceClass").asText("PriceClass_All"))
                .viewerCertificate(DistributionShape.viewerCertificate(p.path("certificate").asText("")))
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
        return readBack(ctx, id, d.id(), () -> readOne(id, d.id()));
    }

    static boolean waitForDeployment(ResourceSpec spec) {
        return spec.bool("waitForDeployment", true);
    }

    @Override
    public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) {
        String id = spec.id(), distId = live.awsId();
        ensureExists(id, distId, () -> get(id, distId));
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
                if (config.contains("aliases")) b.aliases(DistributionShape.aliases(p));
                if (config.contains("origins")) {
                    Map<String, Origin> byId = new HashMap<>();
                    if (current.origins() != null && current.origins().hasItems()) current.origins().items().forEach(o -> byId.put(o.id(), o));
                    b.origins(DistributionShape.origins(p, byId));
                }
                if (config.contains("defaultBehavior")) b.defaultCacheBehavior(DistributionShape.behavior(p.path("defaultBehavior"), current.defaultCacheBehavior()));
                if (config.contains("priceClass")) b.priceClass(p.path("priceClass").asText("PriceClass_All"));
                if (config.contains("certificate")) b.viewerCertificate(DistributionShape.viewerCertificate(p.path("certificate").asText("")));
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
        return updated(ctx, live, touched, () -> readOne(id, distId));
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
        Map<String, String> b = DistributionShape.toMap(before), a = DistributionShape.toMap(after);
        List<String> remove = b.keySet().stream().filter(k -> !a.containsKey(k)).toList();
        List<Tag> put = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) put.add(Tag.builder().key(k).value(v).build());
        });
        if (!remove.isEmpty()) AwsCalls.run(id, "UntagResource", () -> cf().untagResource(r -> r.resource(arn).tagKeys(k -> k.items(remove))));
        if (!put.isEmpty()) AwsCalls.run(id, "TagResource", () -> cf().tagResource(r -> r.resource(arn).tags(t -> t.items(put))));
    }

    private void waitDeployed(TypeContext ctx, String id, String distId) {
        await(ctx, id, distId, DEPLOYED, () -> get(id, distId), STATUS);
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
        } catch (AwsFailure f) {
            // Only the distribution's own NotFound means it is gone (issue 11); any other is the real error.
            if (f.category() == ErrorCategory.NOT_FOUND && DELETION.notFoundCodes().contains(f.code())) return;
            throw f;
        }
        // The ETag of the latest state: the disable above changed it.
        if (!deleteOnly(ctx, id, DELETION, () -> {
            String etag = call(id, "GetDistribution", () -> cf().getDistribution(r -> r.id(distId)).eTag());
            cf().deleteDistribution(r -> r.id(distId).ifMatch(etag));
        })) return;
        await(ctx, id, distId, Wait.deleted(DEPLOY_TIMEOUT), () -> get(id, distId), STATUS);
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
