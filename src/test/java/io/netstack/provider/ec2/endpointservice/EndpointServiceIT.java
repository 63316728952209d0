package io.netstack.provider.ec2.endpointservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * endpoint-service round trip against moto, with an interface endpoint of the same stack consuming
 * it by reference: two Network Load Balancers made in moto's elbv2 (not netstack's); load
 * balancers, acceptance and allowed principals changed in place; a principal added by hand is
 * drift; destroy removes the consumer first and leaves nothing owned.
 */
@ExtendWith(AwsApiExtension.class)
class EndpointServiceIT {
    static final String REGION = "eu-west-1";

    static String stack(String name, String vpc, String lbs, boolean acceptance, String principals) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "svc": { "type": "endpoint-service", "loadBalancers": [%s], "acceptanceRequired": %s,
                         "allowedPrincipals": [%s] },
                "consumer-a": { "type": "subnet", "vpc": "%s", "cidr": "10.73.9.0/24", "zone": "eu-west-1a" },
                "consumer": { "type": "vpc-endpoint", "vpc": "%s", "kind": "interface", "service": "${svc}",
                              "subnets": ["${consumer-a}"] }
              },
              "outputs": { "serviceName": "${svc.serviceName}" } }
            """.formatted(name, lbs, acceptance, principals, vpc, vpc);
    }

    static ElasticLoadBalancingV2Client elb(AwsApi api) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(api.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A Network Load Balancer in moto's elbv2, in {@code subnet}. */
    static String nlb(ElasticLoadBalancingV2Client elb, String name, String subnet) {
        return elb.createLoadBalancer(r -> r.name(name).subnets(subnet).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL))
                .loadBalancers().get(0).loadBalancerArn();
    }

    @Test
    void roundTrip(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("endpoint-service");
        Ec2Client ec2 = api.ec2(REGION);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.73.0.0/16")).vpc().vpcId();
        String lbSubnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.73.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        ElasticLoadBalancingV2Client elb = elb(api);
        List<String> nlbs = new ArrayList<>();
        try {
            String nlb1 = nlb(elb, name + "-1", lbSubnet);
            nlbs.add(nlb1);
            String nlb2 = nlb(elb, name + "-2", lbSubnet);
            nlbs.add(nlb2);
            String me = "arn:aws:iam::123456789012:root", other = "arn:aws:iam::210987654321:role/consumer";
            Path f = StackFiles.write(dir, "s.json", stack(name, vpc, "\"" + nlb1 + "\"", false, "\"" + me + "\""));
            Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());

            ServiceConfiguration svc = owned(ec2, name).get(0);
            assertEquals(List.of(nlb1), svc.networkLoadBalancerArns());
            assertFalse(svc.acceptanceRequired());
            assertEquals(List.of(me), principals(ec2, svc.serviceId()));
            assertTrue(apply.out().contains("serviceName = " + svc.serviceName()), apply.toString());
            VpcEndpoint consumer = consumers(ec2, name).get(0);
            assertEquals(svc.serviceName(), consumer.serviceName(), "${svc} resolved to the service's name");

            Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exit(), plan.toString());

            // In place: a second NLB, acceptance required, principals swapped.
            StackFiles.write(dir, "s.json", stack(name, vpc, "\"" + nlb1 + "\", \"" + nlb2 + "\"", true, "\"" + other + "\""));
            Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
            assertEquals(2, changed.exit(), changed.toString());
            JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
            assertEquals(1, changes.size(), changed.out());
            assertEquals("svc", changes.get(0).get("id").asText());
            assertEquals("update", changes.get(0).get("action").asText());
            assertEquals(Set.of("loadBalancers", "acceptanceRequired", "allowedPrincipals"),
                    Set.copyOf(changes.get(0).get("diff").findValuesAsText("path")));
            Cli.Result update = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, update.exit(), update.toString());
            ServiceConfiguration after = owned(ec2, name).get(0);
            assertEquals(svc.serviceId(), after.serviceId(), "in place");
            assertEquals(Set.of(nlb1, nlb2), Set.copyOf(after.networkLoadBalancerArns()));
            assertTrue(after.acceptanceRequired());
            assertEquals(List.of(other), principals(ec2, svc.serviceId()));
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            // A principal allowed by hand is drift, and apply takes it away.
            ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(svc.serviceId()).addAllowedPrincipals("*"));
            Cli.Result drift = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
            assertEquals(2, drift.exit(), drift.toString());
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            assertEquals(List.of(other), principals(ec2, svc.serviceId()));

            Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
            assertTrue(consumers(ec2, name).isEmpty());
        } finally {
            // Also when an assertion failed: the load balancers are not netstack's and nothing else removes them.
            for (String arn : nlbs) elb.deleteLoadBalancer(r -> r.loadBalancerArn(arn));
            elb.close();
            ec2.deleteSubnet(r -> r.subnetId(lbSubnet));
            ec2.deleteVpc(r -> r.vpcId(vpc));
        }
    }

    @Test
    void badLoadBalancersAndPrincipalsAreCaughtOffline(AwsApi api, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "svc": { "type": "endpoint-service",
                         "loadBalancers": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/a/1", "nlb-1"],
                         "allowedPrincipals": ["123456789012"] }
              } }
            """.formatted(api.uniqueStack("endpoint-service-bad")));
        Cli.Result r = Cli.run(api, REGION, "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        for (String m : List.of("not in the stack's region", "is not a load balancer ARN", "is not a principal ARN")) {
            assertTrue(r.all().contains(m), m + "\n" + r);
        }
    }

    /** moto ignores the tag filter of DescribeVpcEndpointServiceConfigurations: filter here. */
    static List<ServiceConfiguration> owned(Ec2Client ec2, String stack) {
        return ec2.describeVpcEndpointServiceConfigurations().serviceConfigurations().stream()
                .filter(c -> ItSupport.owned(c.tags(), stack))
                .filter(c -> !Set.of("deleted", "deleting").contains(c.serviceStateAsString().toLowerCase()))
                .toList();
    }

    static List<VpcEndpoint> consumers(Ec2Client ec2, String stack) {
        return ec2.describeVpcEndpoints(r -> r.filters(ItSupport.stackFilter(stack))).vpcEndpoints().stream()
                .filter(e -> !Set.of("deleted", "deleting").contains(e.stateAsString().toLowerCase())).toList();
    }

    static List<String> principals(Ec2Client ec2, String serviceId) {
        return ec2.describeVpcEndpointServicePermissions(r -> r.serviceId(serviceId)).allowedPrincipals().stream()
                .map(AllowedPrincipal::principal).collect(Collectors.toList());
    }
}
