package io.netstack.provider.ec2.natgateway;

import static io.netstack.provider.ec2.FakeEc2.error;
import static io.netstack.provider.ec2.FakeEc2.ok;
import static io.netstack.provider.ec2.FakeEc2.ownedTags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import io.netstack.provider.AwsSession;
import io.netstack.provider.ec2.FakeEc2;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NAT gateway behaviour that moto cannot show (docs/moto-notes.md: NAT gateways are {@code available}
 * at once and never fail): the create wait through {@code pending}, failing with AWS's own
 * failure message, and a ClientToken that replays an earlier failed attempt.
 */
class NatGatewayFakeAwsTest {
    static final String STACK = "natfake";
    static final String TOKEN = "netstack-0123456789abcdef0123456789abcdef01234567";

    FakeEc2 aws;
    AwsSession session;
    NatGatewayType type;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeEc2();
        session = aws.session();
        type = new NatGatewayType(session);
    }

    @AfterEach
    void stop() {
        session.close();
        aws.close();
    }

    static String nat(String id, String state, String failureCode, String failureMessage) {
        return "<natGatewayId>" + id + "</natGatewayId><state>" + state + "</state><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId>"
                + "<connectivityType>public</connectivityType>"
                + (failureCode == null ? "" : "<failureCode>" + failureCode + "</failureCode><failureMessage>" + failureMessage + "</failureMessage>")
                + "<natGatewayAddressSet><item><allocationId>eipalloc-1</allocationId><networkInterfaceId>eni-1</networkInterfaceId>"
                + "<privateIp>10.0.0.5</privateIp><publicIp>203.0.113.7</publicIp><isPrimary>true</isPrimary></item></natGatewayAddressSet>"
                + ownedTags(STACK, "nat");
    }

    static FakeEc2.Reply created(String natXml) {
        return ok("CreateNatGateway", "<clientToken>t</clientToken><natGateway>" + natXml + "</natGateway>");
    }

    static FakeEc2.Reply described(String natXml) {
        return ok("DescribeNatGateways", "<natGatewaySet><item>" + natXml + "</item></natGatewaySet>");
    }

    static final FakeEc2.Reply FREE_ADDRESS = address(false);

    static FakeEc2.Reply address(boolean mappedToOldNat) {
        return ok("DescribeAddresses", "<addressesSet><item><publicIp>203.0.113.7</publicIp><allocationId>eipalloc-1</allocationId><domain>vpc</domain>"
                + (mappedToOldNat ? "<associationId>eipassoc-old</associationId><networkInterfaceId>eni-old</networkInterfaceId>" : "")
                + "</item></addressesSet>");
    }

    static ResourceSpec spec() throws Exception {
        ObjectNode p = (ObjectNode) Json.MAPPER.readTree("{\"subnet\":\"subnet-1\",\"connectivity\":\"public\",\"eip\":\"eipalloc-1\",\"tags\":{}}");
        return new ResourceSpec("nat", NatGatewayType.TYPE, p, Map.of("netstack:stack", STACK, "netstack:id", "nat"), TOKEN, null);
    }

    @Test
    void createWaitsThroughPendingUntilAvailable() throws Exception {
        AtomicInteger describes = new AtomicInteger();
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeAddresses" -> FREE_ADDRESS;
            case "CreateNatGateway" -> created(nat("nat-1", "pending", null, null));
            case "DescribeNatGateways" -> described(nat("nat-1", describes.incrementAndGet() < 3 ? "pending" : "available", null, null));
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        LiveResource live = type.create(FakeEc2.context(STACK), spec());
        assertEquals("nat-1", live.awsId());
        assertEquals("203.0.113.7", live.attributes().get("publicIp"));
        assertEquals("eipalloc-1", live.properties().get("eip").asText());
        assertTrue(describes.get() >= 3, "polled until available");
        Map<String, String> create = aws.calls("CreateNatGateway").get(0);
        assertEquals(TOKEN, create.get("ClientToken"));
        assertEquals("natgateway", create.get("TagSpecification.1.ResourceType"));
        assertEquals(null, create.get("TagSpecification.2.ResourceType"), "exactly one TagSpecification");
    }

    @Test
    void failedCreateReportsAwsFailureMessage() {
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeAddresses" -> FREE_ADDRESS;
            case "CreateNatGateway" -> created(nat("nat-1", "pending", null, null));
            case "DescribeNatGateways" -> described(nat("nat-1", "failed", "Gateway.NotAttached", "Network vpc-1 has no Internet gateway attached"));
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.create(FakeEc2.context(STACK), spec()));
        assertEquals(ErrorCategory.FAILED_STATE, f.category());
        assertTrue(f.getMessage().contains("reached state 'failed'"), f.getMessage());
        assertTrue(f.getMessage().contains("Gateway.NotAttached: Network vpc-1 has no Internet gateway attached"), f.getMessage());
    }

    @Test
    void createThatNeverBecomesAvailableTimesOut() {
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeAddresses" -> FREE_ADDRESS;
            case "CreateNatGateway" -> created(nat("nat-1", "pending", null, null));
            case "DescribeNatGateways" -> described(nat("nat-1", "pending", null, null));
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.create(FakeEc2.context(STACK), spec()));
        assertEquals(ErrorCategory.TIMEOUT, f.category());
        assertTrue(f.getMessage().contains("timed out after 10m waiting for NAT gateway nat-1 available (last state 'pending')"), f.getMessage());
    }

    @Test
    void tokenThatReplaysAFailedAttemptDeletesItAndCreatesAgainWithADerivedToken() throws Exception {
        AtomicInteger creates = new AtomicInteger();
        String[] oldState = {"failed"};
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeAddresses" -> FREE_ADDRESS;
            // AWS answers a replayed token with the gateway the token made first: here a failed one.
            case "CreateNatGateway" -> creates.incrementAndGet() == 1
                    ? created(nat("nat-old", "failed", "Gateway.NotAttached", "Network vpc-1 has no Internet gateway attached"))
                    : created(nat("nat-new", "pending", null, null));
            case "DeleteNatGateway" -> {
                oldState[0] = "deleted";
                yield ok("DeleteNatGateway", "<natGatewayId>" + p.get("NatGatewayId") + "</natGatewayId>");
            }
            case "DescribeNatGateways" -> "nat-old".equals(p.get("Filter.1.Value.1"))
                    ? described(nat("nat-old", oldState[0], null, null))
                    : described(nat("nat-new", "available", null, null));
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        LiveResource live = type.create(FakeEc2.context(STACK), spec());
        assertEquals("nat-new", live.awsId());
        assertEquals("nat-old", aws.calls("DeleteNatGateway").get(0).get("NatGatewayId"), "the failed gateway (ours) is deleted");
        String second = aws.calls("CreateNatGateway").get(1).get("ClientToken");
        assertNotEquals(TOKEN, second);
        assertEquals(NatGatewayType.replayToken(TOKEN, "nat-old"), second, "deterministic: a retry of this create reuses it");
        assertTrue(second.length() <= 64);
    }

    /**
     * The NAT gateway that held the address before (replaced, or deleted by hand) is {@code deleted}
     * but the address is still mapped to its ENI: the create waits, drops the stale association,
     * and only then asks for the new gateway (AWS would fail it with Resource.AlreadyAssociated).
     */
    @Test
    void createWaitsForTheAddressOfADeletedNatGatewayToBeFreed() throws Exception {
        AtomicInteger addressReads = new AtomicInteger();
        String old = nat("nat-old", "deleted", null, null).replace("eni-1", "eni-old");
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeAddresses" -> address(aws.calls("DisassociateAddress").isEmpty() && addressReads.incrementAndGet() < 10);
            case "DescribeNatGateways" -> "state".equals(p.get("Filter.1.Name"))
                    ? ok("DescribeNatGateways", "<natGatewaySet><item>" + old + "</item></natGatewaySet>")
                    : described(nat("nat-new", "available", null, null));
            case "DisassociateAddress" -> ok("DisassociateAddress", "<return>true</return>");
            case "CreateNatGateway" -> {
                if (aws.calls("DisassociateAddress").isEmpty()) yield error(400, "Resource.AlreadyAssociated", "Resource 203.0.113.7 is already associated.");
                yield created(nat("nat-new", "pending", null, null));
            }
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        LiveResource live = type.create(FakeEc2.context(STACK), spec());
        assertEquals("nat-new", live.awsId());
        assertEquals("eipassoc-old", aws.calls("DisassociateAddress").get(0).get("AssociationId"));
        assertEquals("state", aws.calls("DescribeNatGateways").get(0).get("Filter.1.Name"), "the holder is looked for among deleting/deleted gateways");
        assertEquals(1, aws.calls("CreateNatGateway").size(), "created once, after the address was free");
    }

    @Test
    void addressHeldByALiveResourceIsLeftToCreateNatGatewayToReport() {
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeAddresses" -> address(true);
            case "DescribeNatGateways" -> ok("DescribeNatGateways", "<natGatewaySet/>");
            case "CreateNatGateway" -> error(400, "Resource.AlreadyAssociated", "Elastic IP address [eipalloc-1] is already associated");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.create(FakeEc2.context(STACK), spec()));
        assertEquals("Resource.AlreadyAssociated", f.code());
        assertEquals("CreateNatGateway", f.action());
        assertEquals(0, aws.calls("DisassociateAddress").size(), "never touches an association it does not know to be stale");
    }

    @Test
    void deleteWaitsUntilDeleted() {
        AtomicInteger describes = new AtomicInteger();
        aws.script(p -> switch (p.get("Action")) {
            case "DeleteNatGateway" -> ok("DeleteNatGateway", "<natGatewayId>nat-1</natGatewayId>");
            case "DescribeNatGateways" -> described(nat("nat-1", switch (describes.incrementAndGet()) {
                case 1 -> "available";
                case 2, 3 -> "deleting";
                default -> "deleted";
            }, null, null));
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(FakeEc2.context(STACK), new LiveResource("nat", NatGatewayType.TYPE, "nat-1", Json.MAPPER.createObjectNode(), Map.of()));
        assertEquals(1, aws.calls("DeleteNatGateway").size());
        assertEquals(4, describes.get(), "waited through deleting until deleted");
    }

    @Test
    void deleteOfAGoneGatewayIsDone() {
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeNatGateways" -> error(400, "NatGatewayNotFound", "The Nat Gateway nat-1 was not found");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(FakeEc2.context(STACK), new LiveResource("nat", NatGatewayType.TYPE, "nat-1", Json.MAPPER.createObjectNode(), Map.of()));
        assertEquals(0, aws.calls("DeleteNatGateway").size());
    }
}
