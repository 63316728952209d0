package io.netstack.provider.ram.resourceshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.engine.Json;
import org.junit.jupiter.api.Test;

/** ARNs and ids of shared resources compare equal; principals are checked offline. */
class RamResourceShareTypeTest {
    @Test
    void ec2ArnsReadAsIdsOtherArnsStay() throws Exception {
        ObjectNode p = (ObjectNode) Json.MAPPER.readTree("""
            { "resources": ["arn:aws:ec2:eu-west-1:123456789012:transit-gateway/tgw-0abc123", "subnet-1",
                            "arn:aws:ec2:eu-west-1:123456789012:prefix-list/pl-0f00", "arn:aws:route53resolver:eu-west-1:123456789012:resolver-rule/rslvr-rr-1"] }
            """);
        new RamResourceShareType(null).normalize(p);
        assertEquals(Json.MAPPER.readTree("[\"tgw-0abc123\", \"subnet-1\", \"pl-0f00\", \"arn:aws:route53resolver:eu-west-1:123456789012:resolver-rule/rslvr-rr-1\"]"),
                p.get("resources"));
    }

    @Test
    void principalsAreAccountsOrganizationsOusRolesOrUsers() {
        for (String ok : new String[] {"123456789012", "arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5",
                "arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdef3456", "arn:aws:iam::123456789012:role/net"}) {
            assertTrue(RamResourceShareType.PRINCIPAL.matcher(ok).matches(), ok);
        }
        for (String bad : new String[] {"12345678901", "o-a1b2c3d4e5", "arn:aws:iam::123456789012:group/x", "*"}) {
            assertFalse(RamResourceShareType.PRINCIPAL.matcher(bad).matches(), bad);
        }
    }
}
