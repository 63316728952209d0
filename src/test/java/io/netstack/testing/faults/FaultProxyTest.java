package io.netstack.testing.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netstack.provider.AwsCalls;
import io.netstack.spi.ErrorCategory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The fault proxy itself, against a tiny fake EC2 upstream (no moto needed) and a stepped clock:
 * counters, token buckets and their refill, seeded random faults, the NotFound and pending windows,
 * and error bodies the AWS SDK reads as AWS's own.
 */
class FaultProxyTest {
    static {
        FaultProxy.noDelay(); // before the fake upstream's HttpServer
    }

    private HttpServer upstream;
    private final Map<String, AtomicInteger> upstreamCalls = new ConcurrentHashMap<>();
    private final List<String[]> vpcs = new ArrayList<>(); // id
    private final List<String[]> subnets = new ArrayList<>(); // id, vpc
    private final AtomicInteger ids = new AtomicInteger(0x1000);
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Reply(int status, String body) {}

    @BeforeEach
    void fakeEc2() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", ex -> {
            Map<String, String> p = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String action = p.getOrDefault("Action", "?");
            upstreamCalls.computeIfAbsent(action, k -> new AtomicInteger()).incrementAndGet();
            String inner;
            synchronized (this) {
                switch (action) {
                    case "CreateVpc" -> {
                        String id = "vpc-" + Integer.toHexString(ids.incrementAndGet()) + "abcd0123";
                        vpcs.add(new String[] {id});
                        inner = "<vpc><vpcId>" + id + "</vpcId><state>pending</state><dhcpOptionsId>dopt-7a8b9c2d</dhcpOptionsId></vpc>";
                    }
                    case "CreateSubnet" -> {
                        String id = "subnet-" + Integer.toHexString(ids.incrementAndGet()) + "abcd0123";
                        subnets.add(new String[] {id, p.get("VpcId")});
                        inner = "<subnet><subnetId>" + id + "</subnetId><state>pending</state><vpcId>" + p.get("VpcId") + "</vpcId></subnet>";
                    }
                    case "DescribeVpcs" -> {
                        StringBuilder sb = new StringBuilder("<vpcSet>");
                        for (String[] v : vpcs) sb.append("<item><vpcId>").append(v[0]).append("</vpcId><state>available</state></item>");
                        inner = sb.append("</vpcSet>").toString();
                    }
                    case "DescribeSubnets" -> {
                        StringBuilder sb = new StringBuilder("<subnetSet>");
                        for (String[] s : subnets) {
                            sb.append("<item><subnetId>").append(s[0]).append("</subnetId><state>available</state><vpcId>").append(s[1])
                                    .append("</vpcId></item>");
                        }
                        inner = sb.append("</subnetSet>").toString();
                    }
                    default -> inner = "<return>true</return>";
                }
            }
            byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                    + "<requestId>req-1</requestId>" + inner + "</" + action + "Response>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop(0);
    }

    private URI upstreamUri() {
        return URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
    }

    private FaultProxy proxy(FaultConfig c) {
        return FaultProxy.start(upstreamUri(), c, now::get);
    }

    private Reply post(FaultProxy p, String form) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(p.endpoint().resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private static Map<String, String> form(String s) {
        Map<String, String> m = new HashMap<>();
        for (String kv : s.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String first(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        return m.find() ? m.group(1) : null;
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static boolean throttled(Reply r) {
        return r.status() == 503 && "RequestLimitExceeded".equals(first(r.body(), "Code"));
    }

    @Test
    void forwardsAndCountsCallsPerActionFromManyThreads() throws Exception {
        try (FaultProxy p = proxy(FaultConfig.none())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Reply>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String action = i % 4 == 0 ? "DescribeSubnets" : "DescribeVpcs";
                fs.add(pool.submit(() -> post(p, "Action=" + action + "&Version=2016-11-15")));
            }
            for (Future<Reply> f : fs) assertEquals(200, f.get().status());
            pool.shutdown();
            assertEquals(Map.of("DescribeSubnets", 50L, "DescribeVpcs", 150L), p.calls());
            assertEquals(150, p.calls("DescribeVpcs"));
            assertEquals(200, p.totalCalls());
            assertEquals(150, upstreamCalls.get("DescribeVpcs").get(), "every call reached the API");
            p.resetCounts();
            assertEquals(Map.of(), p.calls());
            assertEquals(0, p.calls("DescribeVpcs"));
            post(p, "Action=DescribeVpcs");
            assertEquals(1, p.calls("DescribeVpcs"));
        }
    }

    @Test
    void tokenBucketRefillsAtItsRateUpToItsSize() {
        TokenBucket b = new TokenBucket(new BucketSpec(10, 1), now::get);
        for (int i = 0; i < 10; i++) assertTrue(b.tryTake(), "burst of 10");
        assertFalse(b.tryTake());
        advance(Duration.ofMillis(999));
        assertFalse(b.tryTake(), "0.999 tokens after 999 ms at 1/s");
        advance(Duration.ofMillis(1));
        assertTrue(b.tryTake());
        assertFalse(b.tryTake());
        advance(Duration.ofHours(1));
        assertEquals(10, b.available(), 1e-9, "never more than its size");
    }

    @Test
    void ec2BucketsHaveTheDocumentedSizes() {
        Ec2Buckets d = Ec2Buckets.defaults();
        assertEquals(new BucketSpec(100, 20), d.bucketFor("DescribeVpcs", true).getValue());
        assertEquals(new BucketSpec(100, 20), d.bucketFor("DescribeVpcs", false).getValue(), "unfiltered category off by default");
        assertEquals(new BucketSpec(50, 10), d.withUnfiltered().bucketFor("DescribeVpcs", false).getValue());
        assertEquals("DescribeVpcs(unfiltered)", d.withUnfiltered().bucketFor("DescribeVpcs", false).getKey());
        assertEquals(new BucketSpec(50, 5), d.bucketFor("CreateVpc", false).getValue());
        assertEquals(new BucketSpec(10, 1), d.bucketFor("CreateNatGateway", false).getValue());
        assertEquals(new BucketSpec(10, 1), d.bucketFor("DeleteNatGateway", false).getValue());
        assertEquals(new BucketSpec(4, 0.3), d.bucketFor("CreateVpcEndpoint", false).getValue());
        assertEquals(new BucketSpec(4, 0.3), d.bucketFor("ModifyVpcEndpoint", false).getValue());
        assertEquals(new BucketSpec(4, 0.3), d.bucketFor("DeleteVpcEndpoints", false).getValue());
        assertEquals(new BucketSpec(100, 10), d.bucketFor("CreateTags", false).getValue());
        assertEquals(new BucketSpec(100, 10), d.bucketFor("DeleteTags", false).getValue());
        assertEquals(new BucketSpec(50, 5), d.bucketFor("AuthorizeSecurityGroupIngress", false).getValue());
        assertEquals("AuthorizeSecurityGroupIngress", d.bucketFor("AuthorizeSecurityGroupIngress", false).getKey(), "a bucket of its own");
        assertEquals(new BucketSpec(5, 0.5), d.scaled(0.1).bucketFor("CreateVpc", false).getValue());
    }

    @Test
    void proxyThrottlesPerActionWhenItsBucketIsEmptyAndRefills() throws Exception {
        try (FaultProxy p = proxy(FaultConfig.none().withBuckets(Ec2Buckets.defaults()))) {
            for (int i = 0; i < 50; i++) assertEquals(200, post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1").status(), "burst " + i);
            Reply r = post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1");
            assertTrue(throttled(r), r.toString());
            assertEquals("Request limit exceeded.", first(r.body(), "Message"));
            assertNotNull(first(r.body(), "RequestID"));
            assertEquals(200, post(p, "Action=ModifySubnetAttribute&SubnetId=subnet-1").status(), "another action, another bucket");
            assertEquals(200, post(p, "Action=DescribeVpcs").status(), "reads have their own buckets");
            advance(Duration.ofMillis(199));
            assertTrue(throttled(post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1")), "5/s: not yet a token after 199 ms");
            advance(Duration.ofMillis(1));
            assertEquals(200, post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1").status(), "one token after 200 ms");
            assertTrue(throttled(post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1")));
            advance(Duration.ofSeconds(1));
            for (int i = 0; i < 5; i++) assertEquals(200, post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1").status());
            assertTrue(throttled(post(p, "Action=ModifyVpcAttribute&VpcId=vpc-1")), "five tokens after one second");

            for (int i = 0; i < 4; i++) assertEquals(200, post(p, "Action=CreateVpcEndpoint&VpcId=vpc-1").status());
            assertTrue(throttled(post(p, "Action=CreateVpcEndpoint&VpcId=vpc-1")), "endpoint bucket holds 4");
            advance(Duration.ofMillis(3300));
            assertTrue(throttled(post(p, "Action=CreateVpcEndpoint&VpcId=vpc-1")), "0.3/s: 0.99 tokens after 3.3 s");
            advance(Duration.ofMillis(40));
            assertEquals(200, post(p, "Action=CreateVpcEndpoint&VpcId=vpc-1").status());

            assertEquals(Map.of("CreateVpcEndpoint", 2L, "ModifyVpcAttribute", 4L), p.stats().throttled());
            assertEquals(50 + 1 + 5, upstreamCalls.get("ModifyVpcAttribute").get(), "throttled calls never reach the API");
        }
    }

    @Test
    void sdkReadsTheErrorsAsAwsOwn() {
        try (FaultProxy p = proxy(FaultConfig.none().withThrottleRate(1.0)); Ec2Client ec2 = sdk(p)) {
            AwsServiceException e = assertThrows(AwsServiceException.class, () -> ec2.describeVpcs());
            assertEquals("RequestLimitExceeded", e.awsErrorDetails().errorCode());
            assertEquals(503, e.statusCode());
            assertNotNull(e.requestId());
            assertTrue(e.isThrottlingException(), "the SDK's retry strategy sees throttling");
            assertEquals(ErrorCategory.THROTTLED, AwsCalls.map("x", "DescribeVpcs", e).category());

            p.configure(FaultConfig.none().withServerErrorRate(1.0).withSeed(3));
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                AwsServiceException s = assertThrows(AwsServiceException.class, () -> ec2.describeVpcs());
                codes.add(s.statusCode() + " " + s.awsErrorDetails().errorCode());
                assertEquals(ErrorCategory.TRANSIENT, AwsCalls.map("x", "DescribeVpcs", s).category());
            }
            assertTrue(codes.contains("500 InternalError") && codes.contains("503 ServiceUnavailable"), codes.toString());

            p.configure(FaultConfig.none().withResetRate(1.0));
            assertThrows(SdkClientException.class, () -> ec2.describeVpcs(), "a dropped connection is an I/O failure");
            assertEquals(0, upstreamCalls.getOrDefault("DescribeVpcs", new AtomicInteger()).get(), "no fault reached the API");

            p.configure(FaultConfig.none().withThrottleRate(1.0).withFaultServices("directconnect"));
            assertTrue(ec2.describeVpcs().vpcs().isEmpty(), "faults limited to another service (SigV4 scope) spare EC2");
        }
    }

    @Test
    void lostResponsesHappenAfterTheApiActed() {
        try (FaultProxy p = proxy(FaultConfig.none().withLostResponseRate(1.0)); Ec2Client ec2 = sdk(p)) {
            assertThrows(SdkClientException.class, () -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")));
            assertEquals(1, upstreamCalls.get("CreateVpc").get());
            assertEquals(1, vpcs.size(), "the VPC exists though the client never heard of it");
            assertEquals(Map.of("CreateVpc", 1L), p.stats().lostResponses());
        }
    }

    @Test
    void randomFaultsFollowTheSeedAndTheRates() throws Exception {
        FaultConfig c = FaultConfig.none().withSeed(42).withThrottleRate(0.10).withServerErrorRate(0.02);
        List<Integer> first = new ArrayList<>(), second = new ArrayList<>();
        try (FaultProxy p = proxy(c)) {
            for (int i = 0; i < 600; i++) first.add(post(p, "Action=DescribeVpcs").status());
            FaultProxy.Stats s = p.stats();
            long t = FaultProxy.Stats.total(s.throttled()), e = FaultProxy.Stats.total(s.serverErrors());
            assertTrue(t > 40 && t < 80, "about 10% throttled: " + s.summary());
            assertTrue(e > 3 && e < 22, "about 2% of the rest 5xx: " + s.summary());
            p.resetCounts();
            for (int i = 0; i < 600; i++) second.add(post(p, "Action=DescribeVpcs").status());
        }
        assertEquals(first, second, "same seed, same calls: same faults");
        try (FaultProxy p = proxy(c.withSeed(43))) {
            List<Integer> other = new ArrayList<>();
            for (int i = 0; i < 600; i++) other.add(post(p, "Action=DescribeVpcs").status());
            assertFalse(first.equals(other), "another seed, other faults");
        }
        try (FaultProxy p = proxy(c.withThrottleRate(1.0).withFaultActions(java.util.Set.of("CreateVpc")))) {
            assertEquals(200, post(p, "Action=DescribeVpcs").status(), "faults limited to the actions named");
            assertTrue(throttled(post(p, "Action=CreateVpc")));
        }
    }

    @Test
    void newIdsAreNotFoundDuringTheirWindow() throws Exception {
        try (FaultProxy p = proxy(FaultConfig.none().withNotFoundWindow(Duration.ofSeconds(1)))) {
            String vpc = first(post(p, "Action=CreateVpc&CidrBlock=10.0.0.0%2F16").body(), "vpcId");
            Reply r = post(p, "Action=DescribeVpcs&VpcId.1=" + vpc);
            assertEquals(400, r.status());
            assertEquals("InvalidVpcID.NotFound", first(r.body(), "Code"));
            assertTrue(first(r.body(), "Message").contains(vpc));
            assertEquals("InvalidVpcID.NotFound", first(post(p, "Action=CreateSubnet&VpcId=" + vpc + "&CidrBlock=10.0.0.0%2F24").body(), "Code"));
            assertEquals(200, post(p, "Action=DescribeSubnets&Filter.1.Name=vpc-id&Filter.1.Value.1=" + vpc).status(), "filters do not fail");
            assertEquals(200, post(p, "Action=DescribeVpcs&VpcId.1=vpc-other").status(), "other ids are unaffected");
            assertEquals(200, post(p, "Action=DescribeVpcs&VpcId.1=dopt-7a8b9c2d").status(), "only the new object's own id is new");
            advance(Duration.ofMillis(999));
            assertEquals(400, post(p, "Action=DescribeVpcs&VpcId.1=" + vpc).status());
            advance(Duration.ofMillis(1));
            assertEquals(200, post(p, "Action=DescribeVpcs&VpcId.1=" + vpc).status(), "visible after the window");
            String subnet = first(post(p, "Action=CreateSubnet&VpcId=" + vpc + "&CidrBlock=10.0.0.0%2F24").body(), "subnetId");
            assertEquals("InvalidSubnetID.NotFound", first(post(p, "Action=ModifySubnetAttribute&SubnetId=" + subnet).body(), "Code"));
            assertEquals(Map.of("CreateSubnet", 1L, "DescribeVpcs", 2L, "ModifySubnetAttribute", 1L), p.stats().notFound());
        }
        assertEquals("InvalidGroup.NotFound", FaultProxy.notFoundCode("sg-0123"));
        assertEquals("InvalidRouteTableID.NotFound", FaultProxy.notFoundCode("rtb-0123"));
        assertEquals("InvalidNatGatewayID.NotFound", FaultProxy.notFoundCode("nat-0123"));
        assertEquals("InvalidTransitGatewayAttachmentID.NotFound", FaultProxy.notFoundCode("tgw-attach-0123"));
        assertEquals("InvalidTransitGatewayID.NotFound", FaultProxy.notFoundCode("tgw-0123"));
        assertEquals("InvalidVpcEndpointId.NotFound", FaultProxy.notFoundCode("vpce-0123"));
        assertEquals("InvalidAllocationID.NotFound", FaultProxy.notFoundCode("eipalloc-0123"));
        assertEquals("InvalidNetworkAclID.NotFound", FaultProxy.notFoundCode("acl-0123"));
        assertEquals("InvalidInternetGatewayID.NotFound", FaultProxy.notFoundCode("igw-0123"));
    }

    @Test
    void newObjectsArePendingDuringTheirWindow() throws Exception {
        try (FaultProxy p = proxy(FaultConfig.none().withPendingWindow(Duration.ofSeconds(2)))) {
            String vpc = first(post(p, "Action=CreateVpc&CidrBlock=10.0.0.0%2F16").body(), "vpcId");
            assertEquals("pending", first(post(p, "Action=DescribeVpcs").body(), "state"));
            advance(Duration.ofMillis(1500));
            String subnet = first(post(p, "Action=CreateSubnet&VpcId=" + vpc).body(), "subnetId");
            advance(Duration.ofMillis(1000)); // vpc 2.5 s old, subnet 1 s
            String vpcs = post(p, "Action=DescribeVpcs").body();
            assertEquals("available", first(vpcs, "state"), vpcs);
            String subnets = post(p, "Action=DescribeSubnets").body();
            assertEquals("pending", first(subnets, "state"), "the subnet's own age counts, not its VPC's: " + subnets);
            assertTrue(subnets.contains(subnet) && subnets.contains("<vpcId>" + vpc + "</vpcId>"), subnets);
            advance(Duration.ofMillis(1000));
            assertEquals("available", first(post(p, "Action=DescribeSubnets").body(), "state"));
            assertEquals(Map.of("DescribeSubnets", 1L, "DescribeVpcs", 1L), p.stats().pending());
        }
        // The SDK parses a rewritten response.
        try (FaultProxy p = proxy(FaultConfig.none().withPendingWindow(Duration.ofSeconds(2))); Ec2Client ec2 = sdk(p)) {
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            var described = ec2.describeVpcs(r -> r.vpcIds(vpc)).vpcs();
            assertEquals("pending", described.stream().filter(v -> v.vpcId().equals(vpc)).findFirst().orElseThrow().stateAsString());
        }
    }

    @Test
    void jsonProtocolCallsAreCountedByTargetAndThrottledInJson() throws Exception {
        try (FaultProxy p = proxy(FaultConfig.none().withThrottleRate(1.0))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(p.endpoint().resolve("/"))
                    .header("X-Amz-Target", "OvertureService.DescribeConnections").header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("\"__type\":\"ThrottlingException\""), r.body());
            assertEquals(1, p.calls("DescribeConnections"));
        }
    }

    @Test
    void latencyIsAddedToEveryCall() throws Exception {
        try (FaultProxy p = proxy(FaultConfig.none().withLatency(Duration.ofMillis(80), Duration.ofMillis(40)))) {
            post(p, "Action=DescribeVpcs"); // warm up the connection
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) post(p, "Action=DescribeVpcs");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 240, "3 calls at ≥ 80 ms each took " + ms + " ms");
        }
    }

    private static Ec2Client sdk(FaultProxy p) {
        return Ec2Client.builder().endpointOverride(p.endpoint()).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
