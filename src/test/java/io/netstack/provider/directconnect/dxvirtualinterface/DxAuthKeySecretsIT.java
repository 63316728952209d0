package io.netstack.provider.directconnect.dxvirtualinterface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeAwsServer;
import io.netstack.testing.fake.FakeDirectConnect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BGP auth key of a virtual interface, given as {@code ${env.DX_AUTH_KEY}}, never shows: not in
 * plan text, {@code plan --json}, {@code -v} logs, a saved plan file, apply or destroy output — and
 * yet it reaches AWS, and a changed key plans the replacement AWS needs. Runs the shaded jar as a
 * subprocess (the real CLI, real environment variables, real logging setup) against
 * {@link FakeAwsServer}; {@code mvn verify} builds the jar before integration tests run.
 */
@ExtendWith(AwsApiExtension.class)
class DxAuthKeySecretsIT {
    static final String KEY_1 = "Bgp-Key-0f3c9a7e51d2";
    static final String KEY_2 = "Bgp-Key-7d22b1c6e8a4";

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @Test
    void authKeyNeverShown(AwsApi api, @TempDir Path dir) throws Exception {
        Path jar = jar();
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint())) {
            fake.pendingReads(0);
            FakeDirectConnect dx = fake.directConnect();
            String name = api.uniqueStack("dxkey");
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "gw":  { "type": "dx-gateway" },
                    "vif": { "type": "dx-virtual-interface", "connection": "%s", "kind": "private", "vlan": 210,
                             "customerAsn": 65030, "dxGateway": "${gw}", "authKey": "${env.DX_AUTH_KEY}" }
                  } }
                """.formatted(name, FakeDirectConnect.CONNECTION));
            Map<String, String> env = new HashMap<>(Map.of("AWS_ENDPOINT_URL", fake.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "DX_AUTH_KEY", KEY_1));
            List<String> shown = new ArrayList<>();

            Path saved = dir.resolve("plan.json");
            Run text = ok(run(jar, env, dir, shown, "plan", f.toString(), "-v", "-o", saved.toString()));
            assertTrue(text.out().contains("authKey: (sensitive)"), text.out());
            shown.add(Files.readString(saved));
            Run json = ok(run(jar, env, dir, shown, "plan", f.toString(), "--json", "-v"));
            assertEquals("(sensitive)", diff(change(json.out(), "vif"), "authKey").path("after").asText());
            Run apply = ok(run(jar, env, dir, shown, "apply", saved.toString(), "--auto-approve", "-v"));
            String vifId = dx.virtualInterfaces().keySet().iterator().next();
            assertEquals(KEY_1, dx.authKeyOf(vifId), "the key reached AWS");
            assertEquals(0, run(jar, env, dir, shown, "plan", f.toString(), "--detailed-exitcode").exit(), "no change: the digest matches");

            env.put("DX_AUTH_KEY", KEY_2);
            Run rekey = run(jar, env, dir, shown, "plan", f.toString(), "--json", "-v", "--detailed-exitcode");
            assertEquals(2, rekey.exit(), rekey.all());
            JsonNode c = change(rekey.out(), "vif");
            assertEquals("replace", c.path("action").asText());
            assertEquals("authKey is create-only", c.path("reasons").get(0).asText());
            assertEquals("(sensitive)", diff(c, "authKey").path("before").asText());
            assertEquals("(sensitive)", diff(c, "authKey").path("after").asText());
            ok(run(jar, env, dir, shown, "apply", f.toString(), "--auto-approve", "-v"));
            String newId = dx.virtualInterfaces().keySet().stream().filter(id -> !id.equals(vifId)).findFirst().orElseThrow();
            assertEquals(KEY_2, dx.authKeyOf(newId));
            ok(run(jar, env, dir, shown, "destroy", f.toString(), "--auto-approve", "-v"));
            assertTrue(dx.virtualInterfaces().isEmpty());

            assertTrue(apply.all().length() > 0);
            for (String s : shown) {
                assertFalse(s.contains(KEY_1), () -> "key 1 shown in:\n" + s);
                assertFalse(s.contains(KEY_2), () -> "key 2 shown in:\n" + s);
            }
        }
    }

    /**
     * Issue 13 item 4: Direct Connect's error for a rejected create quotes the request, auth key
     * included ({@link FakeDirectConnect} does the same); apply's output shows the error with the
     * key replaced, also under -v.
     */
    @Test
    void awsErrorsThatQuoteTheKeyAreScrubbed(AwsApi api, @TempDir Path dir) throws Exception {
        Path jar = jar();
        try (FakeAwsServer fake = FakeAwsServer.start(api.endpoint())) {
            fake.pendingReads(0);
            String first = api.uniqueStack("dxvlan"), second = api.uniqueStack("dxecho");
            String block = """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "vif": { "type": "dx-virtual-interface", "connection": "%s", "kind": "private", "vlan": 222,
                             "customerAsn": 65030, "vpnGateway": "vgw-0123456789abcdef0"%s }
                  } }
                """;
            Path a = StackFiles.write(dir, "a.json", block.formatted(first, FakeDirectConnect.CONNECTION, ""));
            Path b = StackFiles.write(dir, "b.json", block.formatted(second, FakeDirectConnect.CONNECTION, ", \"authKey\": \"${env.DX_AUTH_KEY}\""));
            Map<String, String> env = new HashMap<>(Map.of("AWS_ENDPOINT_URL", fake.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "DX_AUTH_KEY", KEY_1));
            List<String> shown = new ArrayList<>();
            ok(run(jar, env, dir, shown, "apply", a.toString(), "--auto-approve"));
            Run failed = run(jar, env, dir, shown, "apply", b.toString(), "--auto-approve", "-v");
            assertEquals(1, failed.exit(), failed::toString);
            assertTrue(failed.err().contains("VLAN 222 is already in use") && failed.err().contains("authKey=(sensitive)"), failed.err());
            assertFalse(failed.all().contains(KEY_1), () -> "key shown in:\n" + failed.all());
            ok(run(jar, env, dir, shown, "destroy", a.toString(), "--auto-approve"));
        }
    }

    static JsonNode change(String planJson, String id) throws IOException {
        for (JsonNode c : Json.MAPPER.readTree(planJson).path("changes")) if (c.path("id").asText().equals(id)) return c;
        throw new AssertionError("no change for " + id + " in " + planJson);
    }

    static JsonNode diff(JsonNode change, String path) {
        for (JsonNode d : change.path("diff")) if (d.path("path").asText().equals(path)) return d;
        throw new AssertionError("no diff " + path + " in " + change);
    }

    static Run ok(Run r) {
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    static Run run(Path jar, Map<String, String> env, Path dir, List<String> shown, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("NETSTACK_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("netstack " + String.join(" ", args) + " did not finish in 180 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        shown.add(r.all());
        return r;
    }

    /** The shaded jar: $NETSTACK_JAR (set by the failsafe plugin) or target/netstack.jar. */
    static Path jar() {
        String env = System.getenv("NETSTACK_JAR");
        Path jar = env != null && !env.isBlank() ? Path.of(env) : Path.of("target", "netstack.jar");
        if (!Files.isRegularFile(jar)) fail(jar + " does not exist: build it first (mvn package -DskipTests, or run the integration tests with mvn verify)");
        return jar.toAbsolutePath();
    }
}
