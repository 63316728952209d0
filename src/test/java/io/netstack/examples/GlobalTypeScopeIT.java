package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.TaggingGapsProxy;
import io.netstack.testing.faults.AccessDenyProxy;
import io.netstack.api.Netstack;
import io.netstack.engine.Policy;
import io.netstack.stack.StackFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;

/**
 * Issue 12, plan scope for global types and their marker ({@code provider.GlobalMarkers}): an apply
 * that creates a CloudFront distribution first writes the stack's marker key pair; a stack that no
 * longer declares its distribution still finds it through the tagging API ({@code GetResources},
 * asked in us-east-1 only, because the marker names only CloudFront) and deletes it, and that apply
 * removes the marker; from then on a no-change plan asks the tagging API nothing and reads no
 * CloudFront; a destroy reads a marked type in full and removes the marker. Against moto behind
 * {@link TaggingGapsProxy} (moto's resource type filter spelling and CloudFront ARNs differ from
 * AWS's); the marker is checked with the SDK.
 */
@ExtendWith(AwsApiExtension.class)
class GlobalTypeScopeIT {
    static final String REGION = "eu-west-1";
    static final String VPC = "\"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.77.0.0/16\" },\n    \"cdn\": {";
    static final String MARKS_CLOUDFRONT = "netstack:global:cloudfront-distribution";

    /** The stack's marker key pair, if there is one. */
    static Optional<KeyPairInfo> marker(Ec2Client ec2, String stack) {
        try {
            return ec2.describeKeyPairs(r -> r.keyNames("netstack-marker-" + stack)).keyPairs().stream().findFirst();
        } catch (Ec2Exception e) {
            if ("InvalidKeyPair.NotFound".equals(e.awsErrorDetails().errorCode())) return Optional.empty();
            throw e;
        }
    }

