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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
    private final Map<String, String> lastSignature = new HashMap<>();

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

    private void notifyIfChanged(String name, DriftReport r) {
        if (webhook == null) return;
        String sig = r.hasDrift() ? Json.canonical(r.toJson().get("drift")) : "";
        String prev = lastSignature.put(name, sig);
        boolean changed = prev == null ? r.hasDrift() : !prev.equals(sig);
        if (changed) webhook.post(r.toJson().toString());
    }

    private Path write(String name, DriftReport r) throws IOException {
        if (reportDir == null) return null;
        Files.createDirectories(reportDir);
        Path file = reportDir.resolve(name + "-" + FILE_TIME.format(r.checkedAt()) + ".json");
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r.toJson()) + "\n");
        if (keep > 0) {
            try (Stream<Path> s = Files.list(reportDir)) {
                List<Path> mine = s.filter(p -> p.getFileName().toString().startsWith(name + "-") && p.toString().endsWith(".json"))
                        .sorted().toList();
                for (int i = 0; i < mine.size() - keep; i++) Files.deleteIfExists(mine.get(i));
            }
        }
        return file;
    }
}
