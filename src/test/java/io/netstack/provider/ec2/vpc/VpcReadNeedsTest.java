package io.netstack.provider.ec2.vpc;

import static io.netstack.provider.ec2.FakeEc2.error;
import static io.netstack.provider.ec2.FakeEc2.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.engine.DeclaredContext;
import io.netstack.engine.EngineContext;
import io.netstack.provider.AwsSession;
import io.netstack.provider.ec2.FakeEc2;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ReadNeeds;
import io.netstack.spi.TypeContext;
import io.netstack.stack.StackLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the vpc type's list reads the VPC's default security group, main route table and
 * default NACL only when the plan needs them (the file manages one, or references its id), each
 * on its own; without a stack file it reads all three. Against an in-process EC2 that answers
 * every read and records the calls.
 */
class VpcReadNeedsTest {
    static final String STACK = "needs";
    static final String VPC = "<item><vpcId>vpc-1</vpcId><ownerId>123456789012</ownerId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock>"
            + "<instanceTenancy>default</instanceTenancy>" + FakeEc2.ownedTags(STACK, "net") + "</item>";
    static final Set<String> DEFAULT_READS = Set.of("DescribeSecurityGroups", "DescribeRouteTables", "DescribeNetworkAcls");

    FakeEc2 aws;
    AwsSession session;
    VpcType type;
    final EngineContext ctx = FakeEc2.context(STACK);

    @BeforeEach
    void start() throws Exception {
        aws = new FakeEc2();
        session = aws.session();
        type = new VpcType(session);
        aws.script(p -> switch (p.get("Action")) {
            case "DescribeVpcs" -> ok("DescribeVpcs", "<vpcSet>" + VPC + "</vpcSet>");
            case "DescribeVpcAttribute" -> ok("DescribeVpcAttribute", "<vpcId>vpc-1</vpcId><enableDnsSupport><value>true</value></enableDnsSupport>"
                    + "<enableDnsHostnames><value>false</value></enableDnsHostnames>");
            case "DescribeSecurityGroups" -> ok("DescribeSecurityGroups", "<securityGroupInfo><item><ownerId>123456789012</ownerId><groupId>sg-1</groupId>"
                    + "<groupName>default</groupName><vpcId>vpc-1</vpcId><ipPermissions/><ipPermissionsEgress/></item></securityGroupInfo>");
            case "DescribeRouteTables" -> ok("DescribeRouteTables", "<routeTableSet><item><routeTableId>rtb-1</routeTableId><vpcId>vpc-1</vpcId>"
                    + "<routeSet/><associationSet><item><routeTableAssociationId>rtbassoc-1</routeTableAssociationId><routeTableId>rtb-1</routeTableId>"
                    + "<main>true</main></item></associationSet></item></routeTableSet>");
            case "DescribeNetworkAcls" -> ok("DescribeNetworkAcls", "<networkAclSet><item><networkAclId>acl-1</networkAclId><vpcId>vpc-1</vpcId>"
                    + "<default>true</default><entrySet/><associationSet/></item></networkAclSet>");
            default -> error(400, "InvalidAction", p.get("Action"));
        });
    }

    @AfterEach
    void stop() {
        session.close();
        aws.close();
    }

    TypeContext planOf(String vpcBlock, String outputs) {
        String text = "{ \"stack\": \"" + STACK + "\", \"region\": \"eu-west-1\", \"resources\": { \"net\": " + vpcBlock
                + ", \"web\": { \"type\": \"security-group\", \"vpc\": \"${net}\" } }" + outputs + " }";
        return DeclaredContext.of(ctx, StackLoader.parse("needs.json", text, Map.of()));
    }

    Set<String> defaultReads() {
        Set<String> out = new TreeSet<>();
        for (Map<String, String> c : aws.calls()) if (DEFAULT_READS.contains(c.get("Action"))) out.add(c.get("Action"));
        return out;
    }

    LiveResource list(TypeContext c) {
        List<LiveResource> all = type.list(c);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    @Test
    void aVpcThatManagesNoDefaultAndWhoseIdsNobodyReferencesReadsNone() {
        LiveResource l = list(planOf("{ \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" }", ""));
        assertEquals(Set.of(), defaultReads());
        assertEquals(1, aws.calls("DescribeVpcs").size());
        assertEquals(2, aws.calls("DescribeVpcAttribute").size());
        assertFalse(l.properties().has("defaultSecurityGroup") || l.properties().has("mainRouteTable") || l.properties().has("defaultNetworkAcl"), l.toString());
        assertEquals(Set.of("arn"), l.attributes().keySet());
    }

    @Test
    void aManagedDefaultIsReadAloneSoAHandMadeChangeShows() {
        LiveResource l = list(planOf("{ \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\", \"defaultSecurityGroup\": {} }", ""));
        assertEquals(Set.of("DescribeSecurityGroups"), defaultReads());
        assertTrue(l.properties().has("defaultSecurityGroup"), l.toString());
        assertEquals("sg-1", l.attributes().get("defaultSecurityGroupId"));
        assertFalse(l.attributes().containsKey("defaultRouteTableId"));
    }

    @Test
    void aReferencedIdIsRead() {
        LiveResource l = list(planOf("{ \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" }", ", \"outputs\": { \"main\": \"${net.defaultRouteTableId}\" }"));
        assertEquals(Set.of("DescribeRouteTables"), defaultReads());
        assertEquals("rtb-1", l.attributes().get("defaultRouteTableId"));

        VpcReads.Wanted fromBlock = VpcReads.Wanted.of(new ReadNeeds(false, Set.of("cidr"), Set.of("defaultNetworkAclId")));
        assertEquals(new VpcReads.Wanted(false, false, true), fromBlock);
    }

    @Test
    void withoutAStackFileAllThreeAreRead() {
        LiveResource l = list(ctx);
        assertEquals(DEFAULT_READS, defaultReads());
        assertEquals(Set.of("arn", "defaultSecurityGroupId", "defaultRouteTableId", "defaultNetworkAclId"), l.attributes().keySet());
        assertEquals(VpcReads.Wanted.ALL, VpcReads.Wanted.of(ReadNeeds.ALL));
    }
}
