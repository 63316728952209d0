package io.netstack.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** netstack's own retries on a virtual clock: what is retried, the jittered capped delays, the named timeout. */
class RetryTest {
    /** A clock that only moves when slept on. */
    static final class VirtualTime implements Sleeper {
        long now;
        final List<Duration> sleeps = new ArrayList<>();

        @Override public void sleep(Duration d) {
            sleeps.add(d);
            now += d.toNanos();
        }

        @Override public long nanoTime() {
            return now;
        }
    }

    final VirtualTime time = new VirtualTime();
    final List<String> reported = new ArrayList<>();
    final Retry retry = new Retry(time, new Progress() {
        @Override public void waiting(String r, String w, String s, Duration e) {}

        @Override public void retrying(String r, String a, String reason, int attempt, Duration d) {
            reported.add(r + " " + a + " " + reason + " #" + attempt);
        }
    }, 1.0);

    static AwsFailure failure(ErrorCategory c, String code) {
        return new AwsFailure(c, "sub", "CreateSubnet", code, "req-1", "boom", null);
    }

    @Test
    void notFoundAfterCreateIsRetriedWhenAskedUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String r = retry.retrying("sub", "CreateSubnet", Set.of(ErrorCategory.NOT_FOUND), Duration.ofMinutes(5), () -> {
            if (calls.incrementAndGet() < 4) throw failure(ErrorCategory.NOT_FOUND, "InvalidVpcID.NotFound");
            return "subnet-1";
        });
        assertEquals("subnet-1", r);
        assertEquals(3, time.sleeps.size());
        assertEquals(List.of("sub CreateSubnet InvalidVpcID.NotFound #1", "sub CreateSubnet InvalidVpcID.NotFound #2",
                "sub CreateSubnet InvalidVpcID.NotFound #3"), reported);
    }

    @Test
    void delaysAreEqualJitterOverACappedExponential() {
        for (int run = 0; run < 20; run++) {
            time.sleeps.clear();
            AtomicInteger calls = new AtomicInteger();
            retry.retrying("vpc", "DeleteVpc", Set.of(ErrorCategory.DEPENDENCY_VIOLATION), Duration.ofHours(1), () -> {
                if (calls.incrementAndGet() <= 8) throw failure(ErrorCategory.DEPENDENCY_VIOLATION, "DependencyViolation");
                return null;
            });
            for (int i = 0; i < time.sleeps.size(); i++) {
                long cap = Math.min(Retry.MAX_DELAY.toMillis(), Retry.BASE_DELAY.toMillis() << i);
                long ms = time.sleeps.get(i).toMillis();
                assertTrue(ms >= cap / 2 && ms <= cap, "delay " + (i + 1) + " = " + ms + " ms, expected within [" + cap / 2 + ", " + cap + "]");
            }
        }
    }

    @Test
    void dependencyViolationGivesUpAfterItsNamedTimeoutNamingTheCall() {
        AwsFailure f = assertThrows(AwsFailure.class, () -> retry.retrying("vpc", "DeleteVpc", Set.of(ErrorCategory.DEPENDENCY_VIOLATION),
                Duration.ofMinutes(10), () -> {
                    throw failure(ErrorCategory.DEPENDENCY_VIOLATION, "DependencyViolation");
                }));
        assertEquals(ErrorCategory.TIMEOUT, f.category());
        assertEquals("DependencyViolation", f.code());
        assertEquals("req-1", f.requestId());
        assertTrue(f.getMessage().startsWith("still failing after 10m of retries"), f.getMessage());
        assertEquals(Duration.ofMinutes(10).toNanos(), time.now, "slept exactly up to the timeout, never past it");
        assertTrue(time.sleeps.stream().allMatch(d -> d.compareTo(Retry.MAX_DELAY) <= 0));
    }

    @Test
    void categoriesNotAskedForFailAtOnceButThrottlingAndTransientAlwaysRetry() {
        AtomicInteger calls = new AtomicInteger();
        AwsFailure f = assertThrows(AwsFailure.class, () -> retry.retrying("sub", "CreateSubnet", Set.of(ErrorCategory.DEPENDENCY_VIOLATION),
                Duration.ofMinutes(5), () -> {
                    calls.incrementAndGet();
                    throw failure(ErrorCategory.NOT_FOUND, "InvalidVpcID.NotFound");
                }));
        assertEquals(ErrorCategory.NOT_FOUND, f.category());
        assertEquals(1, calls.get(), "a real NotFound on a call that did not ask for it fails fast");
        for (ErrorCategory c : List.of(ErrorCategory.CONFLICT, ErrorCategory.INVALID_REQUEST, ErrorCategory.ACCESS_DENIED)) {
            calls.set(0);
            assertThrows(AwsFailure.class, () -> retry.retrying("sub", "CreateSubnet", Set.of(ErrorCategory.NOT_FOUND), Duration.ofMinutes(5), () -> {
                calls.incrementAndGet();
                throw failure(c, "X");
            }));
            assertEquals(1, calls.get(), c + " fails fast");
        }
        calls.set(0);
        assertEquals("ok", retry.retrying("sub", "CreateSubnet", Set.of(), Duration.ofMinutes(5), () -> {
            int n = calls.incrementAndGet();
            if (n == 1) throw failure(ErrorCategory.THROTTLED, "RequestLimitExceeded");
            if (n == 2) throw failure(ErrorCategory.TRANSIENT, "InternalError");
            return "ok";
        }), "what the SDK's retries gave up on is retried here too");
    }
}
