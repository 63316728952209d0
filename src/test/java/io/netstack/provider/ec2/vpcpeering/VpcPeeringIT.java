package io.netstack.provider.ec2.vpcpeering;

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
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * vpc-peering against moto: same region with autoAccept and DNS resolution toggled in place; a
 * cross-region request accepted from the peer region; a request left pending and accepted by a
 * later apply; a cross-account request that the other account accepts (moto's per-request
 * {@code x-moto-account-id}), with netstack managing only the requester side.
 */
@ExtendWith(AwsApiExtension.class)
class VpcPeeringIT {
    static final String REGION = "eu-west-1";
    static final String PEER_REGION = "us-east-1";
    static final String OTHER_ACCOUNT = "210987654321";

    static String stack(String name, String peeringExtra) {
        return """
            { "stack": "%s", "region": "eu-west-1",
              "resources": {
                "a": { "type": "vpc", "cidr": "10.61.0.0/16", "dnsHostnames": true },
                "b": { "type": "vpc", "cidr": "10.62.0.0/16", "dnsHostnames": true },
                "peering": { "type": "vpc-peering", "vpc": "${a}", "peerVpc": "${b}" %s }
              },
              "outputs": { "status": "${peering.status}" } }
            """.formatted(name, peeringExtra);
    }

    @Test
    void sameRegionAutoAcceptAndDnsResolutionInPlace(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("peering");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, ", \"autoAccept\": true, \"tags\": { \"purpose\": \"a-to-b\" }"));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertTrue(apply.out().contains("status = active"), apply.toString());

        VpcPeeringConnection pcx = owned(ec2, name).get(0);
        Map<String, String> tags = ItSupport.tags(pcx.tags());
        assertEquals("peering", tags.get("netstack:id"));
        assertEquals(name + "/peering", tags.get("Name"));
        assertEquals("a-to-b", tags.get("purpose"));
        assertEquals("active", pcx.status().codeAsString());
        assertFalse(pcx.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());

        Cli.Result plan = Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.toString());

        // A peering made by hand between the stack's VPCs is unmanaged drift.
        String handMade = ec2.createVpcPeeringConnection(r -> r.vpcId(pcx.requesterVpcInfo().vpcId()).peerVpcId(pcx.accepterVpcInfo().vpcId()))
                .vpcPeeringConnection().vpcPeeringConnectionId();
        Cli.Result drift = Cli.run(api, REGION, "drift", f.toString());
        assertEquals(2, drift.exit(), drift.toString());
        assertTrue(drift.out().contains(handMade), drift.toString());
        assertFalse(drift.out().contains(pcx.vpcPeeringConnectionId()), "the stack's own peering is not drift");
        ec2.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(handMade));

        // Done-when 2: toggling DNS resolution is exactly one in-place update.
        StackFiles.write(dir, "s.json", stack(name, ", \"autoAccept\": true, \"dnsResolution\": true, \"tags\": { \"purpose\": \"a-to-b\" }"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        assertEquals(2, changed.exit(), changed.toString());
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("peering", changes.get(0).get("id").asText());
        assertEquals("update", changes.get(0).get("action").asText());
        assertEquals(List.of("dnsResolution"), changes.get(0).get("diff").findValuesAsText("path"));
        Cli.Result update = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, update.exit(), update.toString());
        VpcPeeringConnection after = owned(ec2, name).get(0);
        assertEquals(pcx.vpcPeeringConnectionId(), after.vpcPeeringConnectionId(), "in place");
        assertTrue(after.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
        assertTrue(after.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc(), "same account: both sides");
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // ... and back off.
        StackFiles.write(dir, "s.json", stack(name, ", \"autoAccept\": true, \"tags\": { \"purpose\": \"a-to-b\" }"));
        assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
        assertFalse(owned(ec2, name).get(0).accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        // The peer VPC is create-only.
        StackFiles.write(dir, "s.json", stack(name, ", \"autoAccept\": true").replace("\"peerVpc\": \"${b}\"", "\"peerVpc\": \"vpc-0123456789abcdef0\""));
        assertTrue(Cli.run(api, REGION, "plan", f.toString()).out().contains("replace: peerVpc is create-only"));

        StackFiles.write(dir, "s.json", stack(name, ", \"autoAccept\": true"));
        Cli.Result destroy = Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve");
        assertEquals(0, destroy.exit(), destroy.toString());
        assertTrue(owned(ec2, name).isEmpty(), "nothing owned left");
        assertTrue(ownedVpcs(ec2, name).isEmpty());
    }

    @Test
    void requestLeftPendingIsAcceptedByALaterApply(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("peering-pending");
        Ec2Client ec2 = api.ec2(REGION);
        Path f = StackFiles.write(dir, "s.json", stack(name, ""));
        Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, apply.exit(), apply.toString());
        assertEquals("pending-acceptance", owned(ec2, name).get(0).status().codeAsString());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit(), "autoAccept omitted: the accepter's business");

        // DNS resolution needs an active peering: the update says why it cannot be done yet.
        StackFiles.write(dir, "s.json", stack(name, ", \"dnsResolution\": true"));
        Cli.Result early = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(1, early.exit(), early.toString());
        assertTrue(early.all().contains("DNS resolution can be set only on an active peering"), early.toString());

        StackFiles.write(dir, "s.json", stack(name, ", \"autoAccept\": true, \"dnsResolution\": true"));
        Cli.Result changed = Cli.run(api, REGION, "plan", f.toString(), "--json", "--detailed-exitcode");
        JsonNode changes = Json.MAPPER.readTree(changed.out()).get("changes");
        assertEquals(1, changes.size(), changed.out());
        assertEquals("update", changes.get(0).get("action").asText());
        Cli.Result accept = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
        assertEquals(0, accept.exit(), accept.toString());
        VpcPeeringConnection pcx = owned(ec2, name).get(0);
        assertEquals("active", pcx.status().codeAsString());
        assertTrue(pcx.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
        assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

        assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
        assertTrue(owned(ec2, name).isEmpty());
    }

    @Test
    void crossRegionRequestIsAcceptedFromThePeerRegion(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("peering-xr");
        Ec2Client ec2 = api.ec2(REGION), peer = api.ec2(PEER_REGION);
        String peerVpc = peer.createVpc(r -> r.cidrBlock("10.63.0.0/16")).vpc().vpcId();
        try {
            Path f = StackFiles.write(dir, "s.json", """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "a": { "type": "vpc", "cidr": "10.61.0.0/16", "dnsHostnames": true },
                    "peering": { "type": "vpc-peering", "vpc": "${a}", "peerVpc": "%s", "peerRegion": "us-east-1",
                                 "autoAccept": true, "dnsResolution": true }
                  } }
                """.formatted(name, peerVpc));
            Cli.Result apply = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, apply.exit(), apply.toString());
            VpcPeeringConnection pcx = owned(ec2, name).get(0);
            assertEquals("active", pcx.status().codeAsString());
            assertEquals(PEER_REGION, pcx.accepterVpcInfo().region());
            VpcPeeringConnection seenFromPeer = peer.describeVpcPeeringConnections(r -> r.vpcPeeringConnectionIds(pcx.vpcPeeringConnectionId()))
                    .vpcPeeringConnections().get(0);
            assertTrue(seenFromPeer.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc(), "accepter side set from its region");
            assertTrue(seenFromPeer.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());
            assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
            assertTrue(owned(ec2, name).isEmpty());
        } finally {
            peer.deleteVpc(r -> r.vpcId(peerVpc));
        }
    }

    @Test
    void crossAccountRequestWaitsForTheOtherAccount(AwsApi api, @TempDir Path dir) throws Exception {
        String name = api.uniqueStack("peering-xa");
        Ec2Client ec2 = api.ec2(REGION);
        try (Ec2Client other = asAccount(api, OTHER_ACCOUNT)) {
            String peerVpc = other.createVpc(r -> r.cidrBlock("10.64.0.0/16")).vpc().vpcId();
            String base = """
                { "stack": "%s", "region": "eu-west-1",
                  "resources": {
                    "a": { "type": "vpc", "cidr": "10.61.0.0/16", "dnsHostnames": true },
                    "peering": { "type": "vpc-peering", "vpc": "${a}", "peerVpc": "%s", "peerAccount": "%s" EXTRA }
                  } }
                """.formatted(name, peerVpc, OTHER_ACCOUNT);
            Path f = StackFiles.write(dir, "s.json", base.replace("EXTRA", ", \"autoAccept\": true"));
            Cli.Result refused = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.all().contains("autoAccept works only within one account"), refused.toString());
            assertTrue(owned(ec2, name).isEmpty(), "refused before anything was requested");

            StackFiles.write(dir, "s.json", base.replace("EXTRA", ""));
            assertEquals(0, Cli.run(api, REGION, "apply", f.toString(), "--auto-approve").exit());
            VpcPeeringConnection pcx = owned(ec2, name).get(0);
            assertEquals("pending-acceptance", pcx.status().codeAsString());
            assertEquals(OTHER_ACCOUNT, pcx.accepterVpcInfo().ownerId());
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            // The accepter account accepts (as the class comment documents); netstack then sets its own side only.
            other.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(pcx.vpcPeeringConnectionId()));
            StackFiles.write(dir, "s.json", base.replace("EXTRA", ", \"dnsResolution\": true"));
            Cli.Result dns = Cli.run(api, REGION, "apply", f.toString(), "--auto-approve");
            assertEquals(0, dns.exit(), dns.toString());
            VpcPeeringConnection after = owned(ec2, name).get(0);
            assertTrue(after.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc());
            assertFalse(after.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc(), "the other account's side is not netstack's");
            assertEquals(0, Cli.run(api, REGION, "plan", f.toString(), "--detailed-exitcode").exit());

            assertEquals(0, Cli.run(api, REGION, "destroy", f.toString(), "--auto-approve").exit());
            assertTrue(owned(ec2, name).isEmpty());
            other.deleteVpc(r -> r.vpcId(peerVpc));
        }
    }

    /** An EC2 client acting as another account: moto picks the account from this header. */
    static Ec2Client asAccount(AwsApi api, String account) {
        return Ec2Client.builder().endpointOverride(URI.create(api.endpoint().toString())).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes a) {
                        return c.httpRequest().toBuilder().putHeader("x-moto-account-id", account).build();
                    }
                }))
                .build();
    }

    /** Peerings tagged with the stack that are not dead (moto keeps deleted ones visible). */
    static List<VpcPeeringConnection> owned(Ec2Client ec2, String stack) {
        return ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
                .filter(p -> ItSupport.owned(p.tags(), stack))
                .filter(p -> !VpcPeeringType.GONE_STATES.contains(p.status().codeAsString()))
                .filter(p -> REGION.equals(p.requesterVpcInfo().region()))
                .toList();
    }

    static List<String> ownedVpcs(Ec2Client ec2, String stack) {
        return ec2.describeVpcs().vpcs().stream()
                .filter(v -> ItSupport.owned(v.tags(), stack))
                .map(v -> v.vpcId()).toList();
    }
}
