package io.netstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The parts of the test AWS API plumbing that need no server. */
class AwsApiTest {

    private final AwsApi api = new AwsApi(URI.create("http://127.0.0.1:5000/"), AwsApi.KIND_MOTO);

    @Test
    void uniqueStackNamesAreValidAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (String prefix : new String[] {"vpc", "My_Stack.Name", "", "--42abc", "9", null,
                "a-very-long-prefix-that-will-not-fit-into-forty-characters"}) {
            for (int i = 0; i < 200; i++) {
                String name = api.uniqueStack(prefix);
                assertTrue(AwsApi.STACK_NAME.matcher(name).matches(), () -> "invalid stack name " + name);
                assertTrue(seen.add(name), () -> "repeated stack name " + name);
            }
        }
        assertTrue(api.uniqueStack("vpc").startsWith("vpc-"));
        assertTrue(api.uniqueStack("My_Stack.Name").startsWith("my-stack-name-"));
    }

    @Test
    void cliEnvPointsAtTheEndpoint() {
        assertEquals(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "eu-west-1"), api.cliEnv("eu-west-1"));
    }

    @Test
    void ec2ClientUsesEndpointAndRegion() {
        try (Ec2Client ec2 = api.ec2("eu-central-1")) {
            assertEquals(Region.EU_CENTRAL_1, ec2.serviceClientConfiguration().region());
            assertEquals(URI.create("http://127.0.0.1:5000"),
                    ec2.serviceClientConfiguration().endpointOverride().orElseThrow());
        }
    }

    @Test
    void rejectsUnknownKindAndNonHttpEndpoint() {
        assertThrows(IllegalArgumentException.class, () -> new AwsApi(URI.create("http://x:1"), "aws"));
        assertThrows(IllegalArgumentException.class, () -> new AwsApi(URI.create("127.0.0.1:5000"), "env"));
    }

    @Test
    void resetDoesNothingOnLocalStack() {
        new AwsApi(URI.create("http://127.0.0.1:1"), AwsApi.KIND_LOCALSTACK).reset(); // no connection tried
    }

    @Test
    void endpointVariableThatDoesNotAnswerFailsClearly() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AwsApiExtension.discover(Map.of(AwsApiExtension.ENDPOINT_VARIABLE, url)));
        assertTrue(e.getMessage().contains("NETSTACK_TEST_ENDPOINT=" + url + " does not answer"), e::getMessage);
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> AwsApiExtension.discover(Map.of(AwsApiExtension.ENDPOINT_VARIABLE, "not a url")));
        assertTrue(bad.getMessage().contains("is not usable"), bad::getMessage);
    }

    @Test
    void missingMotoServerFailsWithInstallHint(@TempDir Path emptyDir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MotoServer.start(emptyDir.toString()));
        assertTrue(e.getMessage().contains("moto_server is not on PATH"), e::getMessage);
        assertTrue(e.getMessage().contains("pip install 'moto[server]==5.2.1'"), e::getMessage);
    }

    @Test
    void findOnPathNeedsAnExecutableFile(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("moto_server"));
        assertFalse(MotoServer.findOnPath("moto_server", dir.toString()).isPresent());
        assertTrue(plain.toFile().setExecutable(true));
        assertEquals(plain, MotoServer.findOnPath("moto_server", "/nonexistent:" + dir).orElseThrow());
    }
}
