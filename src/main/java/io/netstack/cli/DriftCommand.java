package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.drift.DriftItem;
import io.netstack.drift.DriftReport;
import io.netstack.drift.DriftScheduler;
import io.netstack.drift.Metrics;
import io.netstack.drift.Schedule;
import io.netstack.drift.Webhook;
import io.netstack.engine.Json;
import io.netstack.stack.StackFile;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "drift", description = {
        "Report what differs between the stacks and AWS: modified, deleted, and unmanaged (made by hand).",
        "Exit 0: no drift; 2: drift; 1: error. With --every or --cron, runs until SIGTERM/SIGINT."})
class DriftCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "STACK", description = "Stack files.")
    List<Path> files = new ArrayList<>();

    @Mixin
    VarOptions variables = new VarOptions();

    @Option(names = "--every", paramLabel = "DURATION", description = "Check on a fixed interval (e.g. 15m, 1h, 30s).")
    String every;

    @Option(names = "--cron", paramLabel = "EXPR", description = "Check on a cron schedule (5 fields, UTC), e.g. \"*/15 * * * *\".")
    String cron;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Write one JSON report per stack per run here.")
    Path reportDir;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "100", description = "Reports kept per stack in --report-dir (default 100; 0 keeps all).")
    int keep;

    @Option(names = "--webhook", paramLabel = "URL", description = "POST the JSON report here (http/https) when drift appears, changes or disappears; an alert not delivered is sent again after the next check.")
    URI webhook;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Serve /healthz and /metrics (Prometheus) here.")
    String listen;

    @Override
    public Integer call() throws Exception {
        if (every != null && cron != null) throw invalid("use --every or --cron, not both");
        // Every option of the long-running checker is checked before the first stack is read,
        // so a typo fails at start-up (exit 3) rather than at the first run, or silently.
        Listen at = listen == null ? null : Listen.parse(listen, this::invalid);
        if (keep < 0) throw invalid("--keep takes 0 (keep every report) or more, got " + keep);
        if (webhook != null) {
            try {
                Webhook.check(webhook);
            } catch (IllegalArgumentException e) {
                throw invalid("--webhook: " + e.getMessage());
            }
        }
        if (reportDir != null && (every != null || cron != null)) {
            try {
                DriftScheduler.prepareReportDir(reportDir);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        try (Netstack ns = netstack()) {
            List<StackFile> stacks = new ArrayList<>();
            List<Path> all;
            try {
                all = MultiRun.files(files.get(0), files.subList(1, files.size()));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            Map<String, String> values = variables.values();
            for (Path f : all) stacks.add(loadAndValidate(ns, StackArgs.of(f, VarOptions.declared(f, values))));
            // ${stack:other/id} to another stack of this run resolves in that stack's account and region.
            java.util.Map<String, io.netstack.spi.TypeRegistry> registries = new LinkedHashMap<>();
            for (StackFile s : stacks) registries.put(s.name(), ns.provider(s));
            others = stacks.size() > 1 ? new io.netstack.engine.Planner.CommandStacks(registries, java.util.Set.of()) : io.netstack.engine.Planner.CommandStacks.NONE;
            for (StackFile s : stacks) if (s.account() != null) ns.identity(s);
            if (every == null && cron == null) return once(ns, stacks);
            Schedule schedule;
            try {
                schedule = every != null ? Schedule.every(Schedule.parseDuration(every)) : Schedule.cron(cron);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
            return scheduled(ns, stacks, schedule, at);
        }
    }

    private io.netstack.engine.Planner.CommandStacks others = io.netstack.engine.Planner.CommandStacks.NONE;

    private int once(Netstack ns, List<StackFile> stacks) throws Exception {
        boolean drift = false;
        List<DriftReport> reports = new ArrayList<>();
        for (StackFile s : stacks) {
            DriftReport r = ns.drift(s, others);
            reports.add(r);
            drift |= r.hasDrift();
        }
        if (global.json) {
            if (reports.size() == 1) console.out().println(Json.MAPPER.writeValueAsString(reports.get(0).toJson()));
            else {
                var arr = Json.MAPPER.createArrayNode();
                reports.forEach(r -> arr.add(r.toJson()));
                console.out().println(Json.MAPPER.writeValueAsString(arr));
            }
        } else {
            reports.forEach(r -> text(r, console.out()));
        }
        return drift ? ExitCodes.CHANGES : ExitCodes.OK;
    }

    static void text(DriftReport r, PrintStream out) {
        if (!r.hasDrift()) {
            out.println("No drift: stack " + r.stack() + " (" + r.region() + ") matches its file (checked " + r.checkedAt() + ").");
            return;
        }
        out.println("Drift in stack " + r.stack() + " (" + r.region() + "), checked " + r.checkedAt() + ":");
        Map<String, List<DriftItem>> byResource = new LinkedHashMap<>();
        for (DriftItem d : r.drift()) {
            String key = d.id() != null ? d.id() + " (" + d.type() + ")" + (d.awsId() == null ? "" : " " + d.awsId()) : "(not netstack's) " + d.type() + " " + d.awsId();
            byResource.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
        }
        byResource.forEach((k, items) -> {
            out.println("  " + k);
            for (DriftItem d : items) out.println("      " + line(d));
        });
        out.println(r.count(DriftItem.DriftClass.MODIFIED) + " modified, " + r.count(DriftItem.DriftClass.DELETED) + " deleted, "
                + r.count(DriftItem.DriftClass.UNMANAGED) + " unmanaged.");
    }

    private static String line(DriftItem d) {
        return switch (d.driftClass()) {
            case DELETED -> "deleted    the resource is gone (apply recreates it)";
            case MODIFIED -> d.path() == null ? "modified   " + Json.display(d.actual())
                    : d.actual() == null ? "modified   " + d.path() + ": missing " + Json.display(d.expected()) + " (apply restores it)"
                    : "modified   " + d.path() + ": expected " + Json.display(d.expected()) + ", actual " + Json.display(d.actual());
            case UNMANAGED -> d.id() == null ? "unmanaged  " + Json.display(d.actual()) + " (netstack never changes it)"
                    : "unmanaged  " + d.path() + ": " + Json.display(d.actual()) + " (added outside netstack; apply removes it)";
        };
    }

    /** --listen HOST:PORT ([::1]:9090 for IPv6). */
    record Listen(String host, int port) {
        static Listen parse(String s, java.util.function.Function<String, RuntimeException> invalid) {
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? "" : s.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            String port = colon < 0 ? "" : s.substring(colon + 1);
            if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw invalid.apply("--listen takes HOST:PORT with a port from 0 to 65535 (e.g. 127.0.0.1:9090), got \"" + s + "\"");
            }
            return new Listen(host, Integer.parseInt(port));
        }
    }

    private int scheduled(Netstack ns, List<StackFile> stacks, Schedule schedule, Listen at) throws Exception {
        PrintStream log = console.err();
        List<DriftScheduler.Target> targets = new ArrayList<>();
        for (StackFile s : stacks) targets.add(new DriftScheduler.Target(s.name(), () -> ns.drift(s, others)));
        try (Metrics metrics = new Metrics(); Webhook hook = webhook == null ? null : new Webhook(webhook, m -> log.println(Instant.now() + " " + m), 1.0)) {
            if (at != null) {
                int port;
                try {
                    port = metrics.serve(at.host(), at.port());
                } catch (java.io.IOException | RuntimeException e) {
                    throw invalid("--listen " + listen + ": cannot listen there (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
                }
                log.println(Instant.now() + " serving /healthz and /metrics on " + at.host() + ":" + port);
            }
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(1);
            Thread hookThread = new Thread(() -> {
                stop.set(true);
                log.println(Instant.now() + " stopping: finishing the current check");
                try {
                    done.await(ApplyRunner.SHUTDOWN_GRACE_MINUTES, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                log.println(Instant.now() + " stopped");
                log.flush();
            }, "netstack-drift-shutdown");
            Runtime.getRuntime().addShutdownHook(hookThread);
            log.println(Instant.now() + " checking " + stacks.size() + " stack(s) " + schedule.description() + (reportDir == null ? "" : ", reports in " + reportDir));
            try {
                new DriftScheduler(targets, schedule, reportDir, keep, hook, metrics, m -> log.println(Instant.now() + " " + m), Clock.systemUTC()).run(stop);
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hookThread);
                } catch (IllegalStateException ignored) {
                    // the JVM is shutting down: the hook is running
                }
            }
            if (!stop.get()) log.println(Instant.now() + " stopped");
            return ExitCodes.OK;
        }
    }
}
