package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.Policy;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.ResourceType;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Issue 12: declared permissions, the policy built from them, owned-type look-ups, denied errors. Offline. */
class LeastPrivilegeTest {
    static final URI NOWHERE = URI.create("http://127.0.0.1:9");

    Set<String> actions(String example, Policy.Purpose purpose) {
        try (Netstack ns = Netstack.forEndpoint(NOWHERE)) {
            Map<String, String> vars = example.equals("privatelink.json")
                    ? Map.of("nlbArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/x/0123456789abcdef", "consumerAccount", "123456789012")
                    : Map.of();
            StackFile s = ns.load(Path.of("stacks", example), vars);
            return Policy.actions(s, ns.provider(s.region()), purpose);
        }
    }

    @Test
    void everyRegisteredTypeDeclaresServiceActions() {
        try (Netstack ns = Netstack.forEndpoint(NOWHERE)) {
            for (ResourceType t : ns.provider("eu-west-1").all()) {
                assertTrue(t.permissions().declared(), t.name() + " declares its IAM actions");
                assertFalse(t.permissions().create().isEmpty(), t.name() + " create");
                assertFalse(t.permissions().delete().isEmpty(), t.name() + " delete");
            }
        }
    }

    @Test
    void aVpcStackNeedsNoDirectConnectOrCloudFront() {
        for (Policy.Purpose p : Policy.Purpose.values()) {
            Set<String> a = actions("three-tier.json", p);
            assertTrue(a.stream().allMatch(x -> x.startsWith("ec2:") || x.equals("tag:GetResources")), p + ": " + a);
            assertTrue(a.contains("ec2:DescribeTags") && a.contains("ec2:DescribeVpcs"), p + ": " + a);
        }
    }

    @Test
    void eachPurposeGetsWhatItsCommandCalls() {
        Set<String> plan = actions("three-tier.json", Policy.Purpose.PLAN);
        Set<String> apply = actions("three-tier.json", Policy.Purpose.APPLY);
        Set<String> destroy = actions("three-tier.json", Policy.Purpose.DESTROY);
        assertTrue(plan.stream().allMatch(a -> a.matches("[a-z0-9]+:(Describe|Get|List|Search)\\w+")), "plan only reads: " + plan);
        assertTrue(apply.containsAll(plan));
        assertTrue(apply.containsAll(List.of("ec2:CreateVpc", "ec2:CreateNatGateway", "ec2:ModifyVpcAttribute", "ec2:DeleteVpc", "ec2:CreateTags",
                "ec2:CreateKeyPair", "ec2:DeleteKeyPair", "ec2:DescribeKeyPairs")), apply.toString());
        assertTrue(destroy.containsAll(List.of("ec2:DeleteVpc", "ec2:DeleteNatGateway", "ec2:CreateKeyPair")), destroy.toString());
        assertFalse(destroy.contains("ec2:CreateVpc"), "destroy creates nothing");
        assertTrue(actions("three-tier.json", Policy.Purpose.DRIFT).contains("ec2:DescribeNatGateways"), "drift's untagged-object reads");
        assertTrue(actions("hybrid-vpn-dx.json", Policy.Purpose.PLAN).contains("directconnect:DescribeDirectConnectGateways"));
        assertTrue(actions("cdn.json", Policy.Purpose.APPLY).containsAll(List.of("cloudfront:CreateDistribution", "cloudfront:TagResource", "cloudfront:ListDistributions")));
    }

    @Test
    void theGlobalTypeMarkerIsWrittenWhereAGlobalTypeIsDeclaredAndRemovedByDestroy() {
        // the marker's DeleteTags is what only it needs (the lock creates, tags and deletes its key pair too)
        assertTrue(actions("cdn.json", Policy.Purpose.APPLY).containsAll(GlobalMarkers.ACTIONS), "apply of a stack with a distribution");
        assertTrue(actions("cdn.json", Policy.Purpose.DESTROY).containsAll(GlobalMarkers.ACTIONS));
        assertTrue(actions("three-tier.json", Policy.Purpose.DESTROY).containsAll(GlobalMarkers.ACTIONS),
                "a destroy removes a marker left from global types the file no longer declares");
        for (Policy.Purpose p : List.of(Policy.Purpose.PLAN, Policy.Purpose.DRIFT)) {
            assertFalse(actions("cdn.json", p).contains("ec2:CreateKeyPair"), p + " writes no marker");
        }
        assertTrue(actions("three-tier.json", Policy.Purpose.PLAN).contains("tag:GetResources"), "a stack that dropped a global type still asks the hint");
    }

    @Test
    void adoptReadsAndTagsOnly() {
        Set<String> plan = actions("three-tier.json", Policy.Purpose.PLAN);
        Set<String> adopt = actions("three-tier.json", Policy.Purpose.ADOPT);
        Set<String> extra = new java.util.TreeSet<>(adopt);
        extra.removeAll(plan);
        assertTrue(extra.contains("ec2:CreateTags"), adopt.toString());
        extra.remove("ec2:CreateTags");
        assertTrue(extra.stream().allMatch(a -> a.matches("ec2:(Describe|Get|Search)\\w+")), "besides tagging, adopt only reads (the import's reads): " + extra);
        assertTrue(extra.contains("ec2:DescribeVpnGateways"), "the import's reads of types the file does not declare: " + extra);
    }

