package io.netstack.provider.ec2.vpcendpoint;

import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.REGION;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.apply;
import static io.netstack.provider.ec2.vpcendpoint.VpcEndpointWaitIT.netstack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.Plan;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.DnsOptions;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * Issue 11: vpc-endpoint {@code ipAddressType} and {@code dnsOptions}, and an interface endpoint
 * with no subnets. moto accepts DnsOptions and IpAddressType on CreateVpcEndpoint and
 * ModifyVpcEndpoint but ignores them (docs/moto-notes.md): an SDK interceptor on netstack's own clients
 * keeps what those calls asked for and answers it in DescribeVpcEndpoints, as AWS does. The calls
 * themselves reach moto; the subnets (or none) are moto's own.
 */
@ExtendWith(AwsApiExtension.class)
class VpcEndpointOptionsIT {
    private String stackFile;
    private AwsApi api;

    static String stack(String name, String recordIpType) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.77.0.0/16" },
                "a":   { "type": "subnet", "vpc": "${vpc}", "cidr": "10.77.1.0/24", "zone": "eu-west-1a" },
                "ep":  { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "interface", "service": "ssm", "subnets": ["${a}"],
                         "ipAddressType": "ipv4", "dnsOptions": { "recordIpType": "%s" } },
                "bare": { "type": "vpc-endpoint", "vpc": "${vpc}", "kind": "interface", "service": "logs" }
              } }
            """.formatted(name, recordIpType);
    }

    @AfterEach
    void destroy() {
        if (stackFile != null) {
            Cli.Result r = Cli.run(api, REGION, "destroy", stackFile, "--auto-approve");
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void optionsAreCreatedReadBackAndChangedInPlace(AwsApi api, @TempDir Path dir) {
        this.api = api;
        String name = api.uniqueStack("endpoint-options");
        Path f = StackFiles.write(dir, "s.json", stack(name, "ipv4"));
        stackFile = f.toString();
        KeepOptions aws = new KeepOptions();
        try (Netstack ns = netstack(api, aws, new VpcEndpointWaitIT.FakeClock(0))) {
            ApplyResult r = apply(ns, f);
            assertTrue(r.success(), () -> "apply failed: " + r.failed());
            String ep = r.resources().get("ep").awsId(), bare = r.resources().get("bare").awsId();
            CreateVpcEndpointRequest created = aws.creates.stream().filter(c -> c.serviceName().endsWith(".ssm")).findFirst().orElseThrow();
            assertEquals("ipv4", created.ipAddressTypeAsString());
            assertEquals("ipv4", created.dnsOptions().dnsRecordIpTypeAsString());
            assertNull(created.dnsOptions().privateDnsOnlyForInboundResolverEndpoint(), "sent only when on: AWS takes it for s3/dynamodb only");
            CreateVpcEndpointRequest bareCreate = aws.creates.stream().filter(c -> c.serviceName().endsWith(".logs")).findFirst().orElseThrow();
            assertTrue(bareCreate.subnetIds().isEmpty(), "no subnets asked for");
            assertNull(bareCreate.dnsOptions(), "omitted options are not sent");
            VpcEndpoint moto = api.ec2(REGION).describeVpcEndpoints(x -> x.vpcEndpointIds(bare)).vpcEndpoints().get(0);
            assertTrue(moto.subnetIds().isEmpty(), "the interface endpoint exists without subnets");
            assertFalse(plan(ns, f).hasChanges(), "read back as written");

            // a changed DNS record type is one ModifyVpcEndpoint, in place
            StackFiles.write(dir, "s.json", stack(name, "service-defined"));
            assertTrue(plan(ns, f).hasChanges());
            ApplyResult u = apply(ns, f);
            assertTrue(u.success(), () -> "update failed: " + u.failed());
            assertEquals(ep, u.resources().get("ep").awsId(), "not replaced");
            assertEquals(1, aws.modifies.size(), aws.modifies.toString());
            assertEquals("service-defined", aws.modifies.get(0).dnsOptions().dnsRecordIpTypeAsString());
            assertFalse(plan(ns, f).hasChanges());

            // changed outside netstack: drift, and apply puts it back
            aws.options.put(ep, DnsOptions.builder().dnsRecordIpType("dualstack").privateDnsOnlyForInboundResolverEndpoint(false).build());
            assertTrue(plan(ns, f).hasChanges(), "a record type changed by hand shows");
            assertTrue(apply(ns, f).success());
            assertEquals("service-defined", aws.options.get(ep).dnsRecordIpTypeAsString());
        }
    }

    static Plan plan(Netstack ns, Path f) {
        var s = ns.load(f, Map.of());
        ns.validate(s);
        return ns.plan(s, false);
    }

    /** What CreateVpcEndpoint/ModifyVpcEndpoint asked for, answered by DescribeVpcEndpoints. */
    static final class KeepOptions implements ExecutionInterceptor {
        final List<CreateVpcEndpointRequest> creates = new CopyOnWriteArrayList<>();
        final List<ModifyVpcEndpointRequest> modifies = new CopyOnWriteArrayList<>();
        final Map<String, DnsOptions> options = new ConcurrentHashMap<>();
        final Map<String, String> ipTypes = new ConcurrentHashMap<>();

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            SdkRequest req = c.request();
            SdkResponse r = c.response();
            if (req instanceof CreateVpcEndpointRequest cr && r instanceof CreateVpcEndpointResponse resp) {
                creates.add(cr);
                keep(resp.vpcEndpoint().vpcEndpointId(), cr.dnsOptions() == null ? null : cr.dnsOptions().dnsRecordIpTypeAsString(),
                        cr.dnsOptions() == null ? null : cr.dnsOptions().privateDnsOnlyForInboundResolverEndpoint(), cr.ipAddressTypeAsString());
            } else if (req instanceof ModifyVpcEndpointRequest m) {
                modifies.add(m);
                keep(m.vpcEndpointId(), m.dnsOptions() == null ? null : m.dnsOptions().dnsRecordIpTypeAsString(),
                        m.dnsOptions() == null ? null : m.dnsOptions().privateDnsOnlyForInboundResolverEndpoint(), m.ipAddressTypeAsString());
            } else if (r instanceof DescribeVpcEndpointsResponse d) {
                return d.toBuilder().vpcEndpoints(d.vpcEndpoints().stream().map(e -> {
                    VpcEndpoint.Builder b = e.toBuilder();
                    if (options.containsKey(e.vpcEndpointId())) b.dnsOptions(options.get(e.vpcEndpointId()));
                    if (ipTypes.containsKey(e.vpcEndpointId())) b.ipAddressType(ipTypes.get(e.vpcEndpointId()));
                    return b.build();
                }).toList()).build();
            }
            return r;
        }

        private void keep(String id, String recordIpType, Boolean inboundOnly, String ipType) {
            if (recordIpType != null) options.put(id, DnsOptions.builder().dnsRecordIpType(recordIpType).privateDnsOnlyForInboundResolverEndpoint(inboundOnly).build());
            if (ipType != null) ipTypes.put(id, ipType);
        }
    }
}
