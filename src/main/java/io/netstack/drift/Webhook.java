package io.netstack.drift;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * POSTs drift reports to a webhook on its own thread, so a slow or dead receiver never delays
 * the schedule. A failed POST (connection error or non-2xx) is retried {@link #ATTEMPTS} times
 * with doubling delays, then given up with a log line.
 */
public final class Webhook implements AutoCloseable {
    static final int ATTEMPTS = 4;
    static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
    /** A receiver that does not answer within this is treated as failed for that attempt. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netstack-webhook");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<String> log;
    private final double delayScale;

    public Webhook(URI url, Consumer<String> log, double delayScale) {
        this.url = url;
        this.log = log;
        this.delayScale = delayScale;
    }

    public void post(String json) {
        sender.submit(() -> send(json));
    }

    private void send(String json) {
        Duration delay = FIRST_RETRY_DELAY;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpRequest req = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json").header("User-Agent", "netstack-drift")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) return;
                log.accept("webhook " + url + " answered HTTP " + status + " (attempt " + attempt + "/" + ATTEMPTS + ")");
            } catch (java.io.IOException e) {
                log.accept("webhook " + url + " failed: " + e.getMessage() + " (attempt " + attempt + "/" + ATTEMPTS + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep((long) (delay.toMillis() * delayScale));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = delay.multipliedBy(2);
        }
        log.accept("webhook " + url + ": giving up on this report after " + ATTEMPTS + " attempts");
    }

    /** Waits briefly for queued posts (so a report made just before SIGTERM still goes out). */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
