package io.netstack.provider.ec2.internetgateway;

import static io.netstack.provider.ec2.FakeEc2.error;
import static io.netstack.provider.ec2.FakeEc2.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.engine.Json;
import io.netstack.provider.AwsSession;
import io.netstack.provider.ec2.FakeEc2;
import io.netstack.spi.LiveResource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Detaching while the VPC still has mapped public addresses, which moto cannot show (moto
 * detaches regardless, docs/moto-notes.md): AWS answers DependencyViolation until the addresses of
 * deleted NAT gateways and released EIPs are unmapped; the detach is retried, then the delete.
 */
class InternetGatewayFakeAwsTest {
    FakeEc2 aws;
    AwsSession session;
    InternetGatewayType type;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeEc2();
        session = aws.session();
        type = new InternetGatewayType(session);
    }

    @AfterEach
    void stop() {
        session.close();
        aws.close();
    }

    @Test
    void detachIsRetriedWhilePublicAddressesAreMappedThenTheGatewayIsDeleted() {
        AtomicInteger detaches = new AtomicInteger();
        AtomicReference<String> state = new AtomicReference<>("attached");
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeInternetGateways" -> state.get().equals("gone")
                    ? error(400, "InvalidInternetGatewayID.NotFound", "The internetGateway ID 'igw-1' does not exist")
                    : ok("DescribeInternetGateways", "<internetGatewaySet><item><internetGatewayId>igw-1</internetGatewayId><ownerId>123456789012</ownerId>"
                    + (state.get().equals("attached") ? "<attachmentSet><item><vpcId>vpc-1</vpcId><state>available</state></item></attachmentSet>" : "<attachmentSet/>")
                    + "</item></internetGatewaySet>");
            case "DetachInternetGateway" -> {
                if (detaches.incrementAndGet() < 3) {
                    yield error(400, "DependencyViolation", "Network vpc-1 has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.");
                }
                state.set("detached");
                yield ok("DetachInternetGateway", "<return>true</return>");
            }
            case "DeleteInternetGateway" -> {
                state.set("gone");
                yield ok("DeleteInternetGateway", "<return>true</return>");
            }
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(FakeEc2.context("igwfake"), live());
        assertEquals(3, detaches.get());
        assertEquals("vpc-1", aws.calls("DetachInternetGateway").get(0).get("VpcId"));
        assertEquals(1, aws.calls("DeleteInternetGateway").size());
    }

    @Test
    void gatewayNotAttachedCountsAsDetached() {
        AtomicReference<String> state = new AtomicReference<>("attached");
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeInternetGateways" -> state.get().equals("gone")
                    ? error(400, "InvalidInternetGatewayID.NotFound", "The internetGateway ID 'igw-1' does not exist")
                    : ok("DescribeInternetGateways", "<internetGatewaySet><item><internetGatewayId>igw-1</internetGatewayId>"
                    + (state.get().equals("attached") ? "<attachmentSet><item><vpcId>vpc-1</vpcId><state>available</state></item></attachmentSet>" : "")
                    + "</item></internetGatewaySet>");
            case "DetachInternetGateway" -> {
                state.set("detached"); // detached meanwhile by someone else
                yield error(400, "Gateway.NotAttached", "resource igw-1 is not attached to network vpc-1");
            }
            case "DeleteInternetGateway" -> {
                state.set("gone");
                yield ok("DeleteInternetGateway", "<return>true</return>");
            }
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(FakeEc2.context("igwfake"), live());
        assertEquals(1, aws.calls("DetachInternetGateway").size());
        assertEquals(1, aws.calls("DeleteInternetGateway").size());
    }

    static LiveResource live() {
        return new LiveResource("igw", "internet-gateway", "igw-1", Json.MAPPER.createObjectNode().put("vpc", "vpc-1"), Map.of());
    }
}
