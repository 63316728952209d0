package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What start-up work was made lazy or moved still behaves: help, version, and the AppCDS training run. */
class StartupTest {
    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = Main.run(args, new Console(ps, ps, Map.of(), false));
        return code + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEverySubcommandThoughOnlyTheOneRunIsRegistered() {
        String help = run("--help");
        assertTrue(help.startsWith("0\n"), help);
        for (String name : NetstackCommand.SUBCOMMANDS.keySet()) assertTrue(help.contains("  " + name), name + " missing from:\n" + help);
        assertTrue(run("--version").startsWith("0\nnetstack "));
        assertTrue(run("-V").startsWith("0\nnetstack "));
        String unknown = run("bogus");
        assertTrue(unknown.startsWith("3\n") && unknown.contains("Unmatched argument"), unknown);
        String missing = run("plan");
        assertTrue(missing.startsWith("3\n") && missing.contains("STACK"), missing);
    }

    @Test
    void ec2SampleAnswersHaveOneItemPerListAndNoNextToken() {
        String vpcs = io.netstack.provider.training.AwsStandIn.ec2Answer("DescribeVpcs");
        assertTrue(vpcs.contains("<vpcSet><item>") && vpcs.contains("<cidrBlock>"), vpcs);
        assertFalse(vpcs.contains("nextToken"), "a NextToken would page forever: " + vpcs);
        assertTrue(io.netstack.provider.training.AwsStandIn.ec2Answer("NoSuchAction").endsWith("</NoSuchActionResponse>"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void trainingRunPlansAgainstTheLoopbackStandIn() throws Exception {
        String before = System.getProperty("aws.accessKeyId");
        List<Integer> codes = CdsTraining.train("stacks/three-tier.json");
        // --version, --help, schema, validate, plan: all succeed (the plan creates everything)
        assertEquals(List.of(0, 0, 0, 0, 0), codes);
        assertEquals(before, System.getProperty("aws.accessKeyId"), "training credentials must not leak");
    }
}
