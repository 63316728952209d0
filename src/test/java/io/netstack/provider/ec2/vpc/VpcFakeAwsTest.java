package io.netstack.provider.ec2.vpc;

import static io.netstack.provider.ec2.FakeEc2.error;
import static io.netstack.provider.ec2.FakeEc2.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.EngineContext;
import io.netstack.provider.AwsSession;
import io.netstack.provider.ec2.FakeEc2;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.ResourceSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider vocabulary on a VPC, against an in-process EC2 (moto cannot make DeleteVpc fail
 * with another object's NotFound, nor keep a VPC pending forever): only the VPC's own NotFound
 * code means "already deleted", any other error surfaces at once; an update of a VPC deleted by
 * hand fails at once as NotFound naming it; a wait that cannot succeed names the VPC.
 */
class VpcFakeAwsTest {
    static final String STACK = "vocab";
    static final String VPC = "<item><vpcId>vpc-1</vpcId><ownerId>123456789012</ownerId><state>%s</state><cidrBlock>10.0.0.0/16</cidrBlock>"
            + "<instanceTenancy>default</instanceTenancy>" + FakeEc2.ownedTags(STACK, "vpc") + "</item>";

    FakeEc2 aws;
    AwsSession session;
    VpcType type;
    EngineContext ctx = FakeEc2.context(STACK);

    @BeforeEach
    void start() throws Exception {
        aws = new FakeEc2();
        session = aws.session();
        type = new VpcType(session);
    }

    @AfterEach
    void stop() {
        session.close();
        aws.close();
    }

    static LiveResource live() {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("cidr", "10.0.0.0/16").put("dnsSupport", true).put("dnsHostnames", false);
        return new LiveResource("vpc", "vpc", "vpc-1", p, Map.of());
    }

    long elapsedSeconds() {
        return Duration.ofNanos(ctx.waiter().sleeper().nanoTime()).toSeconds();
    }

    @Test
    void aNotFoundAboutAnotherObjectIsTheDeletesRealErrorNotSuccess() {
        aws.script(p -> switch (p.get("Action")) {
            case "DeleteVpc" -> error(400, "InvalidRouteTableID.NotFound", "The routeTable ID 'rtb-9' does not exist");
            case "DescribeVpcs" -> ok("DescribeVpcs", "<vpcSet>" + VPC.formatted("available") + "</vpcSet>");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.delete(ctx, live()));
        assertEquals("InvalidRouteTableID.NotFound", f.code(), f.describe());
        assertEquals("DeleteVpc", f.action());
        assertEquals("vpc", f.resource());
        assertEquals(1, aws.calls("DeleteVpc").size(), "not retried");
        assertTrue(aws.calls("DescribeVpcs").isEmpty(), "no wait for a deletion that never started");
        assertEquals(0, elapsedSeconds(), "failed at once");
    }

    @Test
    void theVpcsOwnNotFoundMeansAlreadyDeleted() {
        aws.script(p -> switch (p.get("Action")) {
            case "DeleteVpc" -> error(400, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(ctx, live());
        assertEquals(1, aws.calls("DeleteVpc").size());
        assertTrue(aws.calls("DescribeVpcs").isEmpty(), "gone already: nothing to wait for");
    }

    @Test
    void deleteWaitsUntilTheVpcIsGone() {
        int[] describes = {0};
        aws.script(p -> switch (p.get("Action")) {
            case "DeleteVpc" -> ok("DeleteVpc", "<return>true</return>");
            case "DescribeVpcs" -> ++describes[0] < 3
                    ? ok("DescribeVpcs", "<vpcSet>" + VPC.formatted("available") + "</vpcSet>")
                    : error(400, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        type.delete(ctx, live());
        assertEquals(3, aws.calls("DescribeVpcs").size());
    }

    @Test
    void anUpdateOfAVpcDeletedByHandFailsAtOnceNamingIt() {
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeVpcs" -> error(400, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist");
            default -> error(400, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist");
        });
        ObjectNode want = live().properties().deepCopy().put("dnsHostnames", true);
        ResourceSpec spec = new ResourceSpec("vpc", "vpc", want, Ownership.tags(STACK, "vpc"), null, null);
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.update(ctx, live(), spec, Set.of("dnsHostnames")));
        assertEquals(ErrorCategory.NOT_FOUND, f.category());
        assertTrue(f.describe().startsWith("vpc: VPC vpc-1 not found"), f.describe());
        assertTrue(aws.calls("ModifyVpcAttribute").isEmpty(), "nothing modified");
        assertEquals(0, elapsedSeconds(), "no propagation retries");
    }

    @Test
    void aWaitThatCannotSucceedNamesTheResourceAndTheVpc() {
        aws.script(p -> switch (p.get("Action")) {
            case "DeleteVpc" -> ok("DeleteVpc", "<return>true</return>");
            case "DescribeVpcs" -> ok("DescribeVpcs", "<vpcSet>" + VPC.formatted("available") + "</vpcSet>");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
        AwsFailure f = assertThrows(AwsFailure.class, () -> type.delete(ctx, live()));
        assertEquals(ErrorCategory.TIMEOUT, f.category());
        assertEquals("vpc: timed out after 10m waiting for VPC vpc-1 deleted (last state 'available')", f.describe());
    }
}
