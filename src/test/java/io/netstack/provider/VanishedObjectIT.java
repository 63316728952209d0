package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.engine.Step;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.Sleeper;
import io.netstack.stack.StackFile;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * An object deleted by hand between plan and apply: the planned update fails within seconds with
 * a NotFound naming the object, instead of retrying its NotFound as eventual consistency for the
 * 5-minute propagation timeout (issue 10). The plan is made with the engine (a CLI apply plans
 * again and would see the object gone), the objects are deleted with the SDK, the apply runs with
 * the real clock and the production retry and wait delays.
 */
@ExtendWith(AwsApiExtension.class)
class VanishedObjectIT {
    static final String REGION = "eu-west-1";
    /** Far below the 5-minute propagation timeout a NotFound used to be retried for. */
    static final Duration PROMPTLY = Duration.ofSeconds(20);

    private AwsApi api;
    private String stackFile;

    static String stack(String name, String team, boolean hostnames) {
        return """
            { "stack": "%s", "region": "eu-west-1", "tags": { "team": "%s" },
              "resources": {
                "vpc":    { "type": "vpc", "cidr": "10.77.0.0/16", "dnsHostnames": %s },
                "subnet": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.77.1.0/24", "zone": "eu-west-1a" },
                "web":    { "type": "security-group", "vpc": "${vpc}", "description": "web",
                            "ingress": [ { "protocol": "tcp", "ports": "%s", "from": "10.0.0.0/8" } ] }
              } }
            """.formatted(name, team, hostnames, hostnames ? "443" : "80");
    }

