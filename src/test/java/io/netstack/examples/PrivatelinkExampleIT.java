package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * stacks/privatelink.json as a new user runs it (issue 3, Done-when 1): the Network Load Balancer
 * is not netstack's, so the test makes one in moto's elbv2 (in a VPC of its own) and passes its ARN
 * with --var; apply, plan zero changes, destroy to nothing owned.
 */
@ExtendWith(AwsApiExtension.class)
class PrivatelinkExampleIT {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012"; // moto's

    @Test
    void appliesPlansCleanAndDestroys(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("privatelink-example");
        Ec2Client ec2 = api.ec2(REGION);
        String lbVpc = ec2.createVpc(r -> r.cidrBlock("10.99.0.0/16")).vpc().vpcId();
        String lbSubnet = ec2.createSubnet(r -> r.vpcId(lbVpc).cidrBlock("10.99.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(api.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            String nlb = elb.createLoadBalancer(r -> r.name(name).subnets(lbSubnet).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL))
                    .loadBalancers().get(0).loadBalancerArn();
            Path f = StackFiles.copyExample(dir, "privatelink.json", name);
            String[] vars = {"--var", "nlbArn=" + nlb, "--var", "consumerAccount=" + ACCOUNT};

            Cli.Result apply = Cli.run(api, REGION, concat(new String[] {"apply", f.toString(), "--auto-approve"}, vars));
            assertEquals(0, apply.exit(), apply.toString());
            List<ServiceConfiguration> services = services(ec2, name);
            assertEquals(1, services.size());
            assertEquals(List.of(nlb), services.get(0).networkLoadBalancerArns());
            assertTrue(apply.out().contains("serviceName = " + services.get(0).serviceName()), apply.toString());
            List<VpcEndpoint> endpoints = endpoints(ec2, name);
            assertEquals(2, endpoints.size());
            VpcEndpoint consumer = endpoints.stream().filter(e -> e.vpcEndpointTypeAsString().equals("Interface")).findFirst().orElseThrow();
            assertEquals(services.get(0).serviceName(), consumer.serviceName());
            assertEquals(2, consumer.subnetIds().size());
            VpcEndpoint s3 = endpoints.stream().filter(e -> e.vpcEndpointTypeAsString().equals("Gateway")).findFirst().orElseThrow();
            assertEquals("com.amazonaws.eu-west-1.s3", s3.serviceName());
            assertEquals(2, s3.routeTableIds().size(), "on both private route tables");

            Cli.Result plan = Cli.run(api, REGION, concat(new String[] {"plan", f.toString(), "--detailed-exitcode"}, vars));
            assertEquals(0, plan.exit(), plan.toString());

            Cli.Result destroy = Cli.run(api, REGION, concat(new String[] {"destroy", f.toString(), "--auto-approve"}, vars));
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(services(ec2, name).isEmpty());
            assertTrue(endpoints(ec2, name).isEmpty());
            assertTrue(ec2.describeRouteTables(r -> r.filters(stack(name))).routeTables().isEmpty());
            assertTrue(ec2.describeSecurityGroups(r -> r.filters(stack(name))).securityGroups().isEmpty());
            assertTrue(ec2.describeSubnets(r -> r.filters(stack(name))).subnets().isEmpty());
            assertTrue(ec2.describeVpcs(r -> r.filters(stack(name))).vpcs().isEmpty(), "nothing owned left");
            elb.deleteLoadBalancer(r -> r.loadBalancerArn(nlb));
        } finally {
            ec2.deleteSubnet(r -> r.subnetId(lbSubnet));
            ec2.deleteVpc(r -> r.vpcId(lbVpc));
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Filter stack(String name) {
        return Filter.builder().name("tag:netstack:stack").values(name).build();
    }

    /** moto ignores the tag filter of DescribeVpcEndpointServiceConfigurations: select here. */
    static List<ServiceConfiguration> services(Ec2Client ec2, String name) {
        return ec2.describeVpcEndpointServiceConfigurations().serviceConfigurations().stream()
                .filter(c -> c.tags().stream().anyMatch(t -> t.key().equals("netstack:stack") && t.value().equals(name)))
                .filter(c -> !Set.of("deleted", "deleting").contains(c.serviceStateAsString().toLowerCase()))
                .toList();
    }

    static List<VpcEndpoint> endpoints(Ec2Client ec2, String name) {
        return ec2.describeVpcEndpoints(r -> r.filters(stack(name))).vpcEndpoints().stream()
                .filter(e -> !Set.of("deleted", "deleting").contains(e.stateAsString().toLowerCase())).toList();
    }
}
