package io.netstack.provider.ec2.transitgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.engine.Step;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.Sleeper;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeTransitGatewayPeeringAttachmentsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeTransitGatewayRouteTablesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeTransitGatewayVpcAttachmentsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeTransitGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.GetTransitGatewayRouteTableAssociationsResponse;
import software.amazon.awssdk.services.ec2.model.GetTransitGatewayRouteTablePropagationsResponse;
import software.amazon.awssdk.services.ec2.model.TransitGatewayAssociationState;
import software.amazon.awssdk.services.ec2.model.TransitGatewayAttachmentState;
import software.amazon.awssdk.services.ec2.model.TransitGatewayPropagationState;
import software.amazon.awssdk.services.ec2.model.TransitGatewayRouteTableState;
import software.amazon.awssdk.services.ec2.model.TransitGatewayState;

/**
 * The waits of the Transit Gateway types, through the real SDK request path. Covers a gap of moto,
 * which creates gateways, attachments, route tables, associations, propagations and peerings
 * already in their final state: an {@link ExecutionInterceptor} ({@link PendingStates}) rewrites
 * the unmarshalled Describe/Get responses so that each object is reported in AWS's transitional
 * state ({@code pending}, {@code associating}, {@code enabling}, {@code initiatingRequest}) for
 * its first reads, or forever.
 *
 * <ul>
 *   <li>apply waits through the transitional states and succeeds once they end;</li>
 *   <li>a wait that never ends fails with a TIMEOUT naming the resource after the type's named
 *       timeout (10 min for a gateway, 10 min for an association) — in virtual time: a
 *       {@link VirtualClock} sleeper jumps forward instead of sleeping, so the test takes
 *       seconds.</li>
 * </ul>
 */
@ExtendWith(AwsApiExtension.class)
class TransitGatewayPendingStatesIT {
    static final String REGION = "eu-west-1";
    static final int PENDING_READS = 3;

