package io.netstack.provider.ec2.flowlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FlowLog;

/**
 * flow-log round trip against moto, CloudWatch Logs destination (moto needs nothing behind it; an
 * S3 destination would need the bucket in moto's S3): a VPC log with 60 s aggregation and a subnet
 * log with a custom format; no-change plan; tags in place; any other change is a replacement
 * (AWS cannot modify flow logs); destroy leaves nothing owned.
 */
@ExtendWith(AwsApiExtension.class)
class FlowLogIT {
    static final String REGION = "eu-west-1";
    static final String ROLE = "arn:aws:iam::123456789012:role/flow-logs";

    static String stack(String name, String subnetTraffic, String team) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.74.0.0/16" },
                "app": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.74.1.0/24" },
                "vpc-log": { "type": "flow-log", "resource": "${vpc}", "aggregationSeconds": 60,
                             "destination": { "cloudWatchLogs": "arn:aws:logs:eu-west-1:123456789012:log-group:/netstack/%s:*", "role": "%s" },
                             "tags": { "team": "%s" } },
                "app-log": { "type": "flow-log", "resource": "${app}", "traffic": "%s",
                             "destination": { "cloudWatchLogs": "/netstack/%s-app", "role": "%s" },
                             "format": ["version", "srcaddr", "dstaddr", "action"] }
              } }
            """.formatted(name, name, ROLE, team, subnetTraffic, name, ROLE);
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("flowlog");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, "REJECT", "net"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());

        Map<String, FlowLog> logs = owned(ec2, name);
        FlowLog vpcLog = logs.get("vpc-log"), appLog = logs.get("app-log");
        assertTrue(vpcLog.resourceId().startsWith("vpc-"));
        assertEquals("ALL", vpcLog.trafficTypeAsString(), "traffic defaults to ALL");
        assertEquals(60, vpcLog.maxAggregationInterval());
        assertEquals(ROLE, vpcLog.deliverLogsPermissionArn());
        assertTrue(appLog.resourceId().startsWith("subnet-"));
        assertEquals("REJECT", appLog.trafficTypeAsString());
        assertEquals("/netstack/" + name + "-app", appLog.logGroupName());
        assertEquals("${version} ${srcaddr} ${dstaddr} ${action}", appLog.logFormat());
        assertEquals(600, appLog.maxAggregationInterval(), "aggregation defaults to 600 s");

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());

        // A flow log added by hand on the stack's VPC is unmanaged drift.
        String handMade = ec2.createFlowLogs(r -> r.resourceIds(vpcLog.resourceId()).resourceType("VPC").trafficType("ACCEPT")
                .logDestinationType("cloud-watch-logs").logGroupName("hand-made").deliverLogsPermissionArn(ROLE)).flowLogIds().get(0);
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString());
        assertEquals(2, drift.exit(), drift.toString());
        assertTrue(drift.out().contains(handMade), drift.toString());
        ec2.deleteFlowLogs(r -> r.flowLogIds(handMade));

        // Tags change in place.
        StackFiles.write(dir, "s.json", stack(name, "REJECT", "platform"));
        Cli.Result tags = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        JsonNode tc = Json.MAPPER.readTree(tags.out()).get("changes");
        assertEquals(1, tc.size(), tags.out());
        assertEquals("update", tc.get(0).get("action").asText());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertEquals(vpcLog.flowLogId(), owned(ec2, name).get("vpc-log").flowLogId());

        // Everything else replaces.
        StackFiles.write(dir, "s.json", stack(name, "ALL", "platform"));
        Cli.Result replace = Cli.run(api, REGION, "plan", f.toString());
        assertTrue(replace.out().contains("traffic is create-only"), replace.toString());
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        FlowLog replaced = owned(ec2, name).get("app-log");
        assertNotEquals(appLog.flowLogId(), replaced.flowLogId());
        assertEquals("ALL", replaced.trafficTypeAsString());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
    }

    @Test
    void badDestinationsAreCaughtOffline(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.75.0.0/16" },
                "both": { "type": "flow-log", "resource": "${vpc}", "destination": { "s3": "arn:aws:s3:::logs", "cloudWatchLogs": "g", "role": "%s" } },
                "norole": { "type": "flow-log", "resource": "${vpc}", "destination": { "cloudWatchLogs": "g" } },
                "agg": { "type": "flow-log", "resource": "${vpc}", "destination": { "s3": "arn:aws:s3:::logs" }, "aggregationSeconds": 300 },
                "fmt": { "type": "flow-log", "resource": "${vpc}", "destination": { "s3": "arn:aws:s3:::logs" }, "format": ["version", "$src"] }
              } }
            """.formatted(api.uniqueStack("flowlog-bad"), ROLE));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        for (String m : List.of("give exactly one destination", "needs \"role\"", "aggregationSeconds is 60 or 600", "is not a flow log field name")) {
            assertTrue(r.all().contains(m), m + "\n" + r);
        }
    }

    static Map<String, FlowLog> owned(Ec2Client ec2, String stack) {
        return ec2.describeFlowLogs(r -> r.filter(f -> f.name("tag:netstack:stack").values(stack))).flowLogs().stream()
                .collect(Collectors.toMap(l -> l.tags().stream().filter(t -> t.key().equals("netstack:id")).findFirst().orElseThrow().value(), l -> l));
    }
}
