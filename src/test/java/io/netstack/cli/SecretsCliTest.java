package io.netstack.cli;

import io.netstack.testing.CountingEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 5: a missing or malformed {@code ${env.X}} secret stops {@code plan} and
 * {@code apply} with exit 3, naming the variable and its place in the file, before any AWS call
 * (so before anything is created); {@code validate} passes without the values and checks those
 * that are given. Item 1: {@code plan -o} never overwrites its stack file. The CLI's endpoint
 * counts every request it gets.
 */
class SecretsCliTest {
    static CountingEndpoint server;

    @BeforeAll
    static void start() {
        server = CountingEndpoint.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    static final String STACK = """
        { "stack": "hybrid", "region": "eu-west-1",
          "resources": {
            "vgw": { "type": "vpn-gateway" },
            "office": { "type": "customer-gateway", "ip": "203.0.113.50", "bgpAsn": 65050 },
            "vpn": { "type": "vpn-connection", "customerGateway": "${office}", "vpnGateway": "${vgw}",
                     "tunnels": [ { "insideCidr": "169.254.30.0/30", "preSharedKey": "${env.VPN_PSK}" },
                                  { "insideCidr": "169.254.30.4/30", "preSharedKey": "${env.VPN_PSK}" } ] },
            "gw": { "type": "dx-gateway" },
            "vif": { "type": "dx-virtual-interface", "connection": "dxcon-abc123", "kind": "private", "vlan": 210,
                     "customerAsn": 65030, "dxGateway": "${gw}", "authKey": "${env.DX_KEY}" }
          } }
        """;

    static Map<String, String> env(String psk, String dxKey) {
        Map<String, String> e = new HashMap<>(Map.of("AWS_ENDPOINT_URL", server.url(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
        if (psk != null) e.put("VPN_PSK", psk);
        if (dxKey != null) e.put("DX_KEY", dxKey);
        return e;
    }

    @Test
    void unsetSecretsStopPlanAndApplyBeforeAnyAwsCall(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "hybrid.json", STACK);
        for (String[] args : new String[][] {{"plan", f.toString()}, {"apply", f.toString(), "--auto-approve"}}) {
            Cli.Result r = Cli.run(env(null, "dx-key-ok-123"), args);
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r::toString);
            assertTrue(r.err().contains("hybrid.json:7:") && r.err().contains("vpn: environment variable VPN_PSK is not set (it gives tunnels.0.preSharedKey, a secret)"), r.err());
            assertTrue(r.err().contains("nothing was sent to AWS"), r.err());
        }
        assertEquals(0, server.requests(), "nothing was asked of AWS, so nothing was created");
    }

    @Test
    void malformedSecretsStopPlanAndApplyNamingTheVariableNotTheValue(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "hybrid.json", STACK);
        String badPsk = "0starts-with-zero-and-has-dashes", badDx = "has spaces in it";
        for (String[] args : new String[][] {{"plan", f.toString()}, {"apply", f.toString(), "--auto-approve"}, {"validate", f.toString()}}) {
            Cli.Result r = Cli.run(env(badPsk, badDx), args);
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r::toString);
            assertTrue(r.err().contains("vpn: not a valid pre-shared key: 8–64 characters of A–Z, a–z, 0–9, '.' and '_', not starting with 0 (the value of ${env.VPN_PSK})"), r.err());
            assertTrue(r.err().contains("vif: not a valid BGP auth key: 6–80 printable ASCII characters without spaces (the value of ${env.DX_KEY})"), r.err());
            assertFalse(r.all().contains(badPsk) || r.all().contains(badDx), r::toString);
        }
        assertEquals(0, server.requests());
    }

    @Test
    void validatePassesWithoutTheValues(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "hybrid.json", STACK);
        Cli.Result r = Cli.run(env(null, null), "validate", f.toString());
        assertEquals(ExitCodes.OK, r.exit(), r::toString);
        Cli.Result good = Cli.run(env("psk.Valid_key_1", "dx-key-ok-123"), "validate", f.toString());
        assertEquals(ExitCodes.OK, good.exit(), good::toString);
        assertEquals(0, server.requests());
    }

    @Test
    void planNeverWritesOverItsStackFileOrAnotherNonPlanFile(@TempDir Path dir) throws Exception {
        Path f = StackFiles.write(dir, "hybrid.json", STACK);
        Cli.Result r = Cli.run(env("psk.Valid_key_1", "dx-key-ok-123"), "plan", f.toString(), "-o", f.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r::toString);
        assertTrue(r.err().contains("is the stack file itself; refusing to overwrite it"), r.err());
        assertEquals(STACK, Files.readString(f));

        Path other = StackFiles.write(dir, "other.json", STACK.replace("hybrid", "other"));
        Cli.Result r2 = Cli.run(env("psk.Valid_key_1", "dx-key-ok-123"), "plan", f.toString(), "-o", other.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r2.exit(), r2::toString);
        assertTrue(r2.err().contains("is not a saved plan; refusing to overwrite it"), r2.err());
        assertEquals(STACK.replace("hybrid", "other"), Files.readString(other));
        assertEquals(0, server.requests());
    }
}
