package io.netstack.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.faults.FaultConfig;
import io.netstack.testing.faults.FaultProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Issue 6, Done-when 2 (crash safety) and the SIGINT/SIGTERM promise, with the real CLI as a child
 * process ({@code java -jar target/netstack.jar}; failsafe sets {@code NETSTACK_JAR}) talking to moto
 * through a {@link FaultProxy} that adds 20–60 ms to every AWS call, so an apply lasts long enough
 * to be killed anywhere.
 */
@ExtendWith(AwsApiExtension.class)
class CrashIT {
    static final String REGION = FaultStacks.REGION;
    static final int KILLS = 20;
    static final long SEED = 0x6C7A5L;
    static final Duration LATENCY = Duration.ofMillis(20);
    static final Duration JITTER = Duration.ofMillis(40);
    /** No run of the small stacks here takes a minute even on a loaded 2-core box. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Kill moments are drawn from the first n mutating AWS calls of a run (reads are not counted:
     * a plan's ~20 Describe calls would otherwise take most of the kills); n starts here and grows
     * to the most any completed run made.
     */
    static final int FIRST_GUESS_CALLS = 30;

    /**
     * SIGKILL at 20 seeded random moments. What it proves: whatever instant netstack dies at —
     * while planning, between calls, with a create sent and its response not yet read (the proxy
     * still forwards it: AWS acts, the client never hears), during waits, during destroy — (1) it
     * never leaves an object without ownership tags behind (checked after every kill against moto
     * directly: no new untagged object anywhere in the region), and (2) the next run adopts what
     * the dead one made: the runs continue each other, and a final {@code apply} converges to
     * exactly one live object per logical id, every object tagged, after which a plan shows no
     * changes and destroy leaves nothing.
     *
     * <p>How the 20 moments are spread: a run is killed when the proxy has seen a seeded random
     * number k of its mutating AWS calls, plus 0–80 ms (so the k-th call is often still in flight:
     * sent, and forwarded to moto after the kill); the next run continues what is left, and is killed
     * again. A run that completes before its moment flips the command (apply ↔ destroy), so kills
     * land in applies and destroys of the whole stack, not only at its start.
     */
    @Test
    void sigkillAtTwentyRandomMomentsThenApplyConverges(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("crash");
        Path f = FaultStacks.write(dir, name);
        Map<String, String> resources = Inventory.resources(f);
        Random rnd = new Random(SEED);
        long t0 = System.nanoTime();
        try (Ec2Client ec2 = api.ec2(REGION);
             FaultProxy proxy = FaultProxy.start(api.endpoint(), FaultConfig.none().withSeed(SEED).withLatency(LATENCY, JITTER))) {
            Inventory before = Inventory.read(ec2);
            Map<String, String> env = proxy.env(api.cliEnv(REGION));
            ensureClassArchive(api.cliEnv(REGION), f);
            String command = "apply";
            int kills = 0, runs = 0, completed = 0;
            long learntCalls = FIRST_GUESS_CALLS;
            List<String> history = new ArrayList<>();
            while (kills < KILLS) {
                runs++;
                assertTrue(runs <= KILLS * 3, "too many runs for " + KILLS + " kills:\n" + String.join("\n", history));
                long base = mutatingCalls(proxy);
                long killAt = base + 1 + rnd.nextInt((int) learntCalls);
                int extraMillis = rnd.nextInt(80);
                Path log = dir.resolve(String.format(Locale.ROOT, "run-%02d-%s.log", runs, command));
                Process p = startCli(env, log, command, f.toString(), "--auto-approve", "--force-unlock");
                boolean killed = false;
                long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
                while (p.isAlive()) {
                    if (mutatingCalls(proxy) >= killAt) {
                        Thread.sleep(extraMillis);
                        p.destroyForcibly(); // SIGKILL on Linux and macOS
                        killed = true;
                        break;
                    }
                    assertTrue(System.nanoTime() < deadline, command + " run " + runs + " hangs:\n" + tail(log));
                    Thread.sleep(3);
                }
                assertTrue(p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "run " + runs + " did not end");
                int exit = p.exitValue();
                long calls = mutatingCalls(proxy) - base;
                if (killed && exit != 0) {
                    kills++;
                    Inventory now = Inventory.read(ec2);
                    String line = String.format(Locale.ROOT, "kill %2d: %-7s at mutating call %2d (+%2d ms); owned now %2d; last: %s",
                            kills, command, killAt - base, extraMillis, now.owned(name).size(), lastProgress(log));
                    history.add(line);
                    System.out.println("[CrashIT] " + line);
                    assertTrue(now.newUntagged(before).isEmpty(), "after " + line + ": untagged objects left behind: " + now.newUntagged(before)
                            + "\n" + tail(log));
                } else {
                    assertEquals(0, exit, command + " run " + runs + " failed on its own:\n" + tail(log));
                    completed++;
                    learntCalls = Math.max(learntCalls, calls);
                    Inventory now = Inventory.read(ec2);
                    if (command.equals("apply")) {
                        now.assertExactlyOneEach(name, resources, "after a completed apply (run " + runs + ")");
                        command = "destroy";
                    } else {
                        assertTrue(now.owned(name).isEmpty(), "after a completed destroy: " + now.owned(name));
                        command = "apply";
                    }
                    history.add("run " + runs + " completed (" + calls + " mutating calls)");
                    System.out.println("[CrashIT] run " + runs + " completed " + (command.equals("apply") ? "destroy" : "apply") + " (" + calls + " mutating calls)");
                }
            }

            // Converge: one more apply (in-process), then judge against moto directly.
            Cli.Result apply = Cli.run(env, "apply", f.toString(), "--auto-approve", "--force-unlock");
            assertEquals(0, apply.exit(), "converging apply after " + KILLS + " kills:\n" + String.join("\n", history) + "\n" + apply);
            Inventory after = Inventory.read(ec2);
            after.assertExactlyOneEach(name, resources, "after " + KILLS + " kills and a converging apply");
            assertTrue(after.untaggedIn(after.vpcIds(name)).isEmpty(), "untagged objects in the stack's VPC: " + after.untaggedIn(after.vpcIds(name)));
            assertTrue(after.newUntagged(before).isEmpty(), "untagged objects left behind: " + after.newUntagged(before));
            Cli.Result plan = Cli.run(env, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), "a plan after convergence shows no changes: " + plan);

            Cli.Result destroy = Cli.run(env, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            Inventory gone = Inventory.read(ec2);
            assertTrue(gone.owned(name).isEmpty(), "nothing owned left: " + gone.owned(name));
            assertTrue(gone.newUntagged(before).isEmpty(), "nothing untagged left behind: " + gone.newUntagged(before));
            System.out.printf(Locale.ROOT, "[CrashIT] %d kills in %d runs (%d completed) in %.0f s%n", kills, runs, completed, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * SIGTERM (what CI timeouts and {@code kill} send; SIGINT takes the same path) during an apply:
     * no change starts after it, the changes in flight finish (every "creating X" has its "created
     * X"), the report says what was done and what was not (and those numbers match what exists in
     * AWS), the lock is released, and a re-run without --force-unlock converges.
     */
    @Test
    void sigtermStopsNewChangesFinishesInFlightOnesAndReports(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("sigterm");
        Path f = FaultStacks.write(dir, name);
        Map<String, String> resources = Inventory.resources(f);
        FaultConfig slow = FaultConfig.none().withLatency(Duration.ofMillis(120), Duration.ofMillis(60));
        try (Ec2Client ec2 = api.ec2(REGION); FaultProxy proxy = FaultProxy.start(api.endpoint(), slow)) {
            Map<String, String> env = proxy.env(api.cliEnv(REGION));
            ensureClassArchive(api.cliEnv(REGION), f);
            Path log = dir.resolve("sigterm.log");
            Process p = startCli(env, log, "apply", f.toString(), "--auto-approve", "--parallelism", "2");
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (!read(log).contains("created net-vpc (vpc)")) {
                assertTrue(p.isAlive(), "apply ended before it could be stopped:\n" + read(log));
                assertTrue(System.nanoTime() < deadline, "no progress:\n" + read(log));
                Thread.sleep(20);
            }
            long signalled = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "apply did not stop after SIGTERM:\n" + read(log));
            double stopSeconds = (System.nanoTime() - signalled) / 1e9;
            String out = read(log);
            System.out.printf(Locale.ROOT, "[CrashIT] SIGTERM: stopped %.1f s after the signal%n%s%n", stopSeconds, out);
            assertNotEquals(0, p.exitValue(), out);

            int stopping = out.indexOf("netstack: stopping: no new changes start; waiting for in-flight changes to finish");
            assertTrue(stopping >= 0, "says it is stopping:\n" + out);
            Matcher m = Pattern.compile("Apply stopped: (\\d+) done, (\\d+) failed, (\\d+) not started\\.").matcher(out);
            assertTrue(m.find(), "reports what was done and what was not:\n" + out);
            int done = Integer.parseInt(m.group(1)), failed = Integer.parseInt(m.group(2)), notStarted = Integer.parseInt(m.group(3));
            assertEquals(0, failed, out);
            assertTrue(done >= 1 && notStarted >= 1, out);
            assertTrue(out.contains("Run `netstack apply` again to continue"), out);

            List<String> started = lines(out, "^  (creating|updating|deleting|detaching references from) (\\S+ \\([a-z-]+\\))(?: \\S+)? \\.\\.\\.$", 2);
            List<String> finished = lines(out, "^  (created|updated|deleted|detached references from) (\\S+ \\([a-z-]+\\)) in \\d+\\.\\d+s$", 2);
            assertEquals(started.size(), finished.size(), "every change in flight finished:\n" + out);
            assertTrue(finished.containsAll(started), "every change in flight finished:\n" + out);
            assertEquals(done, finished.size(), out);
            assertEquals(notStarted, lines(out, "^  not started: .+$", 0).size(), out);
            String afterSignal = out.substring(stopping);
            assertTrue(lines(afterSignal, "^  (creating|updating|deleting) .+ \\.\\.\\.$", 0).isEmpty(), "no change starts after the signal:\n" + out);

            long createdInAws = Inventory.read(ec2).owned(name).size();
            long createdLines = lines(out, "^  created .+$", 0).size();
            assertEquals(createdLines, createdInAws, "what the report says was created is what exists:\n" + out);
            assertTrue(createdInAws < resources.size(), "not-started changes were not made");

            Cli.Result rerun = Cli.run(env, "apply", f.toString(), "--auto-approve");
            assertEquals(0, rerun.exit(), "a re-run (no --force-unlock: SIGTERM released the lock) converges: " + rerun);
            Inventory after = Inventory.read(ec2);
            after.assertExactlyOneEach(name, resources, "after SIGTERM and a re-run");
            assertEquals(0, Cli.run(env, "plan", f.toString(), "--detailed-exitcode").exit(), "no changes after the re-run");
            assertEquals(0, Cli.run(env, "destroy", f.toString(), "--auto-approve").exit());
            assertTrue(Inventory.read(ec2).owned(name).isEmpty());
        }
    }

    // ------------------------------------------------------------------------------------------

    /** A class-data archive of the CLI's classes, made once per test JVM: JVM start drops from ~15 s to ~5 s on a loaded box. */
    private static Path classArchive;

    static Process startCli(Map<String, String> env, Path log, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaCommand());
        if (classArchive != null && Files.isRegularFile(classArchive)) cmd.add(1, "-XX:SharedArchiveFile=" + classArchive);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    private static List<String> javaCommand() {
        String jar = System.getenv().getOrDefault("NETSTACK_JAR", "target/netstack.jar");
        assertTrue(Files.isRegularFile(Path.of(jar)), jar + " missing: run through `mvn verify` (failsafe sets NETSTACK_JAR after package)");
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar);
    }

    /**
     * Runs {@code plan} of the test's stack file once with {@code -XX:ArchiveClassesAtExit} (JDK 13+
     * dynamic CDS). Best effort: without an archive the runs are only slower.
     */
    static synchronized void ensureClassArchive(Map<String, String> env, Path stackFile) throws IOException, InterruptedException {
        if (classArchive != null) return;
        Path dir = Files.createTempDirectory("netstack-cds");
        Path archive = dir.resolve("netstack.jsa");
        dir.toFile().deleteOnExit(); // deleted last: registered first
        archive.toFile().deleteOnExit();
        dir.resolve("dump.log").toFile().deleteOnExit();
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add(1, "-XX:ArchiveClassesAtExit=" + archive);
        cmd.addAll(List.of("plan", stackFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("dump.log").toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        System.out.printf(Locale.ROOT, "[CrashIT] class-data archive %s in %.1f s%n", Files.isRegularFile(archive) ? "made" : "NOT made", (System.nanoTime() - t0) / 1e9);
        classArchive = archive;
    }

    /** Calls that change something (lock included): all but Describe/Get/List. */
    static long mutatingCalls(FaultProxy proxy) {
        return proxy.calls().entrySet().stream().filter(e -> !e.getKey().matches("(Describe|Get|List).*")).mapToLong(Map.Entry::getValue).sum();
    }

    static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static String tail(Path log) throws IOException {
        List<String> l = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", l.subList(Math.max(0, l.size() - 25), l.size()));
    }

    static String lastProgress(Path log) throws IOException {
        List<String> l = Files.exists(log) ? Files.readAllLines(log) : List.of();
        for (int i = l.size() - 1; i >= 0; i--) if (l.get(i).startsWith("  ")) return l.get(i).trim();
        return l.isEmpty() ? "(no output yet)" : l.get(l.size() - 1).trim();
    }

    static List<String> lines(String text, String regex, int group) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        while (m.find()) out.add(m.group(group));
        return out;
    }
}
