package io.netstack.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.AwsApi;
import io.netstack.testing.AwsApiExtension;
import io.netstack.testing.Cli;
import io.netstack.testing.ItSupport;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Several stacks in several accounts and regions in one command (issue 17), on moto: moto keeps
 * one state per account, and calls made with the credentials {@code AssumeRole} returns for
 * {@code arn:aws:iam::222222222222:role/x} act in account 222222222222 ({@code GetCallerIdentity}
 * says so; the default credentials, account 123456789012, see nothing of it). moto checks no trust
 * policy and no external id: what a role may do is not tested here (LeastPrivilegeIT's proxy is
 * the IAM stand-in), only where each stack's calls land.
 */
@ExtendWith(AwsApiExtension.class)
class MultiAccountIT {
    static final String HUB_ACCOUNT = "111111111111", SPOKE_ACCOUNT = "222222222222";
    static final String HUB_REGION = "eu-west-1", SPOKE_REGION = "us-east-1";

    @Test
    void motoKeepsOneStatePerAssumedAccount(AwsApi api) {
        Ec2Client hub = ec2As(api, HUB_ACCOUNT, HUB_REGION);
        String vpc = hub.createVpc(r -> r.cidrBlock("10.201.0.0/16")).vpc().vpcId();
        try {
            assertTrue(api.ec2(HUB_REGION).describeVpcs().vpcs().stream().noneMatch(v -> v.vpcId().equals(vpc)), "the default account sees the other account's VPC");
            assertTrue(ec2As(api, SPOKE_ACCOUNT, HUB_REGION).describeVpcs().vpcs().stream().noneMatch(v -> v.vpcId().equals(vpc)), "a third account sees it");
            assertEquals(HUB_ACCOUNT, hub.describeVpcs(r -> r.vpcIds(vpc)).vpcs().get(0).ownerId());
        } finally {
            hub.deleteVpc(r -> r.vpcId(vpc));
        }
    }