    @BeforeAll
    static void credentials() {
        // The SDK's default chain reads these (as Cli.run sets them); any value works for moto.
        System.setProperty("aws.accessKeyId", AwsApi.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", AwsApi.SECRET_ACCESS_KEY);
    }

    static String stack(String name) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw":   { "type": "transit-gateway", "defaultRouteTableAssociation": false, "defaultRouteTablePropagation": false },
                "tgw2":  { "type": "transit-gateway", "amazonAsn": 64999 },
                "vpc":   { "type": "vpc", "cidr": "10.80.0.0/16" },
                "sub":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.80.0.0/28", "zone": "eu-west-1a" },
                "att":   { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "rt":    { "type": "transit-gateway-route-table", "transitGateway": "${tgw}",
                           "associations": ["${att}"], "propagations": ["${att}"],
                           "routes": [ { "destination": "10.81.0.0/16", "blackhole": true } ] },
                "peer":  { "type": "transit-gateway-peering", "transitGateway": "${tgw}", "peerTransitGateway": "${tgw2}" }
              } }
            """.formatted(name);
    }

    @Test
    void applyWaitsThroughPendingStates(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("tgwwait");
        PendingStates pending = new PendingStates(PENDING_READS, Set.of());
        Path f = StackFiles.write(dir, "s.json", stack(name));
        try (Netstack ns = netstack(api, pending, Sleeper.SYSTEM, 0.001)) {
            StackFile s = ns.load(f, Map.of());
            ns.validate(s);
            ApplyResult r = apply(ns, s, false);
            assertTrue(r.success(), () -> "apply failed: " + r.failed());
            for (String kind : List.of("tgw", "attachment", "route-table", "association", "propagation", "peering")) {
                assertTrue(pending.served(kind) >= PENDING_READS, kind + " was reported in a transitional state " + pending.served(kind) + " times");
            }
            Plan again = ns.plan(s, false);
            assertFalse(again.hasChanges(), () -> "no changes after the waits: " + again.actionable());
        } finally {
            destroy(api, f);
        }
    }

    @Test
    void gatewayThatNeverBecomesAvailableTimesOut(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("tgwwait");
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "%s", "region": "eu-west-1", "resources": { "tgw": { "type": "transit-gateway" } } }
            """.formatted(name));
        VirtualClock clock = new VirtualClock();
        long started = System.nanoTime();
        try (Netstack ns = netstack(api, new PendingStates(0, Set.of("tgw")), clock, 1.0)) {
            StackFile s = ns.load(f, Map.of());
            ApplyResult r = apply(ns, s, false);
            AwsFailure failure = failureOf(r, "tgw");
            assertEquals(ErrorCategory.TIMEOUT, failure.category(), failure.describe());
            assertEquals("tgw", failure.resource());
            assertTrue(failure.getMessage().startsWith("timed out after 10m waiting for transit gateway tgw-"), failure.describe());
            assertTrue(failure.getMessage().endsWith("available (last state 'pending')"), failure.describe());
            assertTrue(clock.elapsed().compareTo(TransitGatewayType.CREATE_TIMEOUT) >= 0, "waited the named timeout in virtual time: " + clock.elapsed());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 120, "and not in real time");
        } finally {
            destroy(api, f);
        }
    }

    @Test
    void associationThatNeverCompletesTimesOut(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("tgwwait");
        Path f = StackFiles.write(dir, "s.json", """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "tgw": { "type": "transit-gateway", "defaultRouteTableAssociation": false },
                "vpc": { "type": "vpc", "cidr": "10.82.0.0/16" },
                "sub": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.82.0.0/28" },
                "att": { "type": "transit-gateway-attachment", "transitGateway": "${tgw}", "vpc": "${vpc}", "subnets": ["${sub}"] },
                "rt":  { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${att}"] }
              } }
            """.formatted(name));
        VirtualClock clock = new VirtualClock();
        try (Netstack ns = netstack(api, new PendingStates(0, Set.of("association")), clock, 1.0)) {
            StackFile s = ns.load(f, Map.of());
            ApplyResult r = apply(ns, s, false);
            AwsFailure failure = failureOf(r, "rt");
            assertEquals(ErrorCategory.TIMEOUT, failure.category(), failure.describe());
            assertEquals("rt", failure.resource());
            assertTrue(failure.getMessage().matches("timed out after 10m waiting for attachment tgw-attach-\\S+ associated with tgw-rtb-\\S+ \\(last state 'associating'\\)"),
                    failure.describe());
            assertTrue(r.done().stream().anyMatch(st -> st.change().id().equals("att")), "the attachment was created and waited for before the association");
        } finally {
            destroy(api, f);
        }
    }

    // ------------------------------------------------------------------ helpers

    static Netstack netstack(AwsApi api, ExecutionInterceptor interceptor, Sleeper sleeper, double scale) {
        AwsSettings settings = new AwsSettings(REGION, api.endpoint(), null, AwsSettings.DEFAULT_MAX_ATTEMPTS, List.of(interceptor));
        return new Netstack(settings, sleeper, scale);
    }

    static ApplyResult apply(Netstack ns, StackFile s, boolean destroy) {
        Plan plan = ns.plan(s, destroy);
        return ns.apply(s, plan, 10, ExecutionListener.NONE, new AtomicBoolean());
    }

    static AwsFailure failureOf(ApplyResult r, String id) {
        assertFalse(r.success(), "the apply must fail");
        Map.Entry<Step, Throwable> e = r.failed().entrySet().stream().filter(x -> x.getKey().change().id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no failure of " + id + ": " + r.failed()));
        return assertInstanceOf(AwsFailure.class, e.getValue());
    }

    /** Removes what a test made, without the interceptor, and checks nothing owned is left. */
    static void destroy(AwsApi api, Path f) {
        try (Netstack ns = new Netstack(new AwsSettings(REGION, api.endpoint(), null, AwsSettings.DEFAULT_MAX_ATTEMPTS, List.of()), Sleeper.SYSTEM, 0.01)) {
            StackFile s = ns.load(f, Map.of());
            ApplyResult r = apply(ns, s, true);
            assertTrue(r.success(), () -> "destroy failed: " + r.failed());
            assertFalse(ns.plan(s, true).hasChanges(), "nothing owned left");
            try (Ec2Client ec2 = api.ec2(REGION)) {
                assertTrue(ec2.describeTransitGateways().transitGateways().stream()
                        .noneMatch(t -> !"deleted".equals(t.stateAsString()) && t.tags().stream().anyMatch(tg -> tg.value().equals(s.name()))));
            }
        }
    }

    /**
     * Reports each Transit Gateway object in AWS's transitional state for its first
     * {@code pendingReads} reads, or on every read for the kinds in {@code forever}.
     */
    static final class PendingStates implements ExecutionInterceptor {
        private final int pendingReads;
        private final Set<String> forever;
        private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

        PendingStates(int pendingReads, Set<String> forever) {
            this.pendingReads = pendingReads;
            this.forever = forever;
        }

        int served(String kind) {
            return served.getOrDefault(kind, new AtomicInteger()).get();
        }

        private boolean pend(String kind, String key) {
            boolean p = forever.contains(kind) || reads.computeIfAbsent(kind + " " + key, k -> new AtomicInteger()).getAndIncrement() < pendingReads;
            if (p) served.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            return p;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            SdkResponse r = context.response();
            if (r instanceof DescribeTransitGatewaysResponse d) {
                return d.toBuilder().transitGateways(d.transitGateways().stream().map(t ->
                        "available".equals(t.stateAsString()) && pend("tgw", t.transitGatewayId())
                                ? t.toBuilder().state(TransitGatewayState.PENDING).build() : t).toList()).build();
            }
            if (r instanceof DescribeTransitGatewayVpcAttachmentsResponse d) {
                return d.toBuilder().transitGatewayVpcAttachments(d.transitGatewayVpcAttachments().stream().map(a ->
                        "available".equals(a.stateAsString()) && a.vpcId() != null && pend("attachment", a.transitGatewayAttachmentId())
                                ? a.toBuilder().state(TransitGatewayAttachmentState.PENDING).build() : a).toList()).build();
            }
            if (r instanceof DescribeTransitGatewayRouteTablesResponse d) {
                return d.toBuilder().transitGatewayRouteTables(d.transitGatewayRouteTables().stream().map(t ->
                        "available".equals(t.stateAsString()) && !t.tags().isEmpty() && pend("route-table", t.transitGatewayRouteTableId())
                                ? t.toBuilder().state(TransitGatewayRouteTableState.PENDING).build() : t).toList()).build();
            }
            if (r instanceof GetTransitGatewayRouteTableAssociationsResponse d) {
                return d.toBuilder().associations(d.associations().stream().map(a ->
                        "associated".equals(a.stateAsString()) && pend("association", a.transitGatewayAttachmentId())
                                ? a.toBuilder().state(TransitGatewayAssociationState.ASSOCIATING).build() : a).toList()).build();
            }
            if (r instanceof GetTransitGatewayRouteTablePropagationsResponse d) {
                return d.toBuilder().transitGatewayRouteTablePropagations(d.transitGatewayRouteTablePropagations().stream().map(a ->
                        "enabled".equals(a.stateAsString()) && pend("propagation", a.transitGatewayAttachmentId())
                                ? a.toBuilder().state(TransitGatewayPropagationState.ENABLING).build() : a).toList()).build();
            }
            if (r instanceof DescribeTransitGatewayPeeringAttachmentsResponse d) {
                return d.toBuilder().transitGatewayPeeringAttachments(d.transitGatewayPeeringAttachments().stream().map(a ->
                        "pendingAcceptance".equals(a.stateAsString()) && a.accepterTgwInfo() != null && pend("peering", a.transitGatewayAttachmentId())
                                ? a.toBuilder().state(TransitGatewayAttachmentState.INITIATING_REQUEST).build() : a).toList()).build();
            }
            return r;
        }
    }

    /** Time that passes only when someone sleeps: a 10-minute wait takes as long as its polls. */
    static final class VirtualClock implements Sleeper {
        private final long start = System.nanoTime();
        private final AtomicLong now = new AtomicLong(start);

        @Override
        public void sleep(Duration d) throws InterruptedException {
            now.addAndGet(d.toNanos());
            Thread.sleep(1); // polls stay cheap, but are not a hot loop
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        Duration elapsed() {
            return Duration.ofNanos(now.get() - start);
        }
    }
}
