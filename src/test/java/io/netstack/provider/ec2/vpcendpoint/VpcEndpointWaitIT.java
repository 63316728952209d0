package io.netstack.provider.ec2.vpcendpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.Sleeper;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * The waits of vpc-endpoint, where moto has no behaviour: moto creates endpoints already
 * {@code available} and knows a new id at once. An SDK {@link ExecutionInterceptor} on netstack's
 * own clients (the real request path: marshalling, HTTP to moto, unmarshalling, error mapping)
 * rewrites DescribeVpcEndpoints answers so that the endpoint is {@code pending} for the first reads
 * after its create or modification, or answers {@code InvalidVpcEndpointId.NotFound} (HTTP 400,
 * EC2's error document) as AWS does right after a create. A fake {@link Sleeper} keeps the waits
 * at zero real time.
 */
@ExtendWith(AwsApiExtension.class)
class VpcEndpointWaitIT {
    static final String REGION = "eu-west-1";

    private String stackFile;
    private AwsApi api;

    static String stack(String name, String subnets) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.76.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.76.1.0/24", "zone": "eu-west-1a" },
                "b":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.76.2.0/24", "zone": "eu-west-1b" },
                "ep":  { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "interface", "service": "ssm", "subnets": [%s] }
              } }
            """.formatted(name, subnets);
    }

    @AfterEach
    void destroy() {
        if (stackFile != null) {
            Cli.Result r = Cli.run(api, REGION, "destroy", stackFile, "--auto-approve");
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void createAndUpdateWaitThroughPendingUntilAvailable(AwsApi api, @TempDir Path dir) {
        this.api = api;
        String name = api.uniqueStack("endpoint-pending");
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"${a}\""));
        stackFile = f.toString();
        EndpointFaults faults = new EndpointFaults(3, 0);
        FakeClock clock = new FakeClock(0);
        try (Netstack ns = netstack(api, faults, clock)) {
            ApplyResult r = apply(ns, f);
            assertTrue(r.success(), () -> "apply failed: " + r.failed());
            assertEquals(3, faults.pendingServed.get(), "three reads saw pending");
            assertTrue(faults.describesAfterCreate.get() >= 4, "kept polling until available");
            assertTrue(clock.sleeps.get() >= 3, "waited between polls");

            // The update (one more subnet) waits for available again.
            StackFiles.write(dir, "s.json", stack(name, "\"${a}\", \"${b}\""));
            ApplyResult u = apply(ns, f);
            assertTrue(u.success(), () -> "update failed: " + u.failed());
            assertEquals(6, faults.pendingServed.get(), "the modification was followed by three pending reads too");
        }
        assertEquals(0, Cli.run(api, REGION, "plan", stackFile, "--detailed-exitcode").exit());
    }

    @Test
    void neverEndingPendingFailsWithANamedTimeout(AwsApi api, @TempDir Path dir) {
        this.api = api;
        String name = api.uniqueStack("endpoint-stuck");
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"${a}\""));
        stackFile = f.toString();
        EndpointFaults faults = new EndpointFaults(Integer.MAX_VALUE, 0);
        FakeClock clock = new FakeClock(Duration.ofMinutes(1).toNanos()); // every look at the clock: a minute later
        try (Netstack ns = netstack(api, faults, clock)) {
            ApplyResult r = apply(ns, f);
            assertFalse(r.success());
            assertEquals(1, r.failed().size(), r.failed().toString());
            Throwable t = r.failed().values().iterator().next();
            AwsFailure failure = assertInstanceOf(AwsFailure.class, t);
            assertEquals(ErrorCategory.TIMEOUT, failure.category());
            assertEquals("ep", failure.resource(), "names the resource");
            assertTrue(failure.getMessage().contains("timed out after " + io.netstack.spi.Waiter.human(VpcEndpointType.CREATE_TIMEOUT)), failure.getMessage());
            assertTrue(failure.getMessage().matches("(?s).*VPC endpoint vpce-\\w+ available.*last state 'pending'.*"), failure.getMessage());
            assertEquals("ep", r.failed().keySet().iterator().next().change().id());
        }
    }

    @Test
    void notFoundRightAfterCreateIsRetried(AwsApi api, @TempDir Path dir) {
        this.api = api;
        String name = api.uniqueStack("endpoint-notfound");
        Path f = StackFiles.write(dir, "s.json", stack(name, "\"${a}\""));
        stackFile = f.toString();
        EndpointFaults faults = new EndpointFaults(0, 2);
        try (Netstack ns = netstack(api, faults, new FakeClock(0))) {
            ApplyResult r = apply(ns, f);
            assertTrue(r.success(), () -> "apply failed: " + r.failed());
            assertEquals(2, faults.notFoundServed.get(), "the first two reads of the new id answered NotFound");
            assertTrue(faults.describesAfterCreate.get() >= 3);
            assertTrue(r.resources().get("ep").awsId().startsWith("vpce-"));
        }
    }

    static Netstack netstack(AwsApi api, ExecutionInterceptor faults, Sleeper clock) {
        // The SDK's default chain reads these (as Cli.run does); any value works against moto.
        System.setProperty("aws.accessKeyId", AwsApi.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", AwsApi.SECRET_ACCESS_KEY);
        AwsSettings settings = new AwsSettings(REGION, api.endpoint(), null, AwsSettings.DEFAULT_MAX_ATTEMPTS, List.of(faults));
        return new Netstack(settings, clock, 1.0);
    }

    static ApplyResult apply(Netstack ns, Path file) {
        StackFile s = ns.load(file, Map.of());
        ns.validate(s);
        Plan plan = ns.plan(s, false);
        return ns.apply(s, plan, 4, ExecutionListener.NONE, new AtomicBoolean());
    }

    /** Time that passes only when slept, plus {@code jump} on every look at the clock. */
    static final class FakeClock implements Sleeper {
        final AtomicLong now = new AtomicLong();
        final AtomicInteger sleeps = new AtomicInteger();
        final long jump;

        FakeClock(long jumpNanos) {
            this.jump = jumpNanos;
        }

        @Override
        public void sleep(Duration d) {
            sleeps.incrementAndGet();
            now.addAndGet(d.toNanos());
        }

        @Override
        public long nanoTime() {
            return now.addAndGet(jump);
        }
    }

    /**
     * For each endpoint created (or modified) through this interceptor: the first {@code pending}
     * DescribeVpcEndpoints reads that include it report state {@code pending}; the first
     * {@code notFound} reads by its id fail with {@code InvalidVpcEndpointId.NotFound}.
     */
    static final class EndpointFaults implements ExecutionInterceptor {
        static final ExecutionAttribute<String> NOT_FOUND = new ExecutionAttribute<>("netstack.test.notFound");

        final int pending, notFound;
        final Map<String, AtomicInteger> pendingLeft = new ConcurrentHashMap<>(), notFoundLeft = new ConcurrentHashMap<>();
        final AtomicInteger pendingServed = new AtomicInteger(), notFoundServed = new AtomicInteger(), describesAfterCreate = new AtomicInteger();

        EndpointFaults(int pending, int notFound) {
            this.pending = pending;
            this.notFound = notFound;
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse c, ExecutionAttributes a) {
            if (c.request() instanceof DescribeVpcEndpointsRequest d) {
                for (String id : d.vpcEndpointIds()) {
                    if (pendingLeft.containsKey(id)) describesAfterCreate.incrementAndGet();
                    AtomicInteger left = notFoundLeft.get(id);
                    if (left != null && left.getAndDecrement() > 0) {
                        notFoundServed.incrementAndGet();
                        a.putAttribute(NOT_FOUND, id);
                        return c.httpResponse().toBuilder().statusCode(400).statusText("Bad Request").removeHeader("Content-Length").build();
                    }
                }
            }
            return c.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse c, ExecutionAttributes a) {
            String id = a.getAttribute(NOT_FOUND);
            if (id == null) return c.responseBody();
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidVpcEndpointId.NotFound</Code>"
                    + "<Message>The Vpc Endpoint Id '" + id + "' does not exist</Message></Error></Errors><RequestID>injected-by-test</RequestID></Response>";
            return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            SdkResponse r = c.response();
            if (r instanceof CreateVpcEndpointResponse created) {
                String id = created.vpcEndpoint().vpcEndpointId();
                pendingLeft.put(id, new AtomicInteger(pending));
                notFoundLeft.put(id, new AtomicInteger(notFound));
            } else if (c.request() instanceof ModifyVpcEndpointRequest m) {
                pendingLeft.put(m.vpcEndpointId(), new AtomicInteger(pending));
            } else if (r instanceof DescribeVpcEndpointsResponse d) {
                List<VpcEndpoint> eps = d.vpcEndpoints().stream().map(e -> {
                    AtomicInteger left = pendingLeft.get(e.vpcEndpointId());
                    if (left == null || left.getAndUpdate(x -> x == Integer.MAX_VALUE ? x : x - 1) <= 0) return e;
                    pendingServed.incrementAndGet();
                    return e.toBuilder().state("pending").build();
                }).toList();
                return d.toBuilder().vpcEndpoints(eps).build();
            }
            return r;
        }
    }
}
