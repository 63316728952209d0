package io.netstack.drift;

import io.netstack.engine.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs drift checks on a schedule until stopped. One thread: runs never overlap (a run that
 * takes longer than the interval delays the next). Each start gets a little jitter so many
 * checkers on one account do not hit the EC2 API in the same second. A failed run (AWS down,
 * expired credentials) is logged and counted; the schedule goes on.
 */
public final class DriftScheduler {
    /** At most this share of the interval is added as jitter ... */
    static final double JITTER_FRACTION = 0.1;
    /** ... and never more than this. */
    static final Duration MAX_JITTER = Duration.ofSeconds(30);
    /** How often a sleeping scheduler looks at the stop flag. */
    static final Duration STOP_POLL = Duration.ofMillis(100);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** One check of one stack; throws when the check could not be made. */
    public interface Check {
        DriftReport run() throws Exception;
    }

    public record Target(String name, Check check) {}

    private final List<Target> targets;
    private final Schedule schedule;
    private final Path reportDir;
    private final int keep;
    private final Webhook webhook;
    private final Metrics metrics;
    private final Consumer<String> log;
    private final Clock clock;
    /** Per stack: the drift the webhook last received, and the post under way. */
    private final Map<String, String> delivered = new ConcurrentHashMap<>();
    private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();

    public DriftScheduler(List<Target> targets, Schedule schedule, Path reportDir, int keep, Webhook webhook, Metrics metrics,
                          Consumer<String> log, Clock clock) {
        this.targets = targets;
        this.schedule = schedule;
        this.reportDir = reportDir;
        this.keep = keep;
        this.webhook = webhook;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    /** Runs now, then on schedule, until {@code stop} is set; a run in progress is finished first. */
    public void run(AtomicBoolean stop) throws InterruptedException {
        ZonedDateTime next = ZonedDateTime.now(clock);
        while (!stop.get()) {
            runOnce();
            ZonedDateTime now = ZonedDateTime.now(clock);
            next = schedule.next(next.isAfter(now) ? next : now);
            Duration wait = Duration.between(now, next).plus(jitter(Duration.between(now, schedule.next(now))));
            long until = System.nanoTime() + wait.toNanos();
            while (!stop.get() && System.nanoTime() < until) {
                io.netstack.spi.Sleeper.SYSTEM.sleep(Duration.ofMillis(Math.max(1, Math.min(STOP_POLL.toMillis(), (until - System.nanoTime()) / 1_000_000))));
            }
        }
    }

    static Duration jitter(Duration interval) {
        long max = Math.min((long) (interval.toMillis() * JITTER_FRACTION), MAX_JITTER.toMillis());
        return max <= 0 ? Duration.ZERO : Duration.ofMillis(ThreadLocalRandom.current().nextLong(max + 1));
    }

    public void runOnce() {
        for (Target t : targets) {
            long t0 = System.nanoTime();
            try {
                DriftReport r = t.check().run();
                double secs = (System.nanoTime() - t0) / 1e9;
                Path file = write(t.name(), r);
                metrics.record(t.name(), r, true, clock.millis() / 1000.0);
                log.accept(String.format(java.util.Locale.ROOT, "drift %s: %d modified, %d deleted, %d unmanaged (%.1fs)%s",
                        t.name(), r.count(DriftItem.DriftClass.MODIFIED), r.count(DriftItem.DriftClass.DELETED),
                        r.count(DriftItem.DriftClass.UNMANAGED), secs, file == null ? "" : " → " + file));
                notifyIfChanged(t.name(), r);
            } catch (Exception e) {
                metrics.record(t.name(), null, false, clock.millis() / 1000.0);
                log.accept("drift " + t.name() + ": check failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()) + "; next run on schedule");
            }
        }
    }

    /**
     * Posts the report when its drift differs from the last drift the webhook <em>received</em>
     * for this stack (at start: no drift). An alert that could not be delivered leaves that
     * unchanged, so the next run's report, with the same drift, is posted again until one gets
     * through. While a post is still under way, a report with the same drift is not queued twice.
     */
    private synchronized void notifyIfChanged(String name, DriftReport r) {
        if (webhook == null) return;
        String sig = r.hasDrift() ? Json.canonical(r.toJson().get("drift")) : "";
        Delivery pending = inFlight.get(name);
        if (pending != null && pending.done().isDone()) {
            inFlight.remove(name);
            if (pending.done().getNow(false)) delivered.put(name, pending.signature());
            pending = null;
        }
        if (pending != null && pending.signature().equals(sig)) return;
        if (sig.equals(delivered.getOrDefault(name, ""))) return;
        Delivery d = new Delivery(sig, webhook.post(r.toJson().toString()));
        inFlight.put(name, d);
        // Record a success as soon as it happens, not only at the next run.
        d.done().thenAccept(ok -> {
            if (ok) synchronized (this) {
                if (inFlight.get(name) == d) {
                    inFlight.remove(name);
                    delivered.put(name, sig);
                }
            }
        });
    }

    /** A report's drift (canonical JSON, "" for none) and whether the webhook took it. */
    private record Delivery(String signature, CompletableFuture<Boolean> done) {}

    /**
     * Makes the report directory if needed and proves it writable, so a bad --report-dir stops
     * the checker at start-up instead of failing every run. Throws with a message for the user.
     */
    public static void prepareReportDir(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException("--report-dir " + dir + " is a file, not a directory");
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".netstack-write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException("--report-dir " + dir + " is not a writable directory (" + reason(e) + ")");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private Path write(String name, DriftReport r) throws IOException {
        if (reportDir == null) return null;
        Files.createDirectories(reportDir);
        Path file = reportDir.resolve(name + "-" + FILE_TIME.format(r.checkedAt()) + ".json");
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.toJson()) + "\n");
        if (keep > 0) {
            try (Stream<Path> s = Files.list(reportDir)) {
                // Exactly <name>-<time>.json: stack "web" must not count (and delete) stack "web-prod"'s reports.
                Pattern own = Pattern.compile(Pattern.quote(name) + "-\\d{8}T\\d{6}\\.\\d{3}Z\\.json");
                List<Path> mine = s.filter(p -> own.matcher(p.getFileName().toString()).matches()).sorted().toList();
                for (int i = 0; i < mine.size() - keep; i++) Files.deleteIfExists(mine.get(i));
            }
        }
        return file;
    }
}
