package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.TaggingGapsProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, plan scope for global types: a stack that no longer declares its CloudFront
 * distribution still finds it through the tagging API ({@code GetResources}) and deletes it; once
 * it is gone, plans read no CloudFront at all. Against moto behind {@link TaggingGapsProxy}
 * (moto's resource type filter spelling and CloudFront ARNs differ from AWS's).
 */
@ExtendWith(AwsApiExtension.class)
class GlobalTypeScopeIT {
    static final String REGION = "eu-west-1";
    static final String VPC = "\"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.77.0.0/16\" },\n    \"cdn\": {";

    @Test
    void aDistributionRemovedFromTheFileIsFoundAndDeleted(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("scope-cdn");
        Path withCdn = StackFiles.copyExample(dir, "cdn.json", name);
        Files.writeString(withCdn, Files.readString(withCdn).replace("\"cdn\": {", VPC));
        Path vpcOnly = StackFiles.write(dir, "vpc-only.json", "{ \"stack\": \"" + name + "\", \"region\": \"" + REGION
                + "\", \"resources\": { \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.77.0.0/16\" } } }");
        try (TaggingGapsProxy proxy = TaggingGapsProxy.start(api.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());

            Cli.Result apply = Cli.run(env, "apply", withCdn.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            proxy.clear();
            Cli.Result plan = Cli.run(env, "plan", vpcOnly.toString(), "--detailed-exitcode");
            assertEquals(2, plan.exit(), plan.toString());
            assertTrue(plan.out().contains("cdn (cloudfront-distribution)") && plan.out().contains("no longer in the stack file"), plan.out());
            assertTrue(proxy.requests().contains("GetResources"), proxy.requests().toString());

            Cli.Result applyVpcOnly = Cli.run(env, "apply", vpcOnly.toString(), "--auto-approve");
            assertEquals(0, applyVpcOnly.exit(), applyVpcOnly.toString());

            proxy.clear();
            Cli.Result after = Cli.run(env, "plan", vpcOnly.toString(), "--detailed-exitcode");
            assertEquals(0, after.exit(), after.toString());
            assertTrue(proxy.requests().contains("GetResources"), proxy.requests().toString());
            assertFalse(proxy.requests().stream().anyMatch(r -> r.contains("/distribution")),
                    "no distribution is owned any more: CloudFront is not read " + proxy.requests());

            Cli.Result destroy = Cli.run(env, "destroy", vpcOnly.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
        }
    }
}
