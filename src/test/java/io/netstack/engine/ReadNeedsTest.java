package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.spi.ReadNeeds;
import io.netstack.stack.StackFile;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: what a plan tells each type it needs of its objects ({@link DeclaredContext#needs}):
 * the properties the file writes on that type's blocks and the attributes its blocks and outputs
 * reference on them; without a file, everything.
 */
class ReadNeedsTest {
    static final String BLOCKS = """
            "net": {"type": "vpc", "cidr": "10.0.0.0/16", "mainRouteTable": {}},
            "other": {"type": "vpc", "cidr": "10.1.0.0/16", "dnsHostnames": true},
            "web": {"type": "security-group", "vpc": "${net}", "ingress": [{"protocol": "tcp", "ports": "443", "from": "${net.defaultSecurityGroupId}"}]},
            "sub": {"type": "subnet", "vpc": "${net.id}", "cidr": "10.0.1.0/24"}
            """;

    @Test
    void propertiesAreThoseWrittenOnTheTypesBlocksAndAttributesThoseReferencedOnThem() {
        StackFile s = FakeEngine.stack(BLOCKS);
        ReadNeeds vpc = DeclaredContext.needs(s, "vpc");
        assertFalse(vpc.all());
        assertEquals(Set.of("cidr", "mainRouteTable", "dnsHostnames"), vpc.properties());
        assertEquals(Set.of("defaultSecurityGroupId"), vpc.attributes(), "${net.id} and ${net} are the AWS id every read gives");
        assertTrue(vpc.property("mainRouteTable"));
        assertFalse(vpc.property("defaultSecurityGroup"));
        assertFalse(vpc.attribute("defaultNetworkAclId"));

        ReadNeeds group = DeclaredContext.needs(s, "security-group");
        assertEquals(Set.of(), group.attributes(), "the reference is to a vpc's attribute, not a group's");
        assertTrue(group.property("ingress"));
    }

    @Test
    void outputsCountAsReferences() {
        StackFile s = FakeEngine.parse(FakeEngine.text("\"net\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}\n",
                "  \"outputs\": {\"acl\": \"${net.defaultNetworkAclId}\", \"vpc\": \"${net}\"},\n"));
        ReadNeeds vpc = DeclaredContext.needs(s, "vpc");
        assertEquals(Set.of("defaultNetworkAclId"), vpc.attributes());
        assertFalse(vpc.property("defaultNetworkAcl"));
    }

    @Test
    void withoutAFileEverythingIsNeeded() {
        ReadNeeds n = new FakeEngine().ctx.needs("vpc");
        assertTrue(n.all());
        assertTrue(n.property("defaultSecurityGroup") && n.attribute("defaultRouteTableId"));
        assertEquals(DeclaredContext.needs(FakeEngine.stack(BLOCKS), "vpc"), DeclaredContext.of(new FakeEngine().ctx, FakeEngine.stack(BLOCKS)).needs("vpc"),
                "a plan's context answers from its file");
    }
}
