package io.netstack.provider.cloudfront.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.Action;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.Change;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.Sleeper;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudfront.model.CreateDistributionWithTagsRequest;
import software.amazon.awssdk.services.cloudfront.model.Tag;
import software.amazon.awssdk.services.cloudfront.model.UpdateDistributionRequest;

/**
 * cloudfront-distribution against moto through the real SDK path: create (with tags, in one call)
 * → no changes → comment changed in place with the right If-Match → destroy disables, waits, then
 * deletes with the latest ETag → nothing owned. moto accepts any If-Match and never changes a
 * distribution's ETag, so a recording {@link ExecutionInterceptor} gives every Get a fresh ETag (as
 * AWS does after each change) and the test asserts each Update/Delete sends the ETag of the Get
 * right before it.
 */
@ExtendWith(AwsApiExtension.class)
class DistributionIT {
    static final String REGION = "eu-west-1";

    /** One CloudFront call as sent and answered. */
    record Call(String op, SdkRequest request, String ifMatch, String etag) {}

    /** Records CloudFront calls; replaces moto's constant ETag by a fresh one per answer. */
    static final class Recorder implements ExecutionInterceptor {
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger etags = new AtomicInteger();

        private static boolean cloudFront(ExecutionAttributes a) {
            return "CloudFront".equals(a.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
            if (!cloudFront(a)) return;
            calls.add(new Call(a.getAttribute(SdkExecutionAttribute.OPERATION_NAME), c.request(),
                    c.httpRequest().firstMatchingHeader("If-Match").orElse(null), null));
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse c, ExecutionAttributes a) {
            if (!cloudFront(a) || c.httpResponse().firstMatchingHeader("ETag").isEmpty()) return c.httpResponse();
            String etag = "ETAG" + etags.incrementAndGet();
            synchronized (calls) {
                Call last = calls.remove(calls.size() - 1);
                calls.add(new Call(last.op(), last.request(), last.ifMatch(), etag));
            }
            return c.httpResponse().toBuilder().putHeader("ETag", etag).build();
        }

        List<Call> since(int from) {
            synchronized (calls) {
                return new ArrayList<>(calls.subList(from, calls.size()));
            }
        }
    }

