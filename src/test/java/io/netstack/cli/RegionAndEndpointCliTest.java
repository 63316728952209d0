package io.netstack.cli;

import io.netstack.testing.CountingEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 item 10: an unknown region and a bad endpoint are invalid input (exit 3, plain message)
 * and nothing is sent: the endpoint is a loopback server that counts requests.
 */
class RegionAndEndpointCliTest {
    static CountingEndpoint server;

    @BeforeAll
    static void start() {
        server = CountingEndpoint.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String stack(String region) {
        return "{\n  \"stack\": \"r\",\n  \"region\": \"" + region + "\",\n  \"resources\": {\n    \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" }\n  }\n}\n";
    }

    @Test
    void anUnknownRegionFailsValidationBeforeAnyCall(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "r.json", stack("eu-west-9"));
        int before = server.requests();
        Cli.Result r = Cli.run(Map.of(), "plan", f.toString(), "--endpoint-url", server.url());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":3:13: unknown AWS region \"eu-west-9\" (did you mean \"eu-west-"), r.err());
        assertEquals(before, server.requests(), "no call may be made");
    }

    @ParameterizedTest
    @ValueSource(strings = {"us-gov-west-1", "cn-north-1", "ap-southeast-2", "me-central-1", "eusc-de-east-1"})
    void everyPartitionsRegionsAreKnown(String region, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "r.json", stack(region));
        Cli.Result r = Cli.run(Map.of(), "validate", f.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "ftp://127.0.0.1:5000", "http://", "http//127.0.0.1:5000"})
    void aBadEndpointIsInvalidInput(String endpoint, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "r.json", stack("eu-west-1"));
        Cli.Result r = Cli.run(Map.of(), "plan", f.toString(), "--endpoint-url", endpoint);
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
        assertTrue(r.err().contains("must be an http:// or https:// URL") || r.err().contains("is not a URL"), r.err());
        Cli.Result env = Cli.run(Map.of("AWS_ENDPOINT_URL", endpoint), "plan", f.toString());
        assertEquals(ExitCodes.INVALID_INPUT, env.exit(), env.toString());
        assertTrue(env.err().contains("AWS_ENDPOINT_URL"), env.err());
        assertFalse(env.err().contains("Exception"), env.err());
    }
}
