package io.netstack.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.faults.Ec2Buckets;
import io.netstack.testing.faults.FaultConfig;
import io.netstack.testing.faults.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Issue 6: the client-side rate limiter keeps netstack inside EC2's token buckets instead of
 * bouncing off them. A VPC with 80 subnets needs 80 {@code CreateSubnet} calls, 30 more than the
 * action's 50-token burst; the {@link FaultProxy} emulates EC2's buckets (and nothing else). With
 * the limiter (the default) AWS throttles nothing; with {@code --rate-limit off} and the same
 * parallelism it does (the SDK's retries then absorb it).
 */
@ExtendWith(AwsApiExtension.class)
class RateLimitIT {
    static final String REGION = FaultStacks.REGION;
    static final int SUBNETS = 80;

    static Path subnets(Path dir, String name) throws IOException {
        String body = IntStream.range(0, SUBNETS)
                .mapToObj(i -> "    \"s" + i + "\": {\"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.60." + i + ".0/24\", \"zone\": \"" + REGION + (char) ('a' + i % 3) + "\"}")
                .collect(Collectors.joining(",\n"));
        Path f = dir.resolve(name + ".json");
        Files.writeString(f, "{\n  \"stack\": \"" + name + "\",\n  \"region\": \"" + REGION + "\",\n  \"resources\": {\n"
                + "    \"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.60.0.0/16\"},\n" + body + "\n  }\n}\n");
        return f;
    }

    @Test
    void withTheLimiterNothingIsThrottledAndWithoutItSomethingIs(AwsApi api, @TempDir Path dir) throws IOException {
        FaultConfig buckets = FaultConfig.none().withBuckets(Ec2Buckets.defaults());
        try (Ec2Client ec2 = api.ec2(REGION)) {
            String paced = api.uniqueStack("paced");
            Path f = subnets(dir, paced);
            try (FaultProxy proxy = FaultProxy.start(api.endpoint(), buckets)) {
                Map<String, String> env = proxy.env(api.cliEnv(REGION));
                Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve", "--parallelism", "40");
                FaultProxy.Stats s = proxy.stats();
                System.out.println("[RateLimitIT] limiter on: " + s.summary());
                assertEquals(0, apply.exit(), apply + "\n" + s.summary());
                assertEquals(SUBNETS, s.calls().get("CreateSubnet"), "one call per subnet, no retries: " + s.summary());
                assertEquals(0, FaultProxy.Stats.total(s.throttled()), "paced to the buckets: " + s.throttled());
            }
            assertEquals(SUBNETS, Inventory.read(ec2).owned(paced).stream().filter(o -> o.kind().equals("subnet")).count());

            String unpaced = api.uniqueStack("unpaced");
            Path g = subnets(dir, unpaced);
            try (FaultProxy proxy = FaultProxy.start(api.endpoint(), buckets)) {
                Map<String, String> env = proxy.env(api.cliEnv(REGION));
                Cli.Result apply = Cli.run(env, "apply", g.toString(), "--auto-approve", "--parallelism", "40", "--rate-limit", "off");
                FaultProxy.Stats s = proxy.stats();
                System.out.println("[RateLimitIT] limiter off: " + s.summary());
                assertEquals(0, apply.exit(), apply + "\n" + s.summary());
                assertTrue(s.throttled().getOrDefault("CreateSubnet", 0L) > 0, "without pacing EC2 throttles: " + s.summary());
            }

            for (Path p : new Path[] {f, g}) {
                Cli.Result destroy = Cli.run(api.cliEnv(REGION), "destroy", p.toString(), "--auto-approve");
                assertEquals(0, destroy.exit(), destroy.toString());
            }
            assertTrue(Inventory.read(ec2).owned(paced).isEmpty());
            assertTrue(Inventory.read(ec2).owned(unpaced).isEmpty());
        }
    }
}
