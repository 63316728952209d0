package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.provider.ec2.vpnconnection.NetstackJar;
import io.netstack.provider.ec2.vpnconnection.VpnGapsProxy;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeAwsServer;
import io.netstack.testing.MotoTgwProxy;
import io.netstack.testing.faults.AccessDenyProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;

/**
 * Issue 12, Done-when: every example stack plans, applies, drifts, destroys (and plans its
 * destruction) through an {@link AccessDenyProxy} that denies every action outside the policy
 * {@code netstack policy --for …} printed for that command — the policy is complete — and
 * {@code three-tier} plans with {@code ec2:*} alone, without a Direct Connect or CloudFront call.
 *
 * <p>Chain: netstack → AccessDenyProxy (IAM) → {@link FakeAwsServer} (Direct Connect and Client
 * VPN, which moto lacks) → {@link VpnGapsProxy} (VPN connection routes and VGW route propagation,
 * which moto lacks) → {@link MotoTgwProxy} (transit gateway default route table gaps) → moto.
 */
@ExtendWith(AwsApiExtension.class)
class LeastPrivilegeIT {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012"; // moto's

    AwsApi api;
    MotoTgwProxy tgw;
    VpnGapsProxy gaps;
    FakeAwsServer fake;
    AccessDenyProxy iam;
    final Map<String, String> env = new HashMap<>();
    boolean jar;

    @BeforeEach
    void chain(AwsApi api) throws java.io.IOException {
        this.api = api;
        // moto's transit gateway gaps (per-attachment default association of hub-spoke-tgw.json)
        tgw = new MotoTgwProxy(api.endpoint());
        gaps = VpnGapsProxy.start(tgw.endpoint());
        fake = FakeAwsServer.start(gaps.endpoint());
        iam = AccessDenyProxy.start(fake.endpoint());
        env.putAll(api.cliEnv(REGION));
        env.put("AWS_ENDPOINT_URL", iam.endpoint().toString());
    }

    @AfterEach
    void stop() {
        iam.close();
        fake.close();
        gaps.close();
        tgw.close();
    }

    @Test
    void threeTier(@TempDir Path dir) {
        Path f = StackFiles.copyExample(dir, "three-tier.json", api.uniqueStack("lp-three-tier"));

        // the case: a VPC-only stack plans with an EC2-only role
        iam.allow(Set.of("ec2:*"));
        Cli.Result plan = run("plan", f.toString());
        assertEquals(0, plan.exit(), plan.toString());
        assertTrue(iam.seen().stream().allMatch(a -> a.startsWith("ec2:")), "no global-type marker: no tagging API hint " + iam.seen());
        assertEquals(List.of(), iam.denied(), "nothing outside ec2:* was asked");

        // an action outside the policy: the error names it and where to find the policy
        iam.allow(policy(f, "plan"));
        Cli.Result denied = run("apply", f.toString(), "--auto-approve");
        assertEquals(1, denied.exit(), denied.toString());
        assertTrue(denied.err().contains("ec2:CreateKeyPair") && denied.err().contains("netstack policy"), denied.err());

        lifecycle(f);
    }

    @Test
    void hubSpokeTgw(@TempDir Path dir) {
        lifecycle(StackFiles.copyExample(dir, "hub-spoke-tgw.json", api.uniqueStack("lp-hub-spoke")));
    }

    @Test
    void peering(@TempDir Path dir) {
        lifecycle(StackFiles.copyExample(dir, "peering.json", api.uniqueStack("lp-peering")));
    }

    @Test
    void cdn(@TempDir Path dir) {
        lifecycle(StackFiles.copyExample(dir, "cdn.json", api.uniqueStack("lp-cdn")));
    }

    @Test
    void clientVpn(@TempDir Path dir) {
        lifecycle(StackFiles.copyExample(dir, "client-vpn.json", api.uniqueStack("lp-client-vpn")));
        assertTrue(fake.clientVpn().endpoints().isEmpty());
    }