    @Test
    void describeTagsRowsNameTheirTypes() {
        assertEquals(List.of("nat-gateway"), OwnedTypes.ec2Types("natgateway", "nat-0abc"));
        // a spoke's attachment the hub accepted is a transit-gateway-attachment row too (issue 17)
        assertEquals(List.of("transit-gateway-attachment", "transit-gateway-peering", "transit-gateway-attachment-acceptance"),
                OwnedTypes.ec2Types("transit-gateway-attachment", "tgw-attach-1"));
        assertEquals(List.of("vpc-peering", "vpc-peering-acceptance"), OwnedTypes.ec2Types("vpc-peering-connection", "pcx-1"));
        // a ResourceType netstack does not know (moto spells EIPs vpc-elastic-ip): the id prefix decides
        assertEquals(List.of("elastic-ip"), OwnedTypes.ec2Types("vpc-elastic-ip", "eipalloc-1234"));
        assertEquals(List.of("transit-gateway-route-table"), OwnedTypes.ec2Types(null, "tgw-rtb-1"));
        assertEquals(List.of(), OwnedTypes.ec2Types("key-pair", "key-0123"), "the stack lock is no resource type");
        assertEquals(List.of(), OwnedTypes.ec2Types("instance", "i-0123"));
    }

    @Test
    void everyEc2KindIsFoundByItsResourceTypeAndByItsIdPrefix() {
        for (OwnedTypes.Ec2Kind k : OwnedTypes.EC2_KINDS) {
            assertEquals(k.types(), OwnedTypes.ec2Types(k.resourceType(), "x-1"), k.toString());
            // an unknown ResourceType: the longest matching prefix wins (tgw-attach- over tgw-, vpce-svc- over vpce-)
            assertEquals(k.types(), OwnedTypes.ec2Types("new-in-aws", k.idPrefix() + "0abc"), k.toString());
        }
    }

    @Test
    void taggingApiArnsNameTheGlobalTypes() {
        assertEquals(List.of("cloudfront-distribution"), OwnedTypes.globalTypes("arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE"));
        assertEquals(List.of("dx-gateway", "dx-gateway-association"), OwnedTypes.globalTypes("arn:aws:directconnect::123456789012:dx-gateway/5f294f92-bafb-4011-916d-9b0bEXAMPLE"));
        assertEquals(List.of("dx-virtual-interface"), OwnedTypes.globalTypes("arn:aws:directconnect:eu-west-1:123456789012:dxvif/dxvif-ffhhk74f"));
        assertEquals(List.of("ram-resource-share"), OwnedTypes.globalTypes("arn:aws:ram:eu-west-1:123456789012:resource-share/8548b0d6-7837-4bbb-bc2c-0af82d48c678"));
        assertEquals(List.of(), OwnedTypes.globalTypes("arn:aws:s3:::bucket"));
    }

    @Test
    void accessDeniedNamesTheIamActionAndThePolicyCommand() {
        AwsFailure ec2 = AwsCalls.map("vpc", "CreateVpc", denied("EC2", "UnauthorizedOperation", 403));
        assertEquals(ErrorCategory.ACCESS_DENIED, ec2.category());
        assertTrue(ec2.describe().contains("ec2:CreateVpc") && ec2.describe().contains("netstack policy"), ec2.describe());
        AwsFailure dx = AwsCalls.map(null, "DescribeDirectConnectGateways", denied("Direct Connect", "AccessDeniedException", 400));
        assertTrue(dx.describe().contains("directconnect:DescribeDirectConnectGateways"), dx.describe());
        AwsFailure tag = AwsCalls.map(null, "GetResources", denied("Resource Groups Tagging API", "AccessDeniedException", 400));
        assertTrue(tag.describe().contains("tag:GetResources"), tag.describe());
        AwsFailure cf = AwsCalls.map("cdn", "CreateDistributionWithTags", denied("CloudFront", "AccessDenied", 403));
        assertTrue(cf.describe().contains("cloudfront:CreateDistribution "), cf.describe());
        AwsFailure ram = AwsCalls.map("share", "CreateResourceShare", denied("RAM", "AccessDeniedException", 403));
        assertTrue(ram.describe().contains("ram:CreateResourceShare"), ram.describe());
        AwsFailure expired = AwsCalls.map("vpc", "CreateVpc", denied("EC2", "ExpiredToken", 400));
        assertFalse(expired.describe().contains("netstack policy"), "expired credentials are no missing permission");
    }

    static AwsServiceException denied(String service, String code, int status) {
        return AwsServiceException.builder().statusCode(status).message("not authorized")
                .awsErrorDetails(AwsErrorDetails.builder().serviceName(service).errorCode(code).errorMessage("not authorized").build()).build();
    }
}
