package io.netstack.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts SDK calls through the real request path, per API action: {@link #calls()} are API calls
 * as the code makes them (executions), {@link #attempts()} what reached the wire (retries
 * included: what AWS's throttling buckets see), {@link #throttled()} attempts answered with HTTP
 * 503 or 429 (EC2's RequestLimitExceeded is a 503).
 */
public final class CallCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> throttled = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        bump(calls, attrs);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
        bump(attempts, attrs);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attrs) {
        int status = context.httpResponse().statusCode();
        if (status == 503 || status == 429) bump(throttled, attrs);
    }

    private static void bump(Map<String, LongAdder> m, ExecutionAttributes attrs) {
        String op = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        m.computeIfAbsent(op == null ? "?" : op, k -> new LongAdder()).increment();
    }

    public Map<String, Long> calls() {
        return snapshot(calls);
    }

    public Map<String, Long> attempts() {
        return snapshot(attempts);
    }

    public Map<String, Long> throttled() {
        return snapshot(throttled);
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
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
