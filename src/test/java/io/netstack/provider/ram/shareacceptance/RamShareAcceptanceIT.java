package io.netstack.provider.ram.shareacceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.MotoAssumeRole;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeRam;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ram-share-acceptance: the hub (moto's default account) shares its transit gateway with two
 * accounts whose stacks run with AssumeRole credentials; account B, outside the organization,
 * accepts the invitation; account C, inside it, has none and finds the share visible. Through
 * {@link FakeRam}, which covers moto's missing invitations and receiving-side view of a share.
 */
@ExtendWith(AwsApiExtension.class)
class RamShareAcceptanceIT {
    static final String REGION = "eu-west-1";
    static final String B = "222222222222", C = "444444444444";

    @Test
    void theReceivingAccountsAccept(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "AssumeRole accounts and FakeRam");
        MotoAssumeRole b = MotoAssumeRole.into(api, B), c = MotoAssumeRole.into(api, C);
        try (FakeRam ram = FakeRam.start(api.endpoint()).account(b.accessKeyId(), B).account(c.accessKeyId(), C).organization(C)) {
            Map<String, String> hubEnv = new HashMap<>(api.cliEnv(REGION)), envB = new HashMap<>(b.cliEnv(api, REGION)), envC = new HashMap<>(c.cliEnv(api, REGION));
            for (Map<String, String> e : java.util.List.of(hubEnv, envB, envC)) e.put("AWS_ENDPOINT_URL", ram.endpoint().toString());
            String hub = api.uniqueStack("ram-hub"), spokeB = api.uniqueStack("ram-b"), spokeC = api.uniqueStack("ram-c");
            Path fh = StackFiles.write(dir, "hub.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "tgw": { "type": "transit-gateway" },
                    "share": { "type": "ram-resource-share", "resources": ["${tgw}"], "principals": ["%s", "%s"] }
                  },
                  "outputs": { "arn": "${share.arn}" } }
                """.formatted(hub, B, C));
            assertEquals(0, Cli.run(hubEnv, "apply", fh.toString(), "--auto-approve").exit());
            String arn = Json.MAPPER.readTree(Cli.run(hubEnv, "output", fh.toString(), "--json").out()).path("arn").asText();
            assertTrue(arn.startsWith("arn:aws:ram:eu-west-1:"), arn);

            String accepter = """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": { "hub-share": { "type": "ram-share-acceptance", "share": "%s" } } }
                """;
            Path fb = StackFiles.write(dir, "b.json", accepter.formatted(spokeB, arn));
            Cli.Result planB = Cli.run(envB, "plan", fb.toString(), "--detailed-exitcode");
            assertEquals(2, planB.exit(), "not accepted yet: " + planB);
            Cli.Result applyB = Cli.run(envB, "apply", fb.toString(), "--auto-approve");
            assertEquals(0, applyB.exit(), applyB.toString());
            assertEquals(1, ram.calls("acceptresourceshareinvitation").size());
            assertEquals(B, ram.calls("acceptresourceshareinvitation").get(0).account(), "accepted by the receiving account");
            Cli.Result againB = Cli.run(envB, "plan", fb.toString(), "--detailed-exitcode");
            assertEquals(0, againB.exit(), "accepted: plans zero " + againB);

            // Same organization: no invitation, nothing to accept, and the plan is zero afterwards.
            Path fc = StackFiles.write(dir, "c.json", accepter.formatted(spokeC, arn));
            Cli.Result planC = Cli.run(envC, "plan", fc.toString(), "--detailed-exitcode");
            assertEquals(0, planC.exit(), "visible inside the organization: " + planC);
            assertEquals(1, ram.calls("acceptresourceshareinvitation").size(), "no second accept");

            // Destroying the acceptance changes nothing in AWS (the owner removes principals).
            Cli.Result destroyB = Cli.run(envB, "destroy", fb.toString(), "--auto-approve");
            assertEquals(0, destroyB.exit(), destroyB.toString());
            assertEquals(0, ram.calls("disassociateresourceshare").size());
            assertEquals(0, Cli.run(envB, "plan", fb.toString(), "--destroy", "--detailed-exitcode").exit(), "a destroyed acceptance plans nothing more");
            assertEquals(0, Cli.run(hubEnv, "destroy", fh.toString(), "--auto-approve").exit());
            assertEquals("DELETED", ram.share(arn).get("status").asText());
        }
    }

    @Test
    void theShareIsAResourceShareArnOrAReference(AwsApi api, @TempDir Path dir) {
        Assumptions.assumeTrue(api.isMoto(), "FakeRam");
        try (FakeRam ram = FakeRam.start(api.endpoint())) {
            Map<String, String> env = new HashMap<>(api.cliEnv(REGION));
            env.put("AWS_ENDPOINT_URL", ram.endpoint().toString());
            String arn = "arn:aws:ram:eu-west-1:111111111111:resource-share/0b1c2d3e-0000-4000-8000-000000000000";
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1", "resources": { "x": { "type": "ram-share-acceptance", "share": "%s" } } }
                """.formatted(api.uniqueStack("ram-none"), arn));
            assertEquals(0, Cli.run(env, "validate", f.toString()).exit());
            Cli.Result bad = Cli.run(env, "validate", StackFiles.write(dir, "bad.json", """
                { "stack": "x", "region": "eu-west-1", "resources": { "x": { "type": "ram-share-acceptance", "share": "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-1" } } }
                """).toString());
            assertEquals(3, bad.exit(), bad.toString());
            assertTrue(bad.all().contains("is not a resource share ARN"), bad.toString());
        }
    }
}
