package io.netstack.provider.ec2.vpcendpoint;

import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.REGION;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.netstack;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.spi.AwsFailure;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItemError;

/**
 * The delete of vpc-endpoint (issue 11, bug 2). DeleteVpcEndpoints is a batch call: it answers 200
 * and lists failures under {@code Unsuccessful}, which moto never does. An SDK interceptor on
 * netstack's own clients replaces moto's answer to the first DeleteVpcEndpoints with one
 * Unsuccessful item (moto has deleted the endpoint by then, so cleanup still works): the endpoint's
 * own {@code InvalidVpcEndpointId.NotFound} means "already gone"; a NotFound about another object
 * ({@code InvalidRoute.NotFound}) is the failure it is, named by resource, action and code.
 */
@ExtendWith(AwsApiExtension.class)
class VpcEndpointDeleteIT {
    private String stackFile;
    private AwsApi api;

    @AfterEach
    void destroy() {
        if (stackFile != null) {
            Cli.Result r = Cli.run(api, REGION, "destroy", stackFile, "--auto-approve");
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void notFoundAboutAnotherObjectFailsTheDelete(AwsApi api, @TempDir Path dir) {
        ApplyResult r = destroyAnswering(api, dir, "endpoint-del-route", "InvalidRoute.NotFound");
        assertFalse(r.success(), "a NotFound about a route is not the endpoint being gone");
        AwsFailure f = assertInstanceOf(AwsFailure.class, r.failed().entrySet().stream()
                .filter(e -> e.getKey().change().id().equals("ep")).findFirst().orElseThrow().getValue());
        assertEquals("ep", f.resource());
        assertEquals("DeleteVpcEndpoints", f.action());
        assertEquals("InvalidRoute.NotFound", f.code());
    }

    @Test
    void itsOwnNotFoundMeansAlreadyGone(AwsApi api, @TempDir Path dir) {
        ApplyResult r = destroyAnswering(api, dir, "endpoint-del-gone", "InvalidVpcEndpointId.NotFound");
        assertTrue(r.success(), () -> "destroy failed: " + r.failed());
        assertTrue(r.failed().isEmpty());
    }

    private ApplyResult destroyAnswering(AwsApi api, Path dir, String stackName, String code) {
        this.api = api;
        Path f = StackFiles.write(dir, "s.json", stack(api.uniqueStack(stackName), "\"${a}\""));
        stackFile = f.toString();
        assertEquals(0, Cli.run(api, REGION, "apply", stackFile, "--auto-approve").exit());
        UnsuccessfulDelete faults = new UnsuccessfulDelete(code);
        try (Netstack ns = netstack(api, faults, new VpcEndpointWaitIT.FakeClock(0))) {
            StackFile s = ns.load(f, Map.of());
            Plan plan = ns.plan(s, true);
            ApplyResult r = ns.apply(s, plan, 4, ExecutionListener.NONE, new AtomicBoolean());
            assertEquals(1, faults.served.get(), "the first DeleteVpcEndpoints answered Unsuccessful");
            return r;
        }
    }

    /** The first DeleteVpcEndpoints answers 200 with one Unsuccessful item of {@code code}. */
    static final class UnsuccessfulDelete implements ExecutionInterceptor {
        final String code;
        final AtomicInteger served = new AtomicInteger();

        UnsuccessfulDelete(String code) {
            this.code = code;
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            if (c.response() instanceof DeleteVpcEndpointsResponse d && c.request() instanceof DeleteVpcEndpointsRequest req
                    && served.getAndIncrement() == 0) {
                return d.toBuilder().unsuccessful(UnsuccessfulItem.builder().resourceId(req.vpcEndpointIds().get(0))
                        .error(UnsuccessfulItemError.builder().code(code).message("injected by test").build()).build()).build();
            }
            return c.response();
        }
    }
}
