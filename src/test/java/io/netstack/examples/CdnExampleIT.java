package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;

/** Issue 4, Done-when 1: stacks/cdn.json applies against moto, then plans zero changes, then destroys to nothing owned. */
@ExtendWith(AwsApiExtension.class)
class CdnExampleIT {
    static final String REGION = "eu-west-1";

    @Test
    void appliesPlansZeroDestroys(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("cdn-example");
        Path f = StackFiles.copyExample(dir, "cdn.json", name);

        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertTrue(apply.out().contains("domainName = ") && apply.out().contains(".cloudfront.net"), apply.out());
        assertEquals(1, owned(api, name).size());

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());
        assertTrue(plan.out().contains("No changes"), plan.out());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(api, name).isEmpty());
    }

    /** Distributions tagged with the stack, read with the SDK (list, then tags per distribution). */
    static List<DistributionSummary> owned(AwsApi api, String stack) {
        try (CloudFrontClient cf = CloudFrontClient.builder().endpointOverride(api.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                .build()) {
            var list = cf.listDistributions().distributionList();
            if (!list.hasItems()) return List.of();
            return list.items().stream().filter(d -> cf.listTagsForResource(r -> r.resource(d.arn())).tags().items().stream()
                    .anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(stack))).toList();
        }
    }
}