    @Test
    void privatelink(@TempDir Path dir) {
        String name = api.uniqueStack("lp-privatelink");
        Ec2Client ec2 = api.ec2(REGION);
        String lbVpc = ec2.createVpc(r -> r.cidrBlock("10.99.0.0/16")).vpc().vpcId();
        String lbSubnet = ec2.createSubnet(r -> r.vpcId(lbVpc).cidrBlock("10.99.1.0/24").availabilityZone("eu-west-1a")).subnet().subnetId();
        try (ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().endpointOverride(api.endpoint()).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            String nlb = elb.createLoadBalancer(r -> r.name(name).subnets(lbSubnet).type(LoadBalancerTypeEnum.NETWORK).scheme(LoadBalancerSchemeEnum.INTERNAL))
                    .loadBalancers().get(0).loadBalancerArn();
            lifecycle(StackFiles.copyExample(dir, "privatelink.json", name), "--var", "nlbArn=" + nlb, "--var", "consumerAccount=" + ACCOUNT);
        }
    }

    /** Through the real jar: the PSK and the BGP key come from its environment. */
    @Test
    void hybridVpnDx(@TempDir Path dir) {
        jar = true;
        env.put("VPN_PSK", "example.Psk_" + Long.toHexString(System.nanoTime()));
        env.put("DX_BGP_AUTH_KEY", "bgpKey" + Long.toHexString(System.nanoTime()));
        Path f = StackFiles.copyExample(dir, "hybrid-vpn-dx.json", api.uniqueStack("lp-hybrid"));

        // a stack with Direct Connect needs its reads, and says which one is missing
        iam.allow(Set.of("ec2:*", "tag:GetResources"));
        Cli.Result plan = run("plan", f.toString());
        assertEquals(1, plan.exit(), plan.toString());
        assertTrue(plan.err().contains("directconnect:Describe") && plan.err().contains("netstack policy"), plan.err());

        lifecycle(f);
        assertTrue(fake.directConnect().virtualInterfaces().isEmpty());
    }

    /** plan, apply, drift, destroy, plan --destroy: each with exactly its printed policy, nothing denied. */
    void lifecycle(Path f, String... vars) {
        step(f, "plan", 0, vars, "plan", f.toString());
        step(f, "apply", 0, vars, "apply", f.toString(), "--auto-approve");
        Cli.Result drift = step(f, "drift", -1, vars, "drift", f.toString());
        assertNotEquals(1, drift.exit(), drift.toString());
        step(f, "destroy", 0, vars, "destroy", f.toString(), "--auto-approve");
        step(f, "destroy", 0, vars, "plan", f.toString(), "--destroy", "--detailed-exitcode"); // nothing left to delete
    }

    Cli.Result step(Path f, String purpose, int exit, String[] vars, String... args) {
        Set<String> policy = policy(f, purpose, vars);
        iam.allow(policy);
        Cli.Result r = run(concat(args, vars));
        if (exit >= 0) assertEquals(exit, r.exit(), String.join(" ", args) + " with policy " + policy + ":\n" + r);
        assertEquals(List.of(), iam.denied(), String.join(" ", args) + " asked for actions outside its policy:\n" + r);
        assertTrue(policy.containsAll(iam.seen()), "every call was in the policy");
        return r;
    }

    /** The actions of {@code netstack policy f --for purpose}. */
    Set<String> policy(Path f, String purpose, String... vars) {
        Cli.Result r = Cli.run(env, concat(new String[] {"policy", f.toString(), "--for", purpose}, vars));
        assertEquals(0, r.exit(), r.toString());
        Set<String> actions = new TreeSet<>();
        try {
            JsonNode doc = Json.MAPPER.readTree(r.out());
            assertEquals("2012-10-17", doc.get("Version").asText());
            for (JsonNode s : doc.get("Statement")) {
                assertEquals("Allow", s.get("Effect").asText());
                s.get("Action").forEach(a -> actions.add(a.asText()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(actions.stream().noneMatch(a -> a.endsWith("*")), "least privilege: no wildcards " + actions);
        return actions;
    }

    Cli.Result run(String... args) {
        return jar ? NetstackJar.run(env, args) : Cli.run(env, args);
    }

    static String[] concat(String[] a, String[] b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }
}