    @BeforeAll
    static void credentials() {
        // The SDK's default chain reads these (as the in-process CLI helper does).
        System.setProperty("aws.accessKeyId", AwsApi.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", AwsApi.SECRET_ACCESS_KEY);
    }

    static String stack(String name, String region, String comment) {
        return """
            { "stack": "%s", "region": "%s",
              "resources": {
                "cdn": { "type": "cloudfront-distribution", "comment": "%s", "priceClass": "PriceClass_100", "ipv6": true,
                         "origins": [ { "id": "web", "domain": "origin.example.com" },
                                      { "id": "assets", "domain": "assets.example.com", "path": "/static", "protocolPolicy": "http-only" } ],
                         "defaultBehavior": { "origin": "web", "allowedMethods": ["GET", "HEAD", "OPTIONS"] },
                         "tags": { "team": "edge" } }
              } }
            """.formatted(name, region, comment);
    }

    @Test
    void roundTripWithIfMatch(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("cdn");
        Recorder rec = new Recorder();
        AwsSettings settings = new AwsSettings(null, api.endpoint(), null, 1, List.of(rec));
        try (Netstack ns = new Netstack(settings, Sleeper.SYSTEM, 0.05)) {
            Path f = StackFiles.write(dir, "s.json", stack(name, REGION, "v1"));
            StackFile s = ns.load(f, Map.of());
            ns.validate(s);
            Plan create = ns.plan(s, false);
            assertEquals(Action.CREATE, create.actionable().get(0).action());
            apply(ns, s, create);
            CreateDistributionWithTagsRequest req = (CreateDistributionWithTagsRequest) rec.calls.stream()
                    .filter(c -> c.op().equals("CreateDistributionWithTags")).findFirst().orElseThrow().request();
            List<Tag> tags = req.distributionConfigWithTags().tags().items();
            assertTrue(tags.contains(Tag.builder().key("netstack:stack").value(name).build()), tags.toString());
            assertTrue(tags.contains(Tag.builder().key("netstack:id").value("cdn").build()));
            assertTrue(tags.contains(Tag.builder().key("netstack:region").value(REGION).build()));
            assertTrue(tags.contains(Tag.builder().key("team").value("edge").build()));
            assertTrue(req.distributionConfigWithTags().distributionConfig().callerReference().startsWith("netstack-"));
            assertEquals(DistributionType.CACHING_OPTIMIZED, req.distributionConfigWithTags().distributionConfig().defaultCacheBehavior().cachePolicyId());

            Plan noop = ns.plan(s, false);
            assertFalse(noop.hasChanges(), () -> "read back equals the file: " + noop.actionable());
            String distId = noop.live().get("cdn").awsId();
            assertTrue(noop.live().get("cdn").attributes().get("domainName").endsWith(".cloudfront.net"));

            // The same stack name in another region does not own the (global) distribution.
            StackFile elsewhere = ns.load(StackFiles.write(dir, "other.json", stack(name, "us-east-1", "v1")), Map.of());
            assertTrue(ns.read(elsewhere).byId().isEmpty());

            // Done-when 4: a comment change is an in-place update with If-Match = the Get's ETag.
            StackFile v2 = ns.load(StackFiles.write(dir, "s.json", stack(name, REGION, "v2")), Map.of());
            Plan update = ns.plan(v2, false);
            assertEquals(1, update.actionable().size());
            Change u = update.actionable().get(0);
            assertEquals(Action.UPDATE, u.action());
            assertEquals("comment", u.diffs().get(0).path());
            int mark = rec.calls.size();
            apply(ns, v2, update);
            List<Call> calls = rec.since(mark);
            int upd = indexOf(calls, "UpdateDistribution", 0);
            Call get = calls.get(upd - 1);
            assertEquals("GetDistributionConfig", get.op(), calls.toString());
            assertNotNull(get.etag());
            assertEquals(get.etag(), calls.get(upd).ifMatch(), "If-Match is the ETag of the GetDistributionConfig before it");
            assertEquals("v2", ((UpdateDistributionRequest) calls.get(upd).request()).distributionConfig().comment());
            assertEquals(distId, ns.plan(v2, false).live().get("cdn").awsId(), "in place");
            assertFalse(ns.plan(v2, false).hasChanges());

            // Destroy: disable (If-Match of its Get), wait Deployed, delete with the latest ETag.
            mark = rec.calls.size();
            apply(ns, v2, ns.plan(v2, true));
            calls = rec.since(mark);
            int disable = indexOf(calls, "UpdateDistribution", 0);
            UpdateDistributionRequest d = (UpdateDistributionRequest) calls.get(disable).request();
            assertFalse(d.distributionConfig().enabled());
            assertEquals("GetDistributionConfig", calls.get(disable - 1).op());
            assertEquals(calls.get(disable - 1).etag(), calls.get(disable).ifMatch());
            int delete = indexOf(calls, "DeleteDistribution", disable);
            Call before = calls.get(delete - 1);
            assertTrue(before.op().startsWith("GetDistribution"), calls.toString());
            assertEquals(before.etag(), calls.get(delete).ifMatch(), "DeleteDistribution sends the latest ETag");
            assertNotEquals(calls.get(disable).ifMatch(), calls.get(delete).ifMatch(), "not the ETag from before the disable");
            assertTrue(calls.subList(disable, delete).stream().anyMatch(c -> c.op().equals("GetDistribution")), "waited for Deployed");
            assertTrue(ns.read(v2).byId().isEmpty(), "nothing owned is left");
        }
    }

    static int indexOf(List<Call> calls, String op, int from) {
        for (int i = from; i < calls.size(); i++) if (calls.get(i).op().equals(op)) return i;
        throw new AssertionError(op + " not called after #" + from + ": " + calls.stream().map(Call::op).toList());
    }

    static void apply(Netstack ns, StackFile s, Plan plan) {
        ApplyResult r = ns.apply(s, plan, 4, ExecutionListener.NONE, new AtomicBoolean());
        assertTrue(r.success(), () -> "apply failed: " + r.failed());
    }
}
