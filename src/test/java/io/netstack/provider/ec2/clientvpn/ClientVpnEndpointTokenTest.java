package io.netstack.provider.ec2.clientvpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.EngineContext;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Progress;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Sleeper;
import io.netstack.testing.fake.FakeAwsServer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWS binds a ClientToken to its first answer for a day or more, deleted objects included. A create
 * whose token AWS answers with an endpoint that is already gone asks again with a new token instead
 * of returning the dead one (the fake replays tokens like AWS).
 */
class ClientVpnEndpointTokenTest {
    @BeforeAll
    static void credentials() {
        if (System.getProperty("aws.accessKeyId") == null) System.setProperty("aws.accessKeyId", "test");
        if (System.getProperty("aws.secretAccessKey") == null) System.setProperty("aws.secretAccessKey", "test");
    }

    @Test
    void aReplayedDeletedEndpointIsNotReturned() {
        try (FakeAwsServer fake = FakeAwsServer.start(null);
             AwsSession aws = new AwsSession(new AwsSettings("eu-west-1", fake.endpoint(), null, 1, List.of()))) {
            fake.pendingReads(0);
            ClientVpnEndpointType type = new ClientVpnEndpointType(aws);
            EngineContext ctx = EngineContext.of("tokens", "eu-west-1", Progress.NONE, Sleeper.SYSTEM, 0.001);
            ObjectNode p = JsonNodeFactory.instance.objectNode().put("clientCidr", "10.100.0.0/22")
                    .put("serverCertificate", "arn:aws:acm:eu-west-1:123456789012:certificate/s").put("transportProtocol", "udp")
                    .put("vpnPort", 443).put("splitTunnel", false);
            p.putObject("authentication").putObject("certificate").put("rootCertificateChain", "arn:aws:acm:eu-west-1:123456789012:certificate/c");
            ResourceSpec spec = new ResourceSpec("vpn", "client-vpn-endpoint", p, Ownership.tags("tokens", "vpn"), "netstack-fixed-token", null);

            LiveResource first = type.create(ctx, spec);
            type.delete(ctx, first);
            assertTrue(fake.clientVpn().endpoints().isEmpty());
            fake.clearRequests();

            LiveResource second = type.create(ctx, spec);
            var creates = fake.requests("CreateClientVpnEndpoint");
            assertEquals(2, creates.size(), "the replayed answer named the deleted endpoint: asked again");
            assertEquals("netstack-fixed-token", creates.get(0).param("ClientToken"));
            assertNotEquals("netstack-fixed-token", creates.get(1).param("ClientToken"));
            assertNotEquals(first.awsId(), second.awsId());
            assertEquals(List.of(second.awsId()), List.copyOf(fake.clientVpn().endpoints().keySet()));
        }
    }
}
