package io.netstack.provider.ec2.elasticip;

import static io.netstack.provider.ec2.FakeEc2.error;
import static io.netstack.provider.ec2.FakeEc2.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.Json;
import io.netstack.provider.AwsSession;
import io.netstack.provider.ec2.FakeEc2;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Releasing the address of a just-deleted NAT gateway, which moto cannot show (moto releases an
 * associated address without complaint, and never unmaps a deleted NAT's address): AWS refuses
 * the release until it has unmapped the address from the NAT's ENI.
 */
class ElasticIpFakeAwsTest {
    FakeEc2 aws;
    AwsSession session;
    ElasticIpType type;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeEc2();
        session = aws.session();
        type = new ElasticIpType(session);
    }

    @AfterEach
    void stop() {
        session.close();
        aws.close();
    }

    static final LiveResource LIVE = new LiveResource("nat-ip", "elastic-ip", "eipalloc-1", Json.MAPPER.createObjectNode(), Map.of());

    static FakeEc2.Reply address(boolean associated) {
        return ok("DescribeAddresses", "<addressesSet><item><publicIp>203.0.113.7</publicIp><allocationId>eipalloc-1</allocationId><domain>vpc</domain>"
                + (associated ? "<associationId>eipassoc-1</associationId><networkInterfaceId>eni-nat</networkInterfaceId>" : "")
                + "</item></addressesSet>");
    }

    static final FakeEc2.Reply GONE = error(400, "InvalidAllocationID.NotFound", "The allocation ID 'eipalloc-1' does not exist");

    @Test
    void releaseIsRetriedWhileTheDeletedNatStillHoldsTheAddress() {
        AtomicInteger releases = new AtomicInteger();
        AtomicBoolean released = new AtomicBoolean();
        aws.script(p -> switch (p.get("Action")) {
            case "ReleaseAddress" -> switch (releases.incrementAndGet()) {
                case 1 -> error(400, "AuthFailure", "You do not have permission to access the specified resource.");
                case 2 -> error(400, "InvalidIPAddress.InUse", "Address 203.0.113.7 is in use.");
                case 3 -> error(400, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID 'eni-nat' does not exist");
                default -> {
                    released.set(true);
                    yield ok("ReleaseAddress", "<return>true</return>");
                }
            };
            case "DescribeAddresses" -> released.get() ? GONE : address(true);
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(FakeEc2.context("eipfake"), LIVE);
        assertEquals(4, releases.get());
    }

    @Test
    void authFailureOnAnUnassociatedAddressIsARealPermissionErrorAndFailsFast() {
        aws.script(p -> switch (p.get("Action")) {
            case "ReleaseAddress" -> error(400, "AuthFailure", "You are not authorized to perform this operation.");
            case "DescribeAddresses" -> address(false);
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.delete(FakeEc2.context("eipfake"), LIVE));
        assertEquals(ErrorCategory.ACCESS_DENIED, f.category());
        assertEquals("AuthFailure", f.code());
        assertEquals(1, aws.calls("ReleaseAddress").size());
    }

    @Test
    void addressThatStaysAssociatedFailsAfterTheReleaseTimeoutNamingTheAssociation() {
        aws.script(p -> switch (p.get("Action")) {
            case "ReleaseAddress" -> error(400, "InvalidIPAddress.InUse", "Address 203.0.113.7 is in use.");
            case "DescribeAddresses" -> address(true);
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.delete(FakeEc2.context("eipfake"), LIVE));
        assertEquals(ErrorCategory.TIMEOUT, f.category());
        assertTrue(f.getMessage().contains("still failing after 5m"), f.getMessage());
        assertTrue(f.getMessage().contains("203.0.113.7 is still associated with network interface eni-nat (association eipassoc-1)"), f.getMessage());
        assertTrue(aws.calls("ReleaseAddress").size() > 2, "retried");
    }

    @Test
    void releaseOfAnAddressThatIsAlreadyGoneIsDone() {
        aws.script(p -> switch (p.get("Action")) {
            case "ReleaseAddress", "DescribeAddresses" -> GONE;
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(FakeEc2.context("eipfake"), LIVE);
        assertEquals(1, aws.calls("ReleaseAddress").size());
    }
}
