package io.netstack.provider.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.Sleeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The client-side rate limiter on the real SDK request path: an EC2 client against a loopback
 * server that answers {@code DeleteKeyPair} (a mutating action, bucket 50 / 5 per s) and
 * {@code DescribeKeyPairs} (non-mutating, 100 / 20), throttling on demand. Time is a fake clock that
 * moves only when the limiter sleeps, so waits are exact.
 */
class RateLimiterTest {
    HttpServer server;
    final AtomicInteger throttleNext = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final FakeClock clock = new FakeClock();

    static final class FakeClock implements Sleeper {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void sleep(Duration d) {
            sleeps.add(d);
            now += d.toNanos();
        }

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        double sleptSeconds() {
            return sleeps.stream().mapToLong(Duration::toNanos).sum() / 1e9;
        }
    }

    @BeforeEach
    void start() throws IOException {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            requests.incrementAndGet();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String action = body.replaceAll("(?s).*Action=([A-Za-z]+).*", "$1");
            int status = 200;
            String xml;
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
                xml = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>";
            } else if (action.equals("DescribeKeyPairs")) {
                xml = "<DescribeKeyPairsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><keySet/></DescribeKeyPairsResponse>";
            } else {
                xml = "<DeleteKeyPairResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><return>true</return></DeleteKeyPairResponse>";
            }
            byte[] out = xml.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    AwsSession session(RateLimits limits) {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new AwsSession(new AwsSettings("eu-west-1", endpoint, null, 1, List.of(), limits), clock);
    }

    @Test
    void aBurstBeyondTheBucketLeavesAtTheRefillRate() {
        try (AwsSession aws = session(RateLimits.awsDefaults())) {
            for (int i = 0; i < 40; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(0, clock.sleeps.size(), "the first 40 mutating calls are 80% of the bucket's burst (the rest covers the lag to AWS)");
            for (int i = 0; i < 10; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(10, clock.sleeps.size());
            assertEquals(2.0, clock.sleptSeconds(), 0.01, "10 calls beyond the burst at 5 per second");
            assertEquals(50, requests.get());
            assertEquals(0, aws.pressure().throttles());
        }
    }

    @Test
    void readsHaveTheirOwnLargerBucket() {
        try (AwsSession aws = session(RateLimits.awsDefaults())) {
            for (int i = 0; i < 40; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            for (int i = 0; i < 80; i++) aws.ec2().describeKeyPairs();
            assertEquals(0, clock.sleeps.size(), "a spent mutating bucket does not slow reads");
            for (int i = 0; i < 20; i++) aws.ec2().describeKeyPairs();
            assertEquals(1.0, clock.sleptSeconds(), 0.01, "20 reads beyond 80 at 20 per second");
        }
    }

    @Test
    void aThrottleEmptiesTheBucketAndHalvesItsRateUntilSuccessesBringItBack() {
        try (AwsSession aws = session(RateLimits.awsDefaults())) {
            RateLimiter limiter = (RateLimiter) aws.pressure();
            aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            throttleNext.set(1);
            assertThrows(Ec2Exception.class, () -> aws.ec2().deleteKeyPair(b -> b.keyName("k")), "one attempt configured: the throttle surfaces");
            assertEquals(1, aws.pressure().throttles());
            assertEquals(2.5, limiter.rate("eu-west-1", "DeleteKeyPair"), 1e-9);
            aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(1, clock.sleeps.size(), "someone else spends the bucket: the next call waits");
            assertEquals(0.4, clock.sleptSeconds(), 0.01, "one token at the halved rate");
            assertEquals(2.75, limiter.rate("eu-west-1", "DeleteKeyPair"), 1e-9, "each success gives back 5% of the documented rate");
            assertEquals(20.0, limiter.rate("eu-west-1", "DescribeKeyPairs"), 1e-9, "other actions' buckets are untouched");
            for (int i = 0; i < 20; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(5.0, limiter.rate("eu-west-1", "DeleteKeyPair"), 1e-9, "back to the documented rate, never above it");
        }
    }

    @Test
    void sdkRetriesAreChargedToTheBucketWithoutWaiting() {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (AwsSession aws = new AwsSession(new AwsSettings("eu-west-1", endpoint, null, 3, List.of(), RateLimits.awsDefaults()), clock)) {
            for (int i = 0; i < 39; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            throttleNext.set(1);
            aws.ec2().deleteKeyPair(b -> b.keyName("k")); // 40th call: throttled, the SDK retries once (its own backoff)
            assertEquals(41, requests.get());
            assertEquals(0, clock.sleeps.size(), "the retry does not wait in the limiter");
            aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(1, clock.sleeps.size(), "the retry spent a token: the bucket is empty and the next call waits");
        }
    }

    @Test
    void offMeansNoPacing() {
        try (AwsSession aws = session(RateLimits.OFF)) {
            for (int i = 0; i < 80; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(0, clock.sleeps.size());
        }
    }

    @Test
    void aShareScalesEveryBucket() {
        try (AwsSession aws = session(RateLimits.parse("20%"))) {
            for (int i = 0; i < 8; i++) aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(0, clock.sleeps.size(), "80% of 20% of a 50-token burst");
            aws.ec2().deleteKeyPair(b -> b.keyName("k"));
            assertEquals(1.0, clock.sleptSeconds(), 0.01, "20% of 5 per second");
        }
    }

    @Test
    void parse() {
        assertTrue(RateLimits.parse("aws").enabled());
        assertTrue(!RateLimits.parse("off").enabled());
        assertEquals(2.5, RateLimits.parse("0.5").mutating().perSecond(), 1e-9);
        assertEquals(0.15, RateLimits.parse("50%").bucketFor("CreateVpcEndpoint").perSecond(), 1e-9);
        assertEquals(1, RateLimits.parse("10%").bucketFor("CreateVpcEndpoint").burst(), 1e-9, "never below one token");
        assertEquals(RateLimits.NAT_GATEWAY, RateLimits.awsDefaults().bucketFor("CreateNatGateway"));
        assertEquals(RateLimits.NON_MUTATING, RateLimits.awsDefaults().bucketFor("DescribeSubnets"));
        assertEquals(RateLimits.MUTATING, RateLimits.awsDefaults().bucketFor("CreateSubnet"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimits.parse("fast"));
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateLimits.parse("150%"));
        assertThrows(IllegalArgumentException.class, () -> RateLimits.parse("0"));
    }

}