    static Map<String, String> tags(KeyPairInfo k) {
        Map<String, String> out = new HashMap<>();
        k.tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    static List<String> distributions(CloudFrontClient cf) {
        var l = cf.listDistributions(r -> { }).distributionList();
        return l.items() == null ? List.of() : l.items().stream().map(d -> d.id()).toList();
    }

    @Test
    void aDistributionRemovedFromTheFileIsFoundAndDeleted(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("scope-cdn");
        Path withCdn = StackFiles.copyExample(dir, "cdn.json", name);
        Files.writeString(withCdn, Files.readString(withCdn).replace("\"cdn\": {", VPC));
        Path vpcOnly = StackFiles.write(dir, "vpc-only.json", "{ \"stack\": \"" + name + "\", \"region\": \"" + REGION
                + "\", \"resources\": { \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.77.0.0/16\" } } }");
        Ec2Client ec2 = api.ec2(REGION);
        try (TaggingGapsProxy proxy = TaggingGapsProxy.start(api.endpoint());
             CloudFrontClient cf = CloudFrontClient.builder().endpointOverride(api.endpoint()).region(Region.AWS_GLOBAL)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build()) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            List<String> before = distributions(cf);

            // 1. the first apply of a distribution writes the marker before the distribution
            Cli.Result apply = Cli.run(env, "apply", withCdn.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            List<String> sent = proxy.requests();
            int marked = sent.indexOf("CreateKeyPair"), created = sent.indexOf("POST /2020-05-31/distribution");
            assertTrue(marked >= 0 && created > marked, "CreateKeyPair of the marker before CreateDistribution: " + sent);
            KeyPairInfo k = marker(ec2, name).orElseThrow(() -> new AssertionError("no marker key pair after the apply"));
            assertEquals(name, tags(k).get("netstack:stack"), tags(k).toString());
            assertEquals(name, tags(k).get(MARKS_CLOUDFRONT), tags(k).toString());
            assertFalse(apply.out().contains("PRIVATE KEY") || apply.err().contains("PRIVATE KEY"), "the marker's key material is never printed");
            List<String> mine = new java.util.ArrayList<>(distributions(cf));
            mine.removeAll(before);
            assertEquals(1, mine.size(), "one distribution created: " + mine);

            // 2. no longer declared: the marker says CloudFront, the hint is asked in us-east-1 only
            proxy.clear();
            Cli.Result plan = Cli.run(env, "plan", vpcOnly.toString(), "--detailed-exitcode");
            assertEquals(2, plan.exit(), plan.toString());
            assertTrue(plan.out().contains("cdn (cloudfront-distribution)") && plan.out().contains("no longer in the stack file"), plan.out());
            assertEquals(List.of("us-east-1"), proxy.getResourcesRegions(), "one GetResources, where AWS reports distributions: " + proxy.requests());

            // 3. the apply deletes it, and then removes the marker: a full read finds no distribution left
            Cli.Result applyVpcOnly = Cli.run(env, "apply", vpcOnly.toString(), "--auto-approve");
            assertEquals(0, applyVpcOnly.exit(), applyVpcOnly.toString());
            assertFalse(distributions(cf).contains(mine.get(0)), "the distribution is deleted");
            assertEquals(Optional.empty(), marker(ec2, name), "the marker is gone with the stack's last global object");

            // 4. a no-change plan of the EC2-only stack asks the tagging API nothing and reads no CloudFront
            proxy.clear();
            Cli.Result after = Cli.run(env, "plan", vpcOnly.toString(), "--detailed-exitcode");
            assertEquals(0, after.exit(), after.toString());
            assertFalse(proxy.requests().contains("GetResources"), "nothing marked: no hint " + proxy.requests());
            assertFalse(proxy.requests().stream().anyMatch(r -> r.contains("/distribution")),
                    "no distribution is owned any more: CloudFront is not read " + proxy.requests());

            // 5. a distribution again, then a destroy from the file without it: the marked type is read
            // in full (not the hint), the distribution deleted, the marker removed
            Cli.Result again = Cli.run(env, "apply", withCdn.toString(), "--auto-approve");
            assertEquals(0, again.exit(), again.toString());
            assertTrue(marker(ec2, name).map(x -> tags(x).containsKey(MARKS_CLOUDFRONT)).orElse(false), "marked again");
            proxy.clear();
            Cli.Result destroy = Cli.run(env, "destroy", vpcOnly.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(proxy.requests().contains("GET /2020-05-31/distribution"), "the marked type is read in full: " + proxy.requests());
            assertEquals(java.util.Set.of(REGION, "us-east-1"), java.util.Set.copyOf(proxy.getResourcesRegions()),
                    "a destroy still asks the hint for the unmarked global types (DX gateways: both regions): " + proxy.getResourcesRegions());
            List<String> left = new java.util.ArrayList<>(distributions(cf));
            left.removeAll(before);
            assertEquals(List.of(), left, "destroy deleted the distribution");
            assertEquals(Optional.empty(), marker(ec2, name), "destroy removes the marker");
        }
    }

    /**
     * A key pair of the marker's name that names nothing (a removal stopped between its DeleteTags
     * and its DeleteKeyPair): CreateKeyPair answers InvalidKeyPair.Duplicate, and the marker is
     * read and tagged before the distribution is created.
     */
    @Test
    void anUntaggedMarkerLeftBehindIsTaggedBeforeTheCreate(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("scope-mark");
        Path withCdn = StackFiles.copyExample(dir, "cdn.json", name);
        Ec2Client ec2 = api.ec2(REGION);
        ec2.createKeyPair(r -> r.keyName("netstack-marker-" + name));
        try (TaggingGapsProxy proxy = TaggingGapsProxy.start(api.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            Cli.Result apply = Cli.run(env, "apply", withCdn.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            List<String> sent = proxy.requests();
            int tagged = sent.indexOf("CreateTags"), created = sent.indexOf("POST /2020-05-31/distribution");
            assertTrue(sent.contains("CreateKeyPair") && sent.contains("DescribeKeyPairs") && tagged >= 0 && created > tagged,
                    "the existing key pair is read and tagged before CreateDistribution: " + sent);
            Map<String, String> t = tags(marker(ec2, name).orElseThrow());
            assertEquals(name, t.get("netstack:stack"), t.toString());
            assertEquals(name, t.get(MARKS_CLOUDFRONT), t.toString());

            proxy.clear();
            Cli.Result plan = Cli.run(env, "plan", withCdn.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());
            assertFalse(proxy.requests().contains("GetResources"), "marked and declared: read in full, no hint " + proxy.requests());

            Cli.Result destroy = Cli.run(env, "destroy", withCdn.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertEquals(Optional.empty(), marker(ec2, name), "destroy removes the marker");
        }
    }

    /**
     * A removal the role may not make (no {@code ec2:DeleteTags}) leaves the marker and the run
     * succeeds; the next plan pays one hint call for it, and a later destroy with the permission
     * removes it. Chain: netstack → AccessDenyProxy → TaggingGapsProxy → moto.
     */
    @Test
    void aRemovalThatIsDeniedLeavesTheMarkerAndTheRunSucceeds(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("scope-deny");
        Path withCdn = StackFiles.copyExample(dir, "cdn.json", name);
        Files.writeString(withCdn, Files.readString(withCdn).replace("\"cdn\": {", VPC));
        // the stack tags of cdn.json, so that the VPC itself is not changed (no DeleteTags of its own)
        Path vpcOnly = StackFiles.write(dir, "vpc-only.json", "{ \"stack\": \"" + name + "\", \"region\": \"" + REGION
                + "\", \"tags\": { \"team\": \"web\" }, \"resources\": { \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.77.0.0/16\" } } }");
        Ec2Client ec2 = api.ec2(REGION);
        try (TaggingGapsProxy proxy = TaggingGapsProxy.start(api.endpoint()); AccessDenyProxy iam = AccessDenyProxy.start(proxy.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", iam.endpoint().toString());
            iam.allow(java.util.Set.of("*"));
            Cli.Result apply = Cli.run(env, "apply", withCdn.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            // the distribution's actions (to delete it) but not the marker's DeleteTags
            java.util.Set<String> allowed = new java.util.TreeSet<>(policy(withCdn, Policy.Purpose.APPLY));
            allowed.remove("ec2:DeleteTags");
            iam.allow(allowed);
            Cli.Result drop = Cli.run(env, "apply", vpcOnly.toString(), "--auto-approve");
            assertEquals(0, drop.exit(), "a failed marker removal never fails the run: " + drop);
            assertEquals(List.of("ec2:DeleteTags"), iam.denied(), drop.toString());
            assertTrue(marker(ec2, name).map(k -> tags(k).containsKey(MARKS_CLOUDFRONT)).orElse(false), "the marker is left as it was");

            iam.allow(java.util.Set.of("*"));
            proxy.clear();
            Cli.Result plan = Cli.run(env, "plan", vpcOnly.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());
            assertEquals(List.of("us-east-1"), proxy.getResourcesRegions(), "the marker left behind costs one hint call");

            Cli.Result destroy = Cli.run(env, "destroy", vpcOnly.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertEquals(Optional.empty(), marker(ec2, name), "a destroy with the permission removes it");
        }
    }

    static java.util.Set<String> policy(Path f, Policy.Purpose purpose) {
        try (Netstack ns = Netstack.forEndpoint(java.net.URI.create("http://127.0.0.1:9"))) {
            StackFile s = ns.load(f, Map.of());
            return Policy.actions(s, ns.provider(s.region()), purpose);
        }
    }
}
