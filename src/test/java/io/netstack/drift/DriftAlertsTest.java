package io.netstack.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 items 7 and 8: alerts are not lost, logs carry no webhook secret, --keep is per stack. */
class DriftAlertsTest {
    HttpServer receiver;
    final AtomicInteger posts = new AtomicInteger();
    /** The receiver answers 500 to this many posts, then 204. */
    volatile int failFirst;
    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicInteger clock = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(posts.incrementAndGet() <= failFirst ? 500 : 204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    DriftReport report(String stack, boolean drift) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(clock.incrementAndGet());
        List<DriftItem> items = drift ? List.of(new DriftItem("web", "sg-1", "security-group", DriftItem.DriftClass.DELETED, null, null, null)) : List.of();
        return new DriftReport(stack, "eu-west-1", at, items);
    }

    @Test
    void anAlertThatCouldNotBeDeliveredIsSentAgainOnTheNextRunUntilDelivered() throws Exception {
        failFirst = Webhook.ATTEMPTS; // the first run's post fails every attempt
        try (Webhook hook = new Webhook(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"), log::add, 0)) {
            DriftScheduler s = new DriftScheduler(List.of(new DriftScheduler.Target("web", () -> report("web", true))),
                    Schedule.every(Duration.ofMinutes(1)), null, 0, hook, new Metrics(), log::add, Clock.systemUTC());
            s.runOnce();
            hook.awaitIdle(Duration.ofSeconds(10));
            assertEquals(Webhook.ATTEMPTS, posts.get());
            assertTrue(log.stream().anyMatch(l -> l.contains("not delivered")), log.toString());
            s.runOnce(); // same drift: sent again, and now it gets through
            hook.awaitIdle(Duration.ofSeconds(10));
            assertEquals(Webhook.ATTEMPTS + 1, posts.get());
            s.runOnce(); // same drift, already delivered: nothing
            hook.awaitIdle(Duration.ofSeconds(10));
            assertEquals(Webhook.ATTEMPTS + 1, posts.get());
        }
    }

    @Test
    void failedAttemptsLogTheWebhookWithoutItsCredentials() throws Exception {
        failFirst = 1;
        URI url = URI.create("http://alice:s3cr3t@127.0.0.1:" + receiver.getAddress().getPort() + "/services/T0K3N?sig=abcdef");
        try (Webhook hook = new Webhook(url, log::add, 0)) {
            assertTrue(hook.post("{}").get());
        }
        assertEquals(2, posts.get());
        assertFalse(log.isEmpty());
        for (String l : log) {
            assertFalse(l.contains("s3cr3t") || l.contains("alice") || l.contains("T0K3N") || l.contains("abcdef"), l);
            assertTrue(l.contains("http://127.0.0.1:" + receiver.getAddress().getPort() + "/…"), l);
        }
    }

    @Test
    void onlyHttpAndHttpsWebhooksAreAccepted() {
        for (String bad : List.of("file:///tmp/alerts", "ftp://example.com/x", "mailto:ops@example.com", "example.com/hook", "http:///nohost")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Webhook.check(URI.create(bad)), bad);
            assertTrue(e.getMessage().contains("http"), e.getMessage());
        }
        Webhook.check(URI.create("https://hooks.example.com/x"));
    }

    @Test
    void keepIsPerStackWhenStacksShareAReportDirectory(@TempDir Path dir) throws Exception {
        DriftScheduler s = new DriftScheduler(List.of(new DriftScheduler.Target("web", () -> report("web", false)),
                new DriftScheduler.Target("web-prod", () -> report("web-prod", false))),
                Schedule.every(Duration.ofMinutes(1)), dir, 2, null, new Metrics(), log::add, Clock.systemUTC());
        for (int i = 0; i < 4; i++) s.runOnce();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.stream().filter(n -> n.startsWith("web-2")).count(), names.toString());
            assertEquals(2, names.stream().filter(n -> n.startsWith("web-prod-")).count(), names.toString());
        }
    }

    @Test
    void aReportDirThatIsAFileOrUnderAFileIsRefusedAtStartUp(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("reports"), "x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DriftScheduler.prepareReportDir(file)).getMessage().contains("is a file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DriftScheduler.prepareReportDir(file.resolve("sub"))).getMessage().contains("not a writable directory"));
        DriftScheduler.prepareReportDir(dir.resolve("new/reports"));
        assertTrue(Files.isDirectory(dir.resolve("new/reports")));
        try (Stream<Path> left = Files.list(dir.resolve("new/reports"))) {
            assertEquals(0, left.count(), "the write check leaves nothing behind");
        }
    }
}
