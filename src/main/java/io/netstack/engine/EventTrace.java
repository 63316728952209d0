package io.netstack.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The machine-readable event trace of a run ({@code --trace FILE}): one JSON object per line,
 * {@code {"t": "<instant>", "event": "start|end|fail|wait|retry", "id", "phase", …}}. Timing
 * reports and benchmarks are computed from it.
 */
public final class EventTrace implements ExecutionListener, AutoCloseable {
    private final BufferedWriter out;

    public EventTrace(Path file) {
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file, e);
        }
    }

    private synchronized void write(ObjectNode o) {
        try {
            out.write(o.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode event(String kind) {
        return Json.object().put("t", Instant.now().toString()).put("event", kind);
    }

    private static ObjectNode step(String kind, Step s) {
        return event(kind).put("id", s.change().id()).put("type", s.change().type()).put("phase", s.phase().name().toLowerCase());
    }

    @Override
    public void started(Step s) {
        write(step("start", s));
    }

    @Override
    public void finished(Step s, Duration took) {
        write(step("end", s).put("ms", took.toMillis()));
    }

    @Override
    public void failed(Step s, Duration took, Throwable error) {
        write(step("fail", s).put("ms", took.toMillis()).put("error", error instanceof io.netstack.spi.AwsFailure f ? f.describe() : String.valueOf(error.getMessage())));
    }

    @Override
    public void waiting(String resource, String what, String state, Duration elapsed) {
        write(event("wait").put("id", resource).put("what", what).put("state", state).put("ms", elapsed.toMillis()));
    }

    @Override
    public void retrying(String resource, String action, String reason, int attempt, Duration delay) {
        write(event("retry").put("id", resource).put("action", action).put("reason", reason).put("attempt", attempt).put("delayMs", delay.toMillis()));
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both listeners get every event. */
    public static ExecutionListener both(ExecutionListener a, ExecutionListener b) {
        return new ExecutionListener() {
            @Override public void started(Step s) { a.started(s); b.started(s); }
            @Override public void finished(Step s, Duration d) { a.finished(s, d); b.finished(s, d); }
            @Override public void failed(Step s, Duration d, Throwable e) { a.failed(s, d, e); b.failed(s, d, e); }
            @Override public void waiting(String r, String w, String st, Duration e) { a.waiting(r, w, st, e); b.waiting(r, w, st, e); }
            @Override public void retrying(String r, String ac, String re, int at, Duration d) { a.retrying(r, ac, re, at, d); b.retrying(r, ac, re, at, d); }
        };
    }
}
