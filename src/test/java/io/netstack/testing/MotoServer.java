package io.netstack.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A {@code moto_server} child process on a free loopback port, owned by this JVM. */
final class MotoServer {

    static final String EXECUTABLE = "moto_server";
    static final String MOTO_VERSION = "5.2.1";
    static final String INSTALL_COMMAND = "python3 -m pip install 'moto[server]==" + MOTO_VERSION + "'";

    /** moto answers about 1 s after launch; a cold Python import on a busy 2-core CI box is slower. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** A port found free can be taken by someone else before moto binds it: then try another. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    URI endpoint() {
        return endpoint;
    }

    Path log() {
        return log;
    }

    /** The first executable file named {@code executable} in the directories of {@code pathVariable}. */
    static Optional<Path> findOnPath(String executable, String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts moto found on {@code pathVariable} and waits until it answers.
     *
     * @throws IllegalStateException with a message saying what to do, if moto is not installed or
     *     does not come up
     */
    static MotoServer start(String pathVariable) {
        Path executable = findOnPath(EXECUTABLE, pathVariable).orElseThrow(() -> new IllegalStateException(
                EXECUTABLE + " is not on PATH (" + pathVariable + "). Install moto with: " + INSTALL_COMMAND));
        Path logDir = logDirectory();
        String lastFailure = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path log = logDir.resolve("moto-" + port + ".log");
            Process process;
            try {
                process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                process.getOutputStream().close(); // moto reads no input
            } catch (IOException e) {
                throw new IllegalStateException("could not run " + executable + ": " + e.getMessage(), e);
            }
            MotoServer server = new MotoServer(process, endpoint, log);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (server.answers()) {
                    return server;
                }
                sleep(POLL_INTERVAL);
            }
            if (process.isAlive()) {
                server.stop();
                throw new IllegalStateException("moto_server did not answer at " + endpoint + " within "
                        + START_TIMEOUT.toSeconds() + " s; its log " + log + " ends with:\n" + tail(log));
            }
            lastFailure = "moto_server exited with status " + process.exitValue() + " (attempt " + attempt
                    + ", port " + port + "); its log " + log + " ends with:\n" + tail(log);
        }
        throw new IllegalStateException(lastFailure);
    }

    /** Stops the process (and anything it spawned); idempotent. */
    void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private boolean answers() {
        try {
            HttpResponse<Void> response = AwsApi.http().send(
                    HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto at " + endpoint, e);
        }
    }

    /** {@code target/moto-server} under the working directory (Maven's basedir) if there is a target, else a temp dir. */
    private static Path logDirectory() {
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                return Files.createDirectories(target.resolve("moto-server")).toAbsolutePath();
            }
            return Files.createTempDirectory("moto-server");
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a directory for moto's log", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free loopback port for moto", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }
}
