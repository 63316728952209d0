package io.netstack.provider.directconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.netstack.engine.EngineContext;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.provider.directconnect.dxgateway.DxGatewayType;
import io.netstack.provider.directconnect.dxgatewayassociation.DxGatewayAssociationType;
import io.netstack.provider.directconnect.dxvirtualinterface.DxVirtualInterfaceType;
import io.netstack.provider.ec2.clientvpn.ClientVpnEndpointType;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.Progress;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Sleeper;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * moto answers every Direct Connect gateway/interface and Client VPN action with an HTML 500
 * (docs/moto-notes.md). Client VPN reads still recognise that in one attempt and report no objects. The
 * Direct Connect reads no longer guess: a plan reads them only for stacks that have Direct Connect
 * (issue 12), so a 500 of any kind is an error, retried by the SDK first, and moto's gap is
 * covered in test code (the Direct Connect fake).
 */
class UnimplementedEndpointTest {
    HttpServer server;
    final AtomicInteger calls = new AtomicInteger();

    @BeforeAll
    static void credentials() {
        if (System.getProperty("aws.accessKeyId") == null) System.setProperty("aws.accessKeyId", "test");
        if (System.getProperty("aws.secretAccessKey") == null) System.setProperty("aws.secretAccessKey", "test");
    }

    URI serve(int status, String contentType, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    static final EngineContext CTX = EngineContext.of("s", "eu-west-1", Progress.NONE, Sleeper.SYSTEM, 0.001);
    static final List<Function<AwsSession, ResourceType>> TYPES = List.of(ClientVpnEndpointType::new);
    static final List<Function<AwsSession, ResourceType>> DX_TYPES = List.of(DxGatewayType::new, DxGatewayAssociationType::new,
            DxVirtualInterfaceType::new);

    @Test
    void htmlServerErrorMeansNoSuchApi() throws Exception {
        URI endpoint = serve(500, "text/html; charset=utf-8", "<!doctype html>\n<title>500 Internal Server Error</title>");
        try (AwsSession aws = new AwsSession(new AwsSettings("eu-west-1", endpoint, null, 8, List.of()))) {
            for (Function<AwsSession, ResourceType> t : TYPES) {
                calls.set(0);
                assertTrue(t.apply(aws).list(CTX).isEmpty());
                assertEquals(1, calls.get(), "one attempt, no retries, for " + t.apply(aws).name());
            }
        }
    }

    @Test
    void directConnectReadsDoNotTakeAnHtmlServerErrorForNoObjects() throws Exception {
        URI endpoint = serve(500, "text/html; charset=utf-8", "<!doctype html>\n<title>500 Internal Server Error</title>");
        try (AwsSession aws = new AwsSession(new AwsSettings("eu-west-1", endpoint, null, 2, List.of()))) {
            for (Function<AwsSession, ResourceType> t : DX_TYPES) {
                calls.set(0);
                AwsFailure f = assertThrows(AwsFailure.class, () -> t.apply(aws).list(CTX), t.apply(aws).name());
                assertEquals(ErrorCategory.TRANSIENT, f.category());
                assertEquals(2, calls.get(), "the SDK's two attempts, no probe, for " + t.apply(aws).name());
            }
        }
    }

    @Test
    void realServerErrorsAreRetriedAndReported() throws Exception {
        URI endpoint = serve(500, "application/x-amz-json-1.1", "{\"__type\":\"DirectConnectServerException\",\"message\":\"internal\"}");
        try (AwsSession aws = new AwsSession(new AwsSettings("eu-west-1", endpoint, null, 3, List.of()))) {
            AwsFailure f = assertThrows(AwsFailure.class, () -> new DxGatewayType(aws).list(CTX));
            assertEquals(ErrorCategory.TRANSIENT, f.category());
            assertEquals("DescribeDirectConnectGateways", f.action());
            assertEquals(3, calls.get(), "the SDK's three attempts, no probe first");
        }
    }

    @Test
    void directConnectNotFoundIsRecognisedByItsMessage() throws Exception {
        URI endpoint = serve(400, "application/x-amz-json-1.1", "{\"__type\":\"DirectConnectClientException\",\"message\":\"Virtual interface dxvif-ffff does not exist\"}");
        try (AwsSession aws = new AwsSession(new AwsSettings("eu-west-1", endpoint, null, 1, List.of()))) {
            AwsFailure f = assertThrows(AwsFailure.class, () -> DxCalls.call("vif", "DescribeVirtualInterfaces",
                    () -> aws.directConnect().describeVirtualInterfaces(r -> r.virtualInterfaceId("dxvif-ffff"))));
            assertEquals(ErrorCategory.NOT_FOUND, f.category());
            assertEquals("DirectConnectClientException", f.code());
            assertTrue(f.describe().startsWith("vif: DescribeVirtualInterfaces failed: DirectConnectClientException: Virtual interface dxvif-ffff does not exist"), f.describe());
        }
    }
}
