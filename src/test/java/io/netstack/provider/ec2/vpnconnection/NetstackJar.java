package io.netstack.provider.ec2.vpnconnection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code netstack.jar} in a child JVM, as a user would. Needed where the in-process
 * CLI cannot go: the engine reads {@code ${env.NAME}} secrets from the process environment, which a
 * test cannot set for its own JVM. The jar is {@code NETSTACK_JAR} (set by failsafe) or
 * {@code target/netstack.jar} (built by {@code mvn package}, before failsafe's integration tests).
 */
public final class NetstackJar {
    /** A plan or apply against a local API finishes in seconds; this only stops a hung child. */
    private static final long TIMEOUT_MINUTES = 10;

    private NetstackJar() {}

    public static Path jar() {
        String configured = System.getenv("NETSTACK_JAR");
        Path jar = Path.of(configured != null && !configured.isBlank() ? configured : "target/netstack.jar");
        assertTrue(Files.isRegularFile(jar), jar + " does not exist: build it with `mvn package` (failsafe's ITs run after it)");
        return jar;
    }

    /** Runs {@code java -jar netstack.jar args…} with the AWS_* variables of the parent removed and {@code env} added. */
    public static Cli.Result run(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("VPN_"));
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile("netstack-out", ".txt"), err = Files.createTempFile("netstack-err", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("netstack " + String.join(" ", args) + " did not finish in " + TIMEOUT_MINUTES + " min");
            }
            Cli.Result r = new Cli.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
