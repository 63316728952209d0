package io.netstack.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.provider.ec2.transitgatewayattachmentacceptance.SharedAttachmentProxy;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.MotoAssumeRole;
import io.netstack.testing.MotoTgwProxy;
import io.netstack.testing.StackFiles;
import io.netstack.testing.fake.FakeRam;
import io.netstack.testing.faults.AccessDenyProxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The handshake types (issue 17) under {@code netstack policy}: a hub account shares its gateway
 * (ram-resource-share), accepts a spoke's attachment and associates it; the spoke account accepts
 * the share (ram-share-acceptance) and a peering (vpc-peering-acceptance); each command of each
 * stack runs through an {@link AccessDenyProxy} allowing exactly the printed policy, and nothing is
 * denied. Chain: netstack → AccessDenyProxy → {@link FakeRam} (RAM) → {@link SharedAttachmentProxy}
 * (the hub's view of a spoke attachment) → {@link MotoTgwProxy} → moto.
 */
@ExtendWith(AwsApiExtension.class)
class HandshakeLeastPrivilegeIT {
    static final String REGION = "eu-west-1";
    static final String SPOKE = "222222222222";

    @Test
    void everyHandshakeRunsWithItsPrintedPolicy(AwsApi api, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(api.isMoto(), "AssumeRole accounts and the fakes stand on moto");
        MotoAssumeRole spoke = MotoAssumeRole.into(api, SPOKE);
        try (MotoTgwProxy tgwProxy = new MotoTgwProxy(api.endpoint());
             SharedAttachmentProxy shared = new SharedAttachmentProxy(tgwProxy.endpoint(), 1);
             FakeRam ram = FakeRam.start(shared.endpoint()).account(spoke.accessKeyId(), SPOKE);
             AccessDenyProxy iam = AccessDenyProxy.start(ram.endpoint());
             Ec2Client hubEc2 = client(shared.endpoint(), AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY);
             Ec2Client spokeEc2 = client(shared.endpoint(), spoke.accessKeyId(), spoke.secretAccessKey())) {
            Map<String, String> hubEnv = new HashMap<>(api.cliEnv(REGION)), spokeEnv = new HashMap<>(spoke.cliEnv(api, REGION));
            hubEnv.put("AWS_ENDPOINT_URL", iam.endpoint().toString());
            spokeEnv.put("AWS_ENDPOINT_URL", iam.endpoint().toString());
            String hub = api.uniqueStack("lp-hs-hub"), sp = api.uniqueStack("lp-hs-spoke");

            // The spoke's VPC (made outside netstack) and the hub's peering request to it.
            String spokeVpc = spokeEc2.createVpc(r -> r.cidrBlock("10.102.0.0/16")).vpc().vpcId();
            String hubFile = """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "tgw": { "type": "transit-gateway", "defaultRouteTableAssociation": false, "defaultRouteTablePropagation": false },
                    "share": { "type": "ram-resource-share", "resources": ["${tgw}"], "principals": ["%s"] },
                    "hub": { "type": "vpc", "cidr": "10.101.0.0/16" },
                    "peering": { "type": "vpc-peering", "vpc": "${hub}", "peerVpc": "%s", "peerAccount": "%s" } EXTRA
                  },
                  "outputs": { "share": "${share.arn}", "pcx": "${peering.id}", "tgw": "${tgw.id}" } }
                """.formatted(hub, SPOKE, spokeVpc, SPOKE);
            Path fh = StackFiles.write(dir, "hub.json", hubFile.replace("EXTRA", ""));
            step(iam, hubEnv, fh, "plan", 0, "plan", fh.toString());
            step(iam, hubEnv, fh, "apply", 0, "apply", fh.toString(), "--auto-approve");
            JsonNode out = Json.MAPPER.readTree(Cli.run(hubEnv, "output", fh.toString(), "--json").out());

            Path fs = StackFiles.write(dir, "spoke.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "hub-share": { "type": "ram-share-acceptance", "share": "%s" },
                    "peering": { "type": "vpc-peering-acceptance", "peering": "%s", "dnsResolution": true },
                    "rt": { "type": "route-table", "vpc": "%s", "routes": [ { "destination": "10.101.0.0/16", "target": "${peering}" } ] }
                  } }
                """.formatted(sp, out.get("share").asText(), out.get("pcx").asText(), spokeVpc));
            lifecycleUpToDrift(iam, spokeEnv, fs);
            assertEquals(1, ram.calls("acceptresourceshareinvitation").size());

            // The spoke's attachment to the shared gateway, seen by the hub, accepted and associated there.
            String subnet = hubEc2.createSubnet(r -> r.vpcId(hubEc2.createVpc(v -> v.cidrBlock("10.103.0.0/16")).vpc().vpcId()).cidrBlock("10.103.1.0/24"))
                    .subnet().subnetId();
            String vpcOfSubnet = hubEc2.describeSubnets(r -> r.subnetIds(subnet)).subnets().get(0).vpcId();
            String att = hubEc2.createTransitGatewayVpcAttachment(r -> r.transitGatewayId(out.get("tgw").asText()).vpcId(vpcOfSubnet).subnetIds(subnet))
                    .transitGatewayVpcAttachment().transitGatewayAttachmentId();
            shared.foreign(att, SPOKE);
            StackFiles.write(dir, "hub.json", hubFile.replace("EXTRA", """
                , "accept": { "type": "transit-gateway-attachment-acceptance", "attachment": "%s" },
                  "spokes": { "type": "transit-gateway-route-table", "transitGateway": "${tgw}", "associations": ["${accept}"], "propagations": ["${accept}"] }
                """.formatted(att)));
            lifecycleUpToDrift(iam, hubEnv, fh);
            assertEquals(List.of(att), shared.accepted());

            step(iam, spokeEnv, fs, "destroy", 0, "destroy", fs.toString(), "--auto-approve");
            step(iam, spokeEnv, fs, "destroy", 0, "plan", fs.toString(), "--destroy", "--detailed-exitcode");
            // (the file still declares the acceptance: a type the file no longer declares needs its
            // list and delete actions beyond the printed policy, as Policy documents)
            step(iam, hubEnv, fh, "destroy", 0, "destroy", fh.toString(), "--auto-approve");
            step(iam, hubEnv, fh, "destroy", 0, "plan", fh.toString(), "--destroy", "--detailed-exitcode");
            assertTrue(hubEc2.describeTags(r -> r.filters(x -> x.name("resource-id").values(att))).tags().isEmpty(), "the hub's view released");
            hubEc2.deleteTransitGatewayVpcAttachment(r -> r.transitGatewayAttachmentId(att)); // the spoke's to delete
            assertTrue(hubEc2.describeTransitGateways().transitGateways().stream()
                    .noneMatch(t -> ItSupport.owned(t.tags(), hub) && !"deleted".equals(t.stateAsString())));
        }
    }

    void lifecycleUpToDrift(AccessDenyProxy iam, Map<String, String> env, Path f) {
        step(iam, env, f, "plan", 2, "plan", f.toString(), "--detailed-exitcode");
        step(iam, env, f, "apply", 0, "apply", f.toString(), "--auto-approve");
        step(iam, env, f, "plan", 0, "plan", f.toString(), "--detailed-exitcode");
        step(iam, env, f, "drift", -1, "drift", f.toString()); // drift may find something; it must not fail
    }

    static void step(AccessDenyProxy iam, Map<String, String> env, Path f, String purpose, int exit, String... args) {
        Set<String> policy = policy(env, f, purpose);
        iam.allow(policy);
        Cli.Result r = Cli.run(env, args);
        if (exit >= 0) assertEquals(exit, r.exit(), String.join(" ", args) + " with policy " + policy + ":\n" + r);
        else assertTrue(r.exit() != 1, String.join(" ", args) + ":\n" + r);
        assertEquals(List.of(), iam.denied(), String.join(" ", args) + " asked for actions outside its policy:\n" + r);
        assertTrue(policy.containsAll(iam.seen()), "every call was in the policy");
    }

    static Set<String> policy(Map<String, String> env, Path f, String purpose) {
        Cli.Result r = Cli.run(env, "policy", f.toString(), "--for", purpose);
        assertEquals(0, r.exit(), r.toString());
        Set<String> actions = new TreeSet<>();
        try {
            for (JsonNode s : Json.MAPPER.readTree(r.out()).get("Statement")) s.get("Action").forEach(a -> actions.add(a.asText()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return actions;
    }

    static Ec2Client client(URI endpoint, String key, String secret) {
        return Ec2Client.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
