package io.netstack.provider.ec2.vpcendpoint;

import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointOptionsIT.plan;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.REGION;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.apply;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.netstack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.Action;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.Change;
import io.netstack.engine.Plan;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.SubnetConfiguration;

/**
 * Issue 11: vpc-endpoint {@code subnetConfigurations} (fixed IPs per subnet). moto 5.2.1 accepts
 * CreateVpcEndpoint's SubnetConfigurations but ignores them: it gives each endpoint network
 * interface a random private address. The interceptor on netstack's own clients keeps what
 * CreateVpcEndpoint asked for and puts those addresses into moto's DescribeNetworkInterfaces
 * answer, as AWS would; the endpoints, their interfaces and subnets are moto's own.
 */
@ExtendWith(AwsApiExtension.class)
class VpcEndpointFixedIpIT {
    private String stackFile;
    private AwsApi api;

    static String stack(String name) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.79.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.79.1.0/24", "zone": "eu-west-1a" },
                "b":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.79.2.0/24", "zone": "eu-west-1b" },
                "ep":  { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "interface", "service": "ssm", "subnets": ["${a}", "${b}"],
                         "subnetConfigurations": [ { "subnet": "${a}", "ipv4": "10.79.1.10" }, { "subnet": "${b}", "ipv4": "10.79.2.10" } ] },
                "logs": { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "interface", "service": "logs", "subnets": ["${a}"],
                          "subnetConfigurations": [ { "subnet": "${a}", "ipv4": "10.79.1.11" } ] },
                "free": { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "interface", "service": "sts", "subnets": ["${b}"] }
              } }
            """.formatted(name);
    }

    @AfterEach
    void destroy() {
        if (stackFile != null) {
            Cli.Result r = Cli.run(api, REGION, "destroy", stackFile, "--auto-approve");
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void fixedIpsAreSentReadBackFromTheInterfacesAndDriftReplaces(AwsApi api, @TempDir Path dir) {
        this.api = api;
        Path f = StackFiles.write(dir, "s.json", stack(api.uniqueStack("endpoint-fixed-ip")));
        stackFile = f.toString();
        FixedIps aws = new FixedIps();
        try (Netstack ns = netstack(api, aws, new VpcEndpointWaitIT.FakeClock(0))) {
            ApplyResult r = apply(ns, f);
            assertTrue(r.success(), () -> "apply failed: " + r.failed());
            String subnetA = r.resources().get("a").awsId(), subnetB = r.resources().get("b").awsId();
            String ep = r.resources().get("ep").awsId();

            CreateVpcEndpointRequest created = aws.creates.stream().filter(c -> c.serviceName().endsWith(".ssm")).findFirst().orElseThrow();
            assertEquals(Set.of(subnetA + "=10.79.1.10", subnetB + "=10.79.2.10"),
                    Set.copyOf(created.subnetConfigurations().stream().map(c -> c.subnetId() + "=" + c.ipv4()).toList()));
            CreateVpcEndpointRequest free = aws.creates.stream().filter(c -> c.serviceName().endsWith(".sts")).findFirst().orElseThrow();
            assertTrue(free.subnetConfigurations().isEmpty(), "omitted: not sent");

            aws.interfaceReads.clear();
            assertFalse(plan(ns, f).hasChanges(), "read back as written");
            assertEquals(1, aws.interfaceReads.size(), "one DescribeNetworkInterfaces for all endpoints: " + aws.interfaceReads);
            assertEquals(4, aws.interfaceReads.get(0).filters().get(0).values().size(), "the interfaces of all three interface endpoints");

            // the address of subnet b changed outside netstack: create-only, so the plan replaces
            aws.fixed.put(ep + "/" + subnetB, "10.79.2.99");
            Plan drifted = plan(ns, f);
            Change c = drifted.changes().stream().filter(x -> x.id().equals("ep")).findFirst().orElseThrow();
            assertEquals(Action.REPLACE, c.action(), c.toString());
            assertTrue(c.diffs().stream().anyMatch(d -> d.path().startsWith("subnetConfigurations")), c.toString());
            assertEquals(Set.of("ep"), Set.copyOf(drifted.actionable().stream().map(Change::id).toList()));
        }
    }

    /** What CreateVpcEndpoint asked for, answered as the interfaces' addresses by DescribeNetworkInterfaces. */
    static final class FixedIps implements ExecutionInterceptor {
        final List<CreateVpcEndpointRequest> creates = new CopyOnWriteArrayList<>();
        final List<DescribeNetworkInterfacesRequest> interfaceReads = new CopyOnWriteArrayList<>();
        /** "vpce-…/subnet-…" → IPv4 address. */
        final Map<String, String> fixed = new ConcurrentHashMap<>();
        /** eni-… → vpce-…, learnt from moto's endpoints. */
        final Map<String, String> endpointOf = new ConcurrentHashMap<>();

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            SdkRequest req = c.request();
            SdkResponse r = c.response();
            if (req instanceof CreateVpcEndpointRequest cr && r instanceof CreateVpcEndpointResponse resp) {
                creates.add(cr);
                String id = resp.vpcEndpoint().vpcEndpointId();
                for (SubnetConfiguration s : cr.subnetConfigurations()) if (s.ipv4() != null) fixed.put(id + "/" + s.subnetId(), s.ipv4());
                resp.vpcEndpoint().networkInterfaceIds().forEach(n -> endpointOf.put(n, id));
            } else if (r instanceof DescribeVpcEndpointsResponse d) {
                d.vpcEndpoints().forEach(e -> e.networkInterfaceIds().forEach(n -> endpointOf.put(n, e.vpcEndpointId())));
            } else if (req instanceof DescribeNetworkInterfacesRequest dr && r instanceof DescribeNetworkInterfacesResponse d) {
                if (dr.filters().stream().anyMatch(x -> x.name().equals("network-interface-id"))) interfaceReads.add(dr);
                return d.toBuilder().networkInterfaces(d.networkInterfaces().stream().map(n -> {
                    String ip = fixed.get(endpointOf.get(n.networkInterfaceId()) + "/" + n.subnetId());
                    return ip == null ? n : n.toBuilder().privateIpAddress(ip).build();
                }).toList()).build();
            }
            return r;
        }
    }
}