    @AfterEach
    void destroy() {
        if (stackFile != null) {
            Cli.Result r = Cli.run(api, REGION, "destroy", stackFile, "--auto-approve");
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void updatesOfASubnetAndASecurityGroupDeletedByHandFailAtOnceNamingThem(AwsApi api, @TempDir Path dir) throws Exception {
        Ec2Client ec2 = api.ec2(REGION);
        Path f = created(api, dir);
        String subnetId = owned(ec2, "subnet");
        String groupId = owned(ec2, "web");

        StackFiles.write(dir, "s.json", stack(stackName, "b", false).replace("\"80\"", "\"8080\""));
        try (Netstack ns = netstack(api)) {
            StackFile s = ns.load(f, Map.of());
            ns.validate(s);
            Plan plan = ns.plan(s, false);
            ec2.deleteSubnet(r -> r.subnetId(subnetId));
            ec2.deleteSecurityGroup(r -> r.groupId(groupId));

            long start = System.nanoTime();
            ApplyResult r = ns.apply(s, plan, 4, ExecutionListener.NONE, new AtomicBoolean());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(PROMPTLY) < 0, "failed after " + took);
            Map<String, AwsFailure> failed = failures(r);
            assertEquals(List.of("subnet", "web"), failed.keySet().stream().sorted().toList(), r.toString());
            assertNamesAndNotFound(failed.get("subnet"), "subnet", subnetId);
            assertNamesAndNotFound(failed.get("web"), "web", groupId);
        }
    }

    @Test
    void anUpdateOfAVpcDeletedByHandFailsAtOnceNamingIt(AwsApi api, @TempDir Path dir) throws Exception {
        Ec2Client ec2 = api.ec2(REGION);
        Path f = created(api, dir);
        String vpcId = owned(ec2, "vpc");
        String subnetId = owned(ec2, "subnet");
        String groupId = owned(ec2, "web");

        // Only the VPC changes; its subnet and group go first so that AWS lets the VPC go.
        StackFiles.write(dir, "s.json", stack(stackName, "a", true).replace("\"443\"", "\"80\""));
        try (Netstack ns = netstack(api)) {
            StackFile s = ns.load(f, Map.of());
            ns.validate(s);
            Plan plan = ns.plan(s, false);
            ec2.deleteSubnet(r -> r.subnetId(subnetId));
            ec2.deleteSecurityGroup(r -> r.groupId(groupId));
            ec2.deleteVpc(r -> r.vpcId(vpcId));

            long start = System.nanoTime();
            ApplyResult r = ns.apply(s, plan, 4, ExecutionListener.NONE, new AtomicBoolean());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(PROMPTLY) < 0, "failed after " + took);
            Map<String, AwsFailure> failed = failures(r);
            assertEquals(List.of("vpc"), List.copyOf(failed.keySet()), r.toString());
            assertNamesAndNotFound(failed.get("vpc"), "vpc", vpcId);
        }
        assertFalse(ec2.describeVpcs(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build())).vpcs().stream()
                .anyMatch(v -> v.vpcId().equals(vpcId)), "the VPC is not recreated by an update");
    }

    /** A route table and a network ACL (issue 10's migration of both): their finders see the object gone. */
    static String tables(String name, String team) {
        return """
            { "stack": "%s", "region": "eu-west-1", "tags": { "team": "%s" },
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.78.0.0/16" },
                "rt":  { "type": "route-table", "vpc": "${vpc}" },
                "acl": { "type": "network-acl", "vpc": "${vpc}" }
              } }
            """.formatted(name, team);
    }

    @Test
    void updatesOfARouteTableAndANetworkAclDeletedByHandFailAtOnceNamingThem(AwsApi api, @TempDir Path dir) throws Exception {
        Ec2Client ec2 = api.ec2(REGION);
        this.api = api;
        stackName = api.uniqueStack("vanish");
        Path f = StackFiles.write(dir, "s.json", tables(stackName, "a"));
        stackFile = f.toString();
        Cli.Result apply = Cli.run(api, REGION, "apply", stackFile, "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        String tableId = owned(ec2, "rt");
        String aclId = owned(ec2, "acl");

        StackFiles.write(dir, "s.json", tables(stackName, "b"));
        try (Netstack ns = netstack(api)) {
            StackFile s = ns.load(f, Map.of());
            ns.validate(s);
            Plan plan = ns.plan(s, false);
            ec2.deleteRouteTable(r -> r.routeTableId(tableId));
            ec2.deleteNetworkAcl(r -> r.networkAclId(aclId));

            long start = System.nanoTime();
            ApplyResult r = ns.apply(s, plan, 4, ExecutionListener.NONE, new AtomicBoolean());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(PROMPTLY) < 0, "failed after " + took);
            Map<String, AwsFailure> failed = failures(r);
            assertEquals(List.of("acl", "rt"), failed.keySet().stream().sorted().toList(), r.toString());
            assertNamesAndNotFound(failed.get("rt"), "rt", tableId);
            assertNamesAndNotFound(failed.get("acl"), "acl", aclId);
        }
    }

    private String stackName;

    static Netstack netstack(AwsApi api) {
        // The SDK's default chain reads these (as Cli.run does); any value works against moto.
        System.setProperty("aws.accessKeyId", AwsApi.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", AwsApi.SECRET_ACCESS_KEY);
        return new Netstack(AwsSettings.of(REGION, api.endpoint()), Sleeper.SYSTEM, 1.0);
    }

    private Path created(AwsApi api, Path dir) throws Exception {
        this.api = api;
        stackName = api.uniqueStack("vanish");
        Path f = StackFiles.write(dir, "s.json", stack(stackName, "a", false));
        stackFile = f.toString();
        Cli.Result apply = Cli.run(api, REGION, "apply", stackFile, "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        return f;
    }

    private String owned(Ec2Client ec2, String id) {
        List<Filter> tags = List.of(Filter.builder().name("tag:netstack:stack").values(stackName).build(),
                Filter.builder().name("tag:netstack:id").values(id).build());
        return switch (id) {
            case "vpc" -> ec2.describeVpcs(r -> r.filters(tags)).vpcs().get(0).vpcId();
            case "subnet" -> ec2.describeSubnets(r -> r.filters(tags)).subnets().get(0).subnetId();
            case "rt" -> ec2.describeRouteTables(r -> r.filters(tags)).routeTables().get(0).routeTableId();
            case "acl" -> ec2.describeNetworkAcls(r -> r.filters(tags)).networkAcls().get(0).networkAclId();
            default -> ec2.describeSecurityGroups(r -> r.filters(tags)).securityGroups().get(0).groupId();
        };
    }

    static Map<String, AwsFailure> failures(ApplyResult r) {
        return r.failed().entrySet().stream().filter(e -> e.getKey().phase() == Step.Phase.UPDATE)
                .collect(Collectors.toMap(e -> e.getKey().change().id(), e -> assertInstanceOf(AwsFailure.class, e.getValue())));
    }

    static void assertNamesAndNotFound(AwsFailure f, String id, String awsId) {
        assertEquals(ErrorCategory.NOT_FOUND, f.category(), f.describe());
        String msg = f.describe();
        assertTrue(msg.startsWith(id + ": "), msg);
        assertTrue(msg.contains(awsId + " not found"), msg);
    }
}
