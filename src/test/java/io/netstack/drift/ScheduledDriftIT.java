package io.netstack.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * {@code drift --every 2s} as a real process against the test AWS API for about ten seconds:
 * one report per run, /metrics with the drift count, webhook posts when drift appears and when
 * it disappears, and a clean stop on SIGTERM.
 */
@ExtendWith(AwsApiExtension.class)
class ScheduledDriftIT {
    static final String REGION = "eu-west-1";

    @Test
    void everyTwoSeconds(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("sched");
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.70.0.0/16" },
                "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.70.1.0/24", "mapPublicIp": true }
              } }
            """.formatted(name));
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        Ec2Client ec2 = api.ec2(REGION);
        Subnet a = ec2.describeSubnets(r -> r.filters(x -> x.name("tag:netstack:stack").values(name))).subnets().get(0);
        ec2.modifySubnetAttribute(r -> r.subnetId(a.subnetId()).mapPublicIpOnLaunch(b -> b.value(false)));

        List<String> posts = Collections.synchronizedList(new ArrayList<>());
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            posts.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        Path reports = dir.resolve("reports");
        String jar = System.getenv().getOrDefault("NETSTACK_JAR", "target/netstack.jar");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar, "drift", f.toString(), "--every", "2s",
                "--report-dir", reports.toString(), "--webhook", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "--listen", "127.0.0.1:0");
        pb.environment().putAll(api.cliEnv(REGION));
        pb.redirectErrorStream(true);
        Path out = dir.resolve("drift.log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        List<String> log = new FileLines(out);
        try {
            int port = waitForPort(log);
            waitForRuns(log, name, 1); // the first check pays the JVM's and the SDK's start-up
            Thread.sleep(4_000);
            String metrics = get("http://127.0.0.1:" + port + "/metrics");
            assertTrue(metrics.contains("netstack_drift_items{stack=\"" + name + "\",class=\"modified\"} 1"), metrics);
            assertTrue(metrics.contains("netstack_drift_last_run_success{stack=\"" + name + "\"} 1"), metrics);
            assertEquals("ok\n", get("http://127.0.0.1:" + port + "/healthz"));

            // The drift disappears (fixed by hand): the next run posts again, with no drift.
            ec2.modifySubnetAttribute(r -> r.subnetId(a.subnetId()).mapPublicIpOnLaunch(b -> b.value(true)));
            int seen = runs(log, name);
            waitForRuns(log, name, seen + 2);
            String after = get("http://127.0.0.1:" + port + "/metrics");
            assertTrue(after.contains("netstack_drift_items{stack=\"" + name + "\",class=\"modified\"} 0"), after);
        } finally {
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
            hook.stop(0);
        }
        String all = String.join("\n", log);
        assertTrue(p.exitValue() == 0 || p.exitValue() == 143, "clean exit on SIGTERM, got " + p.exitValue() + "\n" + all);
        assertTrue(all.contains("stopped"), "exit " + p.exitValue() + "\n" + all);

        List<Path> files;
        try (var s = Files.list(reports)) {
            files = s.sorted().toList();
        }
        long runs = runs(log, name);
        assertEquals(runs, files.size(), "one report per run\n" + all);
        assertTrue(files.size() >= 4, "several runs at 2 s intervals: " + files.size() + "\n" + all);
        JsonNode first = Json.MAPPER.readTree(files.get(0).toFile());
        assertEquals(name, first.get("stack").asText());
        assertEquals("modified", first.get("drift").get(0).get("class").asText());
        assertEquals("mapPublicIp", first.get("drift").get(0).get("path").asText());

        assertEquals(2, posts.size(), "one post when drift appeared, one when it disappeared: " + posts);
        assertEquals(1, Json.MAPPER.readTree(posts.get(0)).get("drift").size());
        assertEquals(0, Json.MAPPER.readTree(posts.get(1)).get("drift").size());

        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
    }

    private static int waitForPort(List<String> log) throws InterruptedException {
        Pattern p = Pattern.compile("serving /healthz and /metrics on 127\\.0\\.0\\.1:(\\d+)");
        for (int i = 0; i < 300; i++) {
            synchronized (log) {
                for (String l : log) {
                    Matcher m = p.matcher(l);
                    if (m.find()) return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("drift did not start serving metrics: " + log);
    }

    /** The child's output file, re-read on every look (a live view of its log). */
    static final class FileLines extends java.util.AbstractList<String> {
        private final Path file;

        FileLines(Path file) {
            this.file = file;
        }

        private List<String> lines() {
            try {
                return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            } catch (java.io.IOException e) {
                return List.of();
            }
        }

        @Override
        public String get(int i) {
            return lines().get(i);
        }

        @Override
        public int size() {
            return lines().size();
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return lines().iterator();
        }

        @Override
        public java.util.stream.Stream<String> stream() {
            return lines().stream();
        }
    }

    private static int runs(List<String> log, String name) {
        synchronized (log) {
            return (int) log.stream().filter(l -> l.contains("drift " + name + ": ") && !l.contains("check failed")).count();
        }
    }

    private static void waitForRuns(List<String> log, String name, int n) throws InterruptedException {
        for (int i = 0; i < 600 && runs(log, name) < n; i++) Thread.sleep(100);
        if (runs(log, name) < n) throw new AssertionError("fewer than " + n + " runs in 60 s: " + log);
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
