package io.netstack.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts SDK calls through the real request path, per API action: {@link #calls()} are API calls
 * as the code makes them (executions), {@link #attempts()} what reached the wire (retries
 * included: what AWS's throttling buckets see), {@link #throttled()} attempts answered with HTTP
 * 503 or 429 (EC2's RequestLimitExceeded is a 503), {@link #pages()} calls that carry a
 * {@code NextToken} (continuation pages of a paginated read: the "+ pages" of the issue's
 * "calls ≤ resource types + pages"), {@link #seconds()} time on the wire per action (request
 * sent to response received, summed over attempts: where a plan's wall time goes).
 */
public final class CallCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> throttled = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> pages = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sentNanos");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        bump(calls, attrs);
        // A paginator sends each page as its own execution; pages after the first carry the token.
        if (context.request().getValueForField("NextToken", String.class).filter(t -> !t.isEmpty()).isPresent()) bump(pages, attrs);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
        bump(attempts, attrs);
        attrs.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
        Long sent = attrs.getAttribute(SENT);
        if (sent != null) nanos.computeIfAbsent(operation(attrs), k -> new LongAdder()).add(System.nanoTime() - sent);
        int status = context.httpResponse().statusCode();
        if (status == 503 || status == 429) bump(throttled, attrs);
    }

    private static void bump(Map<String, LongAdder> m, ExecutionAttributes attrs) {
        m.computeIfAbsent(operation(attrs), k -> new LongAdder()).increment();
    }

    private static String operation(ExecutionAttributes attrs) {
        String op = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return op == null ? "?" : op;
    }

    /** Seconds on the wire per action. */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new TreeMap<>();
        nanos.forEach((k, v) -> out.put(k, v.sum() / 1e9));
        return out;
    }

    public Map<String, Long> calls() {
        return snapshot(calls);
    }

    public Map<String, Long> attempts() {
        return snapshot(attempts);
    }

    /** {@link #attempts()} as ints, for the call-count ITs' assertions. */
    public Map<String, Integer> attemptCounts() {
        Map<String, Integer> out = new TreeMap<>();
        attempts().forEach((k, v) -> out.put(k, Math.toIntExact(v)));
        return out;
    }

    public Map<String, Long> throttled() {
        return snapshot(throttled);
    }

    public Map<String, Long> pages() {
        return snapshot(pages);
    }

    public long totalCalls() {
        return calls().values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalAttempts() {
        return attempts().values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalThrottled() {
        return throttled().values().stream().mapToLong(Long::longValue).sum();
    }

    public void reset() {
        calls.clear();
        attempts.clear();
        throttled.clear();
        pages.clear();
        nanos.clear();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