    @Test
    void twoAccountsTwoRegionsInOneCommand(AwsApi api, @TempDir Path dir) {
        String hub = api.uniqueStack("hub"), spoke = api.uniqueStack("spoke");
        Path hubFile = StackFiles.write(dir, "hub.json", """
                {"stack": "%s", "region": "%s",
                 "account": {"id": "%s", "roleArn": "arn:aws:iam::%s:role/netstack", "externalId": "hub-7f3a"},
                 "resources": {"vpc": {"type": "vpc", "cidr": "10.61.0.0/16"}},
                 "outputs": {"vpcId": "${vpc}"}}
                """.formatted(hub, HUB_REGION, HUB_ACCOUNT, HUB_ACCOUNT));
        Path spokeFile = StackFiles.write(dir, "spoke.json", """
                {"stack": "%s", "region": "%s",
                 "account": {"roleArn": "arn:aws:iam::%s:role/netstack"},
                 "resources": {
                   "vpc": {"type": "vpc", "cidr": "10.62.0.0/16"},
                   "to-hub": {"type": "vpc-peering", "vpc": "${vpc}", "peerVpc": "${stack:%s/vpc}",
                              "peerRegion": "%s", "peerAccount": "%s"}}}
                """.formatted(spoke, SPOKE_REGION, SPOKE_ACCOUNT, hub, HUB_REGION, HUB_ACCOUNT));
        // The spoke's file comes first: the order of the arguments is not the order of the run.
        String[] both = {spokeFile.toString(), hubFile.toString()};
        try {
            Cli.Result plan = Cli.run(api, HUB_REGION, args("plan", "--json", both));
            assertEquals(0, plan.exit(), plan.toString());
            JsonNode stacks = Json.MAPPER.readTree(plan.out()).get("stacks");
            assertEquals(2, stacks.size(), plan.toString());
            assertEquals(hub, stacks.get(0).get("stack").asText(), "the referenced stack is planned first");
            assertEquals(HUB_ACCOUNT, stacks.get(0).get("account").asText());
            assertEquals("arn:aws:sts::" + HUB_ACCOUNT + ":assumed-role/netstack/netstack-" + hub, stacks.get(0).get("identity").asText());
            assertEquals(HUB_REGION, stacks.get(0).get("region").asText());
            assertEquals(SPOKE_ACCOUNT, stacks.get(1).get("account").asText());
            assertEquals("arn:aws:sts::" + SPOKE_ACCOUNT + ":assumed-role/netstack/netstack-" + spoke, stacks.get(1).get("identity").asText());
            assertEquals(SPOKE_REGION, stacks.get(1).get("region").asText());
            assertEquals(3, Json.MAPPER.readTree(plan.out()).get("summary").get("create").asInt(), plan.toString());
            assertTrue(stacks.get(1).toString().contains("(known after apply)"), "the hub's VPC does not exist yet: " + stacks.get(1));

            Cli.Result text = Cli.run(api, HUB_REGION, args("plan", both));
            assertTrue(text.out().contains("Stack " + hub + ": account " + HUB_ACCOUNT + ", region " + HUB_REGION + ", as arn:aws:sts::" + HUB_ACCOUNT + ":assumed-role/"), text.toString());
            assertTrue(text.out().contains("Stack " + spoke + ": account " + SPOKE_ACCOUNT + ", region " + SPOKE_REGION + ", as arn:aws:sts::" + SPOKE_ACCOUNT + ":assumed-role/"), text.toString());

            Cli.Result apply = Cli.run(api, HUB_REGION, args("apply", "--auto-approve", both));
            assertEquals(0, apply.exit(), apply.toString());
            Vpc hubVpc = owned(ec2As(api, HUB_ACCOUNT, HUB_REGION), hub);
            Vpc spokeVpc = owned(ec2As(api, SPOKE_ACCOUNT, SPOKE_REGION), spoke);
            assertEquals(HUB_ACCOUNT, hubVpc.ownerId());
            assertEquals(SPOKE_ACCOUNT, spokeVpc.ownerId());
            assertTrue(api.ec2(HUB_REGION).describeVpcs(r -> r.filters(tag(hub))).vpcs().isEmpty(), "the hub's VPC is not in the command's own account");
            assertTrue(ec2As(api, SPOKE_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(hub))).vpcs().isEmpty());
            List<VpcPeeringConnection> pcx = ec2As(api, SPOKE_ACCOUNT, SPOKE_REGION).describeVpcPeeringConnections().vpcPeeringConnections().stream()
                    .filter(p -> ItSupport.owned(p.tags(), spoke)).filter(p -> !Set.of("deleted", "rejected", "failed").contains(p.status().codeAsString())).toList();
            assertEquals(1, pcx.size());
            assertEquals(hubVpc.vpcId(), pcx.get(0).accepterVpcInfo().vpcId(), "${stack:hub/vpc} resolved in the hub's account and region");
            assertEquals(HUB_ACCOUNT, pcx.get(0).accepterVpcInfo().ownerId());
            ItSupport.assertBefore(apply.out(), "[" + hub + "]  created vpc", "[" + spoke + "]  creating vpc");

            Cli.Result again = Cli.run(api, HUB_REGION, args("plan", "--detailed-exitcode", both));
            assertEquals(0, again.exit(), "no changes after apply: " + again);
            Cli.Result drift = Cli.run(api, HUB_REGION, args("drift", both));
            assertEquals(0, drift.exit(), drift.toString());

            // A directory stands for its stack files.
            Cli.Result destroy = Cli.run(api, HUB_REGION, "destroy", "--auto-approve", dir.toString());
            assertEquals(0, destroy.exit(), destroy.toString());
            ItSupport.assertBefore(destroy.out(), "[" + spoke + "]  deleted vpc", "[" + hub + "]  deleting vpc");
            assertTrue(ec2As(api, HUB_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(hub))).vpcs().isEmpty());
            assertTrue(ec2As(api, SPOKE_ACCOUNT, SPOKE_REGION).describeVpcs(r -> r.filters(tag(spoke))).vpcs().isEmpty());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            Cli.run(api, HUB_REGION, args("destroy", "--auto-approve", both));
        }
    }

    /**
     * A create that fails (a zone the region does not have: moto answers InvalidParameterValue, as
     * AWS does for a zone the account lacks) fails its stack and skips the stack that references
     * it; the independent stacks are applied all the same.
     */
    @Test
    void aFailingStackStopsItsDependentsOnly(AwsApi api, @TempDir Path dir) {
        String base = api.uniqueStack("base"), broken = api.uniqueStack("broken"), after = api.uniqueStack("after"), indep = api.uniqueStack("indep");
        Path baseFile = StackFiles.write(dir, "a.json", vpcStack(base, HUB_ACCOUNT, HUB_REGION, "10.71.0.0/16", ""));
        Path brokenFile = StackFiles.write(dir, "b.json", vpcStack(broken, SPOKE_ACCOUNT, HUB_REGION, "10.72.0.0/16",
                ", \"sub\": {\"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.72.1.0/24\", \"zone\": \"" + HUB_REGION + "z\"}"));
        Path afterFile = StackFiles.write(dir, "c.json", vpcStack(after, SPOKE_ACCOUNT, SPOKE_REGION, "10.73.0.0/16",
                ", \"peer\": {\"type\": \"vpc-peering\", \"vpc\": \"${vpc}\", \"peerVpc\": \"${stack:" + broken + "/vpc}\", \"peerRegion\": \"" + HUB_REGION + "\"}"));
        Path indepFile = StackFiles.write(dir, "d.json", vpcStack(indep, HUB_ACCOUNT, SPOKE_REGION, "10.74.0.0/16",
                ", \"peer\": {\"type\": \"vpc-peering\", \"vpc\": \"${vpc}\", \"peerVpc\": \"${stack:" + base + "/vpc}\", \"peerRegion\": \"" + HUB_REGION + "\"}"));
        String[] all = {baseFile.toString(), brokenFile.toString(), afterFile.toString(), indepFile.toString()};
        try {
            Cli.Result apply = Cli.run(api, HUB_REGION, args("apply", "--auto-approve", all));
            assertEquals(1, apply.exit(), apply.toString());
            assertTrue(apply.out().contains("  " + broken + ": failed"), apply.toString());
            assertTrue(apply.err().contains("InvalidParameterValue"), "the failure names AWS's error code: " + apply);
            assertTrue(apply.out().contains("  " + after + ": not started: stack " + broken), apply.toString());
            assertTrue(apply.out().contains("  " + base + ": applied"), apply.toString());
            assertTrue(apply.out().contains("  " + indep + ": applied"), apply.toString());
            assertNotNull(owned(ec2As(api, HUB_ACCOUNT, SPOKE_REGION), indep), "the independent stack was applied");
            assertTrue(ec2As(api, SPOKE_ACCOUNT, SPOKE_REGION).describeVpcs(r -> r.filters(tag(after))).vpcs().isEmpty(), "the dependent of the failed stack did nothing");
        } finally {
            Cli.Result destroy = Cli.run(api, HUB_REGION, args("destroy", "--auto-approve", all));
            assertEquals(0, destroy.exit(), destroy.toString());
            assertTrue(ec2As(api, HUB_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(base))).vpcs().isEmpty());
            assertTrue(ec2As(api, SPOKE_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(broken))).vpcs().isEmpty());
        }
    }

    /**
     * Each stack has its own lock, in its own account and region: a lock held on one stack (by "another
     * machine": the same lock code through the Java API) fails that stack only.
     */
    @Test
    void eachStackHasItsOwnLockInItsOwnAccount(AwsApi api, @TempDir Path dir) {
        String locked = api.uniqueStack("locked"), free = api.uniqueStack("free");
        Path lockedFile = StackFiles.write(dir, "l.json", vpcStack(locked, HUB_ACCOUNT, HUB_REGION, "10.95.0.0/16", ""));
        Path freeFile = StackFiles.write(dir, "f.json", vpcStack(free, SPOKE_ACCOUNT, HUB_REGION, "10.96.0.0/16", ""));
        System.setProperty("aws.accessKeyId", AwsApi.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", AwsApi.SECRET_ACCESS_KEY);
        try (Netstack other = new Netstack(io.netstack.provider.AwsSettings.of(null, api.endpoint()))) {
            io.netstack.stack.StackFile s = other.load(lockedFile, Map.of());
            try (io.netstack.engine.LockLease held = other.lock(s, false, m -> { })) {
                assertTrue(other.provider(s).locks().orElseThrow().holder(locked).isPresent());
                assertTrue(other.provider(HUB_REGION).locks().orElseThrow().holder(locked).isEmpty(), "the lock is in the stack's account, not the command's");
                Cli.Result apply = Cli.run(api, HUB_REGION, "apply", "--auto-approve", lockedFile.toString(), freeFile.toString());
                assertEquals(1, apply.exit(), apply.toString());
                assertTrue(apply.out().contains("  " + locked + ": failed: locked by another apply or destroy"), apply.toString());
                assertTrue(apply.out().contains("  " + free + ": applied"), apply.toString());
                assertTrue(ec2As(api, HUB_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(locked))).vpcs().isEmpty(), "nothing of the locked stack was applied");
            }
        } finally {
            Cli.Result destroy = Cli.run(api, HUB_REGION, "destroy", "--auto-approve", lockedFile.toString(), freeFile.toString());
            assertEquals(0, destroy.exit(), destroy.toString());
        }
    }

    /** A stack that cannot be planned (its credentials are in another account) is not applied, nor are its dependents; the others are. */
    @Test
    void aStackThatCannotBePlannedSkipsItsDependents(AwsApi api, @TempDir Path dir) {
        String wrong = api.uniqueStack("wrongacct"), dep = api.uniqueStack("dep"), ok = api.uniqueStack("ok");
        Path wrongFile = StackFiles.write(dir, "w.json", """
                {"stack": "%s", "region": "%s", "account": {"id": "999999999999"}, "resources": {"vpc": {"type": "vpc", "cidr": "10.97.0.0/16"}}}
                """.formatted(wrong, HUB_REGION));
        Path depFile = StackFiles.write(dir, "d.json", vpcStack(dep, SPOKE_ACCOUNT, HUB_REGION, "10.98.0.0/16",
                ", \"peer\": {\"type\": \"vpc-peering\", \"vpc\": \"${vpc}\", \"peerVpc\": \"${stack:" + wrong + "/vpc}\"}"));
        Path okFile = StackFiles.write(dir, "o.json", vpcStack(ok, HUB_ACCOUNT, HUB_REGION, "10.99.0.0/16", ""));
        try {
            Cli.Result apply = Cli.run(api, HUB_REGION, "apply", "--auto-approve", wrongFile.toString(), depFile.toString(), okFile.toString());
            assertEquals(1, apply.exit(), apply.toString());
            assertTrue(apply.out().contains("Stack " + wrong + ": account 999999999999, region " + HUB_REGION + ", as (unknown)"), apply.toString());
            assertTrue(apply.out().contains("  error: stack " + wrong + ": the stack file says account 999999999999"), apply.toString());
            assertTrue(apply.out().contains("  not planned: stack " + wrong + " it references could not be planned"), apply.toString());
            assertTrue(apply.out().contains("  " + ok + ": applied"), apply.toString());
            assertNotNull(owned(ec2As(api, HUB_ACCOUNT, HUB_REGION), ok));
            assertTrue(ec2As(api, SPOKE_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(dep))).vpcs().isEmpty(), "the dependent did nothing");
            assertTrue(api.ec2(HUB_REGION).describeVpcs(r -> r.filters(tag(wrong))).vpcs().isEmpty(), "nothing in the command's own account");
        } finally {
            Cli.run(api, HUB_REGION, "destroy", "--auto-approve", depFile.toString(), okFile.toString());
        }
    }

    /** A stack whose credentials are not in the account its file names is refused before anything is read. */
    @Test
    void wrongAccountIsRefusedBeforeAnyRead(AwsApi api, @TempDir Path dir) {
        String name = api.uniqueStack("wrong");
        Path f = StackFiles.write(dir, "w.json", """
                {"stack": "%s", "region": "%s", "account": {"id": "%s"}, "resources": {"vpc": {"type": "vpc", "cidr": "10.81.0.0/16"}}}
                """.formatted(name, HUB_REGION, SPOKE_ACCOUNT));
        Cli.Result apply = Cli.run(api, HUB_REGION, "apply", "--auto-approve", f.toString());
        assertEquals(1, apply.exit(), apply.toString());
        assertTrue(apply.err().contains("says account " + SPOKE_ACCOUNT + ", but its credentials act as arn:aws:sts::123456789012:"), apply.toString());
        assertTrue(api.ec2(HUB_REGION).describeVpcs(r -> r.filters(tag(name))).vpcs().isEmpty());
        assertTrue(ec2As(api, SPOKE_ACCOUNT, HUB_REGION).describeVpcs(r -> r.filters(tag(name))).vpcs().isEmpty());
    }

    /** Saved plans hold one stack: asked to save several, plan refuses (exit 3) before calling AWS. */
    @Test
    void savedPlanOfSeveralStacksIsRefused(AwsApi api, @TempDir Path dir) {
        Path a = StackFiles.write(dir, "a.json", vpcStack(api.uniqueStack("sa"), HUB_ACCOUNT, HUB_REGION, "10.91.0.0/16", ""));
        Path b = StackFiles.write(dir, "b.json", vpcStack(api.uniqueStack("sb"), SPOKE_ACCOUNT, HUB_REGION, "10.92.0.0/16", ""));
        Cli.Result plan = Cli.run(api, HUB_REGION, "plan", "-o", dir.resolve("p.json").toString(), a.toString(), b.toString());
        assertEquals(3, plan.exit(), plan.toString());
        assertTrue(plan.err().contains("a plan of several stacks cannot be saved"), plan.toString());
        assertFalse(java.nio.file.Files.exists(dir.resolve("p.json")));
    }

    static String vpcStack(String name, String account, String region, String cidr, String more) {
        return """
                {"stack": "%s", "region": "%s", "account": {"roleArn": "arn:aws:iam::%s:role/netstack"},
                 "resources": {"vpc": {"type": "vpc", "cidr": "%s"}%s}}
                """.formatted(name, region, account, cidr, more);
    }

    static String[] args(String cmd, String... rest) {
        String[] out = new String[rest.length + 1];
        out[0] = cmd;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    static String[] args(String cmd, String flag, String[] files) {
        String[] out = new String[files.length + 2];
        out[0] = cmd;
        out[1] = flag;
        System.arraycopy(files, 0, out, 2, files.length);
        return out;
    }

    static Filter tag(String stack) {
        return Filter.builder().name("tag:netstack:stack").values(stack).build();
    }

    static Vpc owned(Ec2Client ec2, String stack) {
        List<Vpc> vpcs = ec2.describeVpcs(r -> r.filters(tag(stack))).vpcs();
        assertEquals(1, vpcs.size(), "one VPC of " + stack + ": " + vpcs);
        return vpcs.get(0);
    }

    /** An EC2 client acting in {@code account}: the credentials of an assumed role there. */
    static Ec2Client ec2As(AwsApi api, String account, String region) {
        Credentials c = CREDS.computeIfAbsent(account, a -> {
            try (StsClient sts = StsClient.builder().endpointOverride(api.endpoint()).region(Region.of(region))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsApi.ACCESS_KEY_ID, AwsApi.SECRET_ACCESS_KEY)))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                return sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + a + ":role/test").roleSessionName("test")).credentials();
            }
        });
        return Ec2Client.builder().endpointOverride(api.endpoint()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()).build())
                .build();
    }

    private static final Map<String, Credentials> CREDS = new java.util.concurrent.ConcurrentHashMap<>();
}
