package io.netstack.testing.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the test IAM proxy names the actions of requests, and what it allows. */
class AccessDenyProxyTest {
    static URI uri(String s) {
        return URI.create("http://127.0.0.1" + s);
    }

    @Test
    void cloudFrontRestPathsAreIamActions() {
        assertEquals("cloudfront:ListDistributions", AccessDenyProxy.cloudFront("GET", uri("/2020-05-31/distribution")));
        assertEquals("cloudfront:GetDistribution", AccessDenyProxy.cloudFront("GET", uri("/2020-05-31/distribution/E123")));
        assertEquals("cloudfront:DeleteDistribution", AccessDenyProxy.cloudFront("DELETE", uri("/2020-05-31/distribution/E123")));
        assertEquals("cloudfront:GetDistributionConfig", AccessDenyProxy.cloudFront("GET", uri("/2020-05-31/distribution/E123/config")));
        assertEquals("cloudfront:UpdateDistribution", AccessDenyProxy.cloudFront("PUT", uri("/2020-05-31/distribution/E123/config")));
        assertEquals("cloudfront:ListTagsForResource", AccessDenyProxy.cloudFront("GET", uri("/2020-05-31/tagging?Resource=arn")));
        assertEquals("cloudfront:UntagResource", AccessDenyProxy.cloudFront("POST", uri("/2020-05-31/tagging?Operation=Untag&Resource=arn")));
        FaultProxy.Request create = new FaultProxy.Request(FaultProxy.Protocol.REST, "cloudfront", "REST POST distribution", Map.of());
        assertEquals(List.of("cloudfront:CreateDistribution", "cloudfront:TagResource"),
                AccessDenyProxy.iamActions(create, "POST", uri("/2020-05-31/distribution?WithTags")));
    }

    @Test
    void jsonAndQueryProtocolsUseTheirOperationAndIamPrefix() {
        FaultProxy.Request tag = new FaultProxy.Request(FaultProxy.Protocol.JSON, "tagging", "GetResources", Map.of());
        assertEquals(List.of("tag:GetResources"), AccessDenyProxy.iamActions(tag, "POST", uri("/")));
        FaultProxy.Request ec2 = new FaultProxy.Request(FaultProxy.Protocol.QUERY, "ec2", "CreateVpc", Map.of());
        assertEquals(List.of("ec2:CreateVpc"), AccessDenyProxy.iamActions(ec2, "POST", uri("/")));
    }

    @Test
    void allowsExactActionsAndServiceWildcards() {
        try (AccessDenyProxy p = AccessDenyProxy.start(uri(":9"))) {
            p.allow(Set.of("ec2:DescribeVpcs", "tag:*"));
            assertTrue(p.allows("ec2:DescribeVpcs"));
            assertTrue(p.allows("tag:GetResources"));
            assertFalse(p.allows("ec2:DescribeSubnets"));
            assertFalse(p.allows("directconnect:DescribeDirectConnectGateways"));
        }
    }
}
