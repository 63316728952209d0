package io.netstack.provider.ec2.vpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.bench.CallCounter;
import io.netstack.engine.Action;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.Change;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.provider.AwsSettings;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Issue 12: a plan reads a VPC's default security group, main route table and default NACL only
 * when the file needs them. Against moto, counting the SDK calls of in-process no-change plans:
 * a VPC that manages none of them and whose ids nothing references costs no such read; one that
 * manages its default security group costs one DescribeSecurityGroups more, and a rule added to
 * that group by hand is still a change in the plan; a reference to the group's id (a rule and an
 * output) costs the same one read and resolves, so the plan stays empty. The stacks are in
 * us-east-1 (a global-type hint would be one GetResources there; this stack has no marker, so none).
 */
@ExtendWith(AwsApiExtension.class)
class VpcDefaultsReadScopeIT {
    static final String REGION = "us-east-1";

    static String stack(String name, String vpcExtra, String ingress, String outputs) {
        return """
            { "stack": "%s", "region": "us-east-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.72.0.0/16"%s },
                "web": { "type": "security-group", "vpc": "${vpc}", "description": "web", "ingress": [%s] }
              }%s }
            """.formatted(name, vpcExtra, ingress, outputs);
    }

    /** Calls of one plan of {@code s}, which must have no changes. */
    static Map<String, Integer> noChangePlan(Netstack ns, CallCounter counter, StackFile s) {
        counter.reset();
        Plan p = ns.plan(s, false);
        Map<String, Integer> calls = counter.attemptCounts();
        assertFalse(p.hasChanges(), "no change: " + p.actionable() + " " + calls);
        return calls;
    }

    static void apply(Netstack ns, StackFile s, boolean destroy) {
        ApplyResult r = ns.apply(s, ns.plan(s, destroy), 4, ExecutionListener.NONE, new AtomicBoolean());
        assertTrue(r.success(), (destroy ? "destroy: " : "apply: ") + r.failed());
    }

    @Test
    void theDefaultsAreReadOnlyWhenManagedOrReferenced(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("vpc-needs");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        CallCounter counter = new CallCounter();
        AwsSettings settings = new AwsSettings(null, api.endpoint(), null, AwsSettings.DEFAULT_MAX_ATTEMPTS, List.of(counter));
        Ec2Client ec2 = api.ec2(REGION);
        String rule = "{ \"protocol\": \"tcp\", \"ports\": \"443\", \"from\": \"10.0.0.0/8\" }";
        try (Netstack ns = new Netstack(settings, io.netstack.spi.Sleeper.SYSTEM, 0.05)) {
            // 1. nothing needs the defaults: none of the three is read
            StackFile plain = ns.load(StackFiles.write(dir, "plain.json", stack(name, "", rule, "")), Map.of());
            apply(ns, plain, false);
            Map<String, Integer> calls = noChangePlan(ns, counter, plain);
            assertEquals(1, calls.get("DescribeSecurityGroups"), "only the security-group type's own list: " + calls);
            assertFalse(calls.containsKey("DescribeRouteTables") || calls.containsKey("DescribeNetworkAcls"), calls.toString());
            assertFalse(calls.containsKey("GetResources"), "no global-type marker: the tagging API is not asked " + calls);
            int without = total(calls);
            // vpc, security-group, DescribeTags, DescribeVpcAttribute × 2: the N + 1 + 2 per VPC
            assertEquals(5, without, calls.toString());

            // 2. the VPC manages its default group: one read more, and a hand-made rule is a change
            StackFile managed = ns.load(StackFiles.write(dir, "managed.json",
                    stack(name, ", \"defaultSecurityGroup\": {}", rule, "")), Map.of());
            apply(ns, managed, false);
            calls = noChangePlan(ns, counter, managed);
            assertEquals(2, calls.get("DescribeSecurityGroups"), calls.toString());
            assertFalse(calls.containsKey("DescribeRouteTables") || calls.containsKey("DescribeNetworkAcls"), calls.toString());
            assertEquals(without + 1, total(calls), calls.toString());
            String vpcId = ns.read(managed).byId().get("vpc").awsId();
            SecurityGroup dsg = defaultGroup(ec2, vpcId);
            assertTrue(dsg.ipPermissions().isEmpty() && dsg.ipPermissionsEgress().isEmpty(), "the apply emptied it: " + dsg);
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(dsg.groupId()).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22).toPort(22)
                    .ipRanges(x -> x.cidrIp("0.0.0.0/0"))));
            Change vpc = change(ns.plan(managed, false), "vpc");
            assertEquals(Action.UPDATE, vpc.action(), vpc.toString());
            assertTrue(vpc.diffs().stream().anyMatch(d -> d.topLevel().equals("defaultSecurityGroup")), vpc.diffs().toString());
            apply(ns, managed, false);
            assertTrue(defaultGroup(ec2, vpcId).ipPermissions().isEmpty(), "the apply removed the hand-made rule");

            // 3. a rule and an output reference the group's id: read once, resolved, no change
            String fromDefault = "{ \"protocol\": \"tcp\", \"ports\": \"443\", \"from\": \"${vpc.defaultSecurityGroupId}\" }";
            StackFile referencing = ns.load(StackFiles.write(dir, "ref.json",
                    stack(name, "", fromDefault, ", \"outputs\": { \"dsg\": \"${vpc.defaultSecurityGroupId}\" }")), Map.of());
            apply(ns, referencing, false);
            calls = noChangePlan(ns, counter, referencing);
            assertEquals(2, calls.get("DescribeSecurityGroups"), calls.toString());
            assertFalse(calls.containsKey("DescribeRouteTables") || calls.containsKey("DescribeNetworkAcls"), calls.toString());
            assertEquals(without + 1, total(calls), calls.toString());
            assertEquals(dsg.groupId(), ns.outputs(referencing, ns.read(referencing).byId()).get("dsg"));
            String webId = ns.read(referencing).byId().get("web").awsId();
            SecurityGroup web = ec2.describeSecurityGroups(r -> r.groupIds(webId)).securityGroups().get(0);
            assertEquals(dsg.groupId(), web.ipPermissions().get(0).userIdGroupPairs().get(0).groupId(), web.toString());

            apply(ns, referencing, true);
        }
    }

    static int total(Map<String, Integer> calls) {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Change change(Plan p, String id) {
        return p.changes().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id + " not in " + p.changes()));
    }

    static SecurityGroup defaultGroup(Ec2Client ec2, String vpcId) {
        return ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpcId), f -> f.name("group-name").values("default")))
                .securityGroups().get(0);
    }
}
