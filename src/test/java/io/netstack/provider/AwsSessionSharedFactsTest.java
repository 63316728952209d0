package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 12: what one session remembers so that types do not read it again (no AWS call is made here). */
class AwsSessionSharedFactsTest {
    final AwsSession aws = new AwsSession(AwsSettings.of("eu-west-1", URI.create("http://127.0.0.1:9")));

    @Test
    void onlyIdsThisSessionCreatedAreFresh() {
        aws.created("sg-1");
        assertTrue(aws.fresh("sg-1"));
        assertFalse(aws.fresh("sg-2"), "an id the session did not create: a NotFound about it is final");
        assertFalse(aws.fresh(null));
    }

    @Test
    void aFreshIdIsClaimedOnce() {
        aws.created("eipalloc-1");
        assertTrue(aws.claimFresh("eipalloc-1"), "the first NAT gateway given a new address need not wait for it");
        assertFalse(aws.claimFresh("eipalloc-1"), "a second one might meet the first (deleted) still holding it");
        assertFalse(aws.claimFresh("eipalloc-2"), "an address this session did not allocate is never claimed");
    }

    @Test
    void theDefaultNetworkAclIsReadOncePerVpc() {
        AtomicInteger reads = new AtomicInteger();
        assertEquals("acl-1", aws.defaultNetworkAcl("vpc-1", v -> "acl-" + reads.incrementAndGet()));
        assertEquals("acl-1", aws.defaultNetworkAcl("vpc-1", v -> "acl-" + reads.incrementAndGet()));
        assertEquals(1, reads.get());
        aws.knownDefaultNetworkAcl("vpc-2", "acl-9");
        assertEquals("acl-9", aws.defaultNetworkAcl("vpc-2", v -> "acl-" + reads.incrementAndGet()), "what the vpc type read is shared");
        assertEquals(1, reads.get());
    }

    @Test
    void theVpcIpv6BlockIsKnownUnknownOrAbsent() {
        assertEquals(Optional.empty(), aws.vpcIpv6("vpc-1"));
        assertFalse(aws.vpcWithoutIpv6("vpc-1"), "never seen: not known to be without IPv6");
        aws.knownVpcIpv6("vpc-1", null);
        assertTrue(aws.vpcWithoutIpv6("vpc-1"));
        assertEquals(Optional.empty(), aws.vpcIpv6("vpc-1"));
        aws.knownVpcIpv6("vpc-1", "2600:1f18::/56");
        assertEquals(Optional.of("2600:1f18::/56"), aws.vpcIpv6("vpc-1"));
        assertFalse(aws.vpcWithoutIpv6("vpc-1"));
        aws.unknownVpcIpv6("vpc-1");
        assertEquals(Optional.empty(), aws.vpcIpv6("vpc-1"));
        assertFalse(aws.vpcWithoutIpv6("vpc-1"), "while the block changes, nothing is assumed");
    }
}
