package io.netstack.drift;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * POSTs drift reports to a webhook on its own thread, so a slow or dead receiver never delays
 * the schedule. A failed POST (connection error or non-2xx) is retried {@link #ATTEMPTS} times
 * with doubling delays; {@link #post} tells whether the report got through, so the scheduler can
 * send the alert again on its next run until one does.
 *
 * <p>Log lines name the receiver by {@link #redact redacted} URL only: webhook URLs often carry
 * their credentials (user:password@, tokens in the path or query, as Slack's and Teams' do).
 */
public final class Webhook implements AutoCloseable {
    static final int ATTEMPTS = 4;
    static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
    /** A receiver that does not answer within this is treated as failed for that attempt. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final String shown;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netstack-webhook");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<String> log;
    private final double delayScale;

    public Webhook(URI url, Consumer<String> log, double delayScale) {
        this.url = check(url);
        this.shown = redact(url);
        this.log = log;
        this.delayScale = delayScale;
    }

    /**
     * The URL if netstack can POST to it: http or https with a host. Throws with a message for the
     * user otherwise (Java's HTTP client refuses other schemes, which used to drop every alert).
     */
    public static URI check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the webhook must be an http:// or https:// URL, got " + (scheme.isEmpty() ? "no scheme" : scheme + "://"));
        }
        if (url.getHost() == null || url.getHost().isEmpty()) throw new IllegalArgumentException("the webhook must be an http:// or https:// URL with a host, got no host");
        return url;
    }

    /** scheme://host[:port] and "/…" for any path or query: enough to tell receivers apart, no secret. */
    public static String redact(URI url) {
        String s = url.getScheme() + "://" + (url.getHost() == null ? "?" : url.getHost()) + (url.getPort() < 0 ? "" : ":" + url.getPort());
        boolean more = (url.getRawPath() != null && !url.getRawPath().isEmpty() && !url.getRawPath().equals("/")) || url.getRawQuery() != null;
        return s + (more ? "/…" : "/");
    }

    /** Queues a POST; the future is true once the receiver took it, false when every attempt failed. */
    public CompletableFuture<Boolean> post(String json) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        sender.submit(() -> {
            boolean ok = false;
            try {
                ok = send(json);
            } catch (RuntimeException e) {
                log.accept("webhook " + shown + " failed: " + scrub(e.toString()));
            } finally {
                done.complete(ok);
            }
        });
        return done;
    }

    private boolean send(String json) {
        Duration delay = FIRST_RETRY_DELAY;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpRequest req = HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json").header("User-Agent", "netstack-drift")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) return true;
                log.accept("webhook " + shown + " answered HTTP " + status + " (attempt " + attempt + "/" + ATTEMPTS + ")");
            } catch (java.io.IOException e) {
                log.accept("webhook " + shown + " failed: " + scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + " (attempt " + attempt + "/" + ATTEMPTS + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (attempt == ATTEMPTS) break;
            try {
                TimeUnit.MILLISECONDS.sleep((long) (delay.toMillis() * delayScale));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            delay = delay.multipliedBy(2);
        }
        log.accept("webhook " + shown + ": not delivered after " + ATTEMPTS + " attempts; the alert is sent again after the next check");
        return false;
    }

    /** An exception's text without the full URL, should the HTTP client have put it there. */
    private String scrub(String message) {
        return message == null ? "" : message.replace(url.toString(), shown);
    }

    /** Waits until every post queued so far has finished (tests). */
    void awaitIdle(Duration max) throws Exception {
        sender.submit(() -> { }).get(max.toMillis(), TimeUnit.MILLISECONDS);
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
