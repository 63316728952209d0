package io.netstack.provider.ratelimit;

import io.netstack.spi.Pressure;
import io.netstack.spi.Sleeper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;

/**
 * Client-side pacing to EC2's token buckets, so that netstack stays inside them instead of
 * bouncing off them: one bucket per region and API action, sized by {@link RateLimits}. A call
 * takes a token before it is sent and waits when there is none; waiting callers queue (a
 * reservation puts the bucket into debt, the next caller waits for it to be repaid), so a burst of
 * 200 subnets leaves at AWS's refill rate instead of being throttled and retried at random.
 *
 * <p>The bucket is shared with every other client of the account, so a throttle from AWS means
 * someone else spends it too: the action's bucket is emptied and its rate halved (at most once per
 * {@link #BACKOFF_INTERVAL}, not below {@link #MIN_RATE_SHARE} of the documented rate); each
 * success gives back {@link #RECOVERY_SHARE} of it. Throttles of any service are counted for the
 * executor's adaptive parallelism ({@link Pressure}).
 *
 * <p>The wait happens in {@code beforeExecution}, once per call and outside the SDK's retry loop,
 * so it neither counts against the attempt timeout nor ages a SigV4 signature (AWS rejects
 * signatures older than 5 minutes, and 20 queued endpoint creates wait ~60 s). The SDK's own
 * retries take a token without waiting: they are paced by its backoff, but AWS charges them.
 */
public final class RateLimiter implements ExecutionInterceptor, Pressure {
    static final double BACKOFF_FACTOR = 0.5;
    static final double MIN_RATE_SHARE = 0.1;
    static final double RECOVERY_SHARE = 0.05;
    static final Duration BACKOFF_INTERVAL = Duration.ofSeconds(1);
    /**
     * Share of a bucket's burst netstack spends: the rest covers the lag between pacing a call and
     * AWS counting it. Calls paced at one moment can reach AWS together later (the SDK's first calls
     * in a JVM are slow, ~1–2 s), and AWS's bucket refills only from its own first count; 20 % of a
     * 50-token bucket is 2 s of refill. RateLimitIT shows the lag is real: with the whole burst,
     * 8 of 80 CreateSubnet calls were throttled.
     */
    static final double BURST_SHARE = 0.8;

    /** Set on a call whose first attempt has been paid for in beforeExecution. */
    private static final ExecutionAttribute<Boolean> PAID = new ExecutionAttribute<>("netstack.rateLimitPaid");

    private final RateLimits limits;
    private final Sleeper sleeper;
    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();
    private final AtomicLong throttles = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();

    public RateLimiter(RateLimits limits, Sleeper sleeper) {
        this.limits = limits;
        this.sleeper = sleeper;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        Pacer p = pacer(attrs);
        if (p == null) return;
        long wait = p.reserve(sleeper.nanoTime());
        attrs.putAttribute(PAID, Boolean.TRUE);
        if (wait <= 0) return;
        waiting.incrementAndGet();
        try {
            sleeper.sleep(Duration.ofMillis((wait + 999_999) / 1_000_000)); // never wake before the token is due
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.create("interrupted while waiting for the EC2 rate limit of " + attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
        if (Boolean.TRUE.equals(attrs.getAttribute(PAID))) {
            attrs.putAttribute(PAID, Boolean.FALSE);
            return;
        }
        Pacer p = pacer(attrs);
        if (p != null) p.take(sleeper.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
        int status = context.httpResponse().statusCode();
        // EC2 answers RequestLimitExceeded with 503; other services throttle with 429 or 503.
        boolean throttled = status == 503 || status == 429;
        if (throttled) throttles.incrementAndGet();
        Pacer p = pacer(attrs);
        if (p == null) return;
        if (throttled) p.throttled(sleeper.nanoTime());
        else if (status < 500) p.succeeded(sleeper.nanoTime());
    }

    private Pacer pacer(ExecutionAttributes attrs) {
        if (!limits.enabled()) return null;
        String service = attrs.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if (service == null || !service.equalsIgnoreCase("ec2")) return null;
        String action = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (action == null) return null;
        Region region = attrs.getAttribute(AwsExecutionAttribute.AWS_REGION);
        String key = (region == null ? "" : region.id()) + "/" + action;
        return pacers.computeIfAbsent(key, k -> new Pacer(limits.bucketFor(action), sleeper.nanoTime()));
    }

    @Override
    public long throttles() {
        return throttles.get();
    }

    @Override
    public int waitingForRate() {
        return waiting.get();
    }

    /** Current rate of an action's bucket in a region (tests, diagnostics). */
    public double rate(String region, String action) {
        Pacer p = pacers.get(region + "/" + action);
        return p == null ? limits.bucketFor(action).perSecond() : p.rate();
    }

    /** One action's bucket as netstack believes it to be; tokens below zero are queued reservations. */
    static final class Pacer {
        private final RateLimits.Bucket spec;
        private final double burst;
        private double rate;
        private double tokens;
        private long last;
        private long lastBackoff = Long.MIN_VALUE;

        Pacer(RateLimits.Bucket spec, long now) {
            this.spec = spec;
            this.rate = spec.perSecond();
            this.burst = Math.max(1, Math.floor(spec.burst() * BURST_SHARE));
            this.tokens = burst;
            this.last = now;
        }

        /** Takes a token, in debt if need be; returns how long (ns) the caller waits for it. */
        synchronized long reserve(long now) {
            refill(now);
            tokens -= 1;
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / rate * 1e9);
        }

        synchronized void take(long now) {
            refill(now);
            tokens -= 1;
        }

        synchronized void throttled(long now) {
            refill(now);
            tokens = Math.min(tokens, 0);
            if (lastBackoff == Long.MIN_VALUE || now - lastBackoff >= BACKOFF_INTERVAL.toNanos()) {
                rate = Math.max(spec.perSecond() * MIN_RATE_SHARE, rate * BACKOFF_FACTOR);
                lastBackoff = now;
            }
        }

        synchronized void succeeded(long now) {
            refill(now);
            rate = Math.min(spec.perSecond(), rate + spec.perSecond() * RECOVERY_SHARE);
        }

        synchronized double rate() {
            return rate;
        }

        private void refill(long now) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
                last = now;
            }
        }
    }
}
