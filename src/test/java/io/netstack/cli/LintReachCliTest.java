package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lint} and {@code reach} through the real CLI: exit codes, the JSON and SARIF shapes,
 * lintIgnore checked by the loader. AWS_ENDPOINT_URL is a loopback server that counts requests:
 * neither command may send one.
 */
class LintReachCliTest {
    static io.netstack.testing.CountingEndpoint server;
    static Map<String, String> ENV;

    @org.junit.jupiter.api.BeforeAll
    static void start() {
        server = io.netstack.testing.CountingEndpoint.start();
        ENV = Map.of("AWS_ENDPOINT_URL", server.url(),
                "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing");
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        server.close();
        assertEquals(0, server.requests(), "lint and reach sent requests to AWS");
    }

    static final String CLEAN = """
            {
              "stack": "clean",
              "region": "eu-west-1",
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.0.0.0/16", "defaultSecurityGroup": {} },
                "flow": { "type": "flow-log", "resource": "${vpc}", "traffic": "ALL", "destination": { "s3": "arn:aws:s3:::logs" } },
                "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24", "zone": "eu-west-1a" }
              }
            }
            """;

    static final String SSH = CLEAN.replace("\"stack\": \"clean\"", "\"stack\": \"ssh\"").replace("""
                "a": {""", """
                "igw": { "type": "internet-gateway", "vpc": "${vpc}" },
                "rt": { "type": "route-table", "vpc": "${vpc}", "subnets": ["${a}"], "routes": [ { "destination": "0.0.0.0/0", "target": "${igw}" } ] },
                "admin": { "type": "security-group", "vpc": "${vpc}", "description": "admin",
                           "ingress": [ { "protocol": "tcp", "ports": "22", "from": "0.0.0.0/0" } ] },
                "a": {""");

    @Test
    void cleanFileExits0(@TempDir Path dir) {
        Cli.Result r = Cli.run(ENV, "lint", StackFiles.write(dir, "clean.json", CLEAN).toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("no findings"), r::toString);
    }

    @Test
    void findingsExit2AsTextJsonAndSarif(@TempDir Path dir) throws Exception {
        Path f = StackFiles.write(dir, "ssh.json", SSH);
        int line = (int) SSH.substring(0, SSH.indexOf("\"ports\": \"22\"")).chars().filter(c -> c == '\n').count() + 1;

        Cli.Result text = Cli.run(ENV, "lint", f.toString());
        assertEquals(2, text.exit(), text::toString);
        assertTrue(text.out().contains(f + ":" + line + ":") && text.out().contains("error: security group admin allows tcp/22")
                && text.out().contains("[NS101 admin-port-exposed]"), text::toString);

        Cli.Result json = Cli.run(ENV, "lint", f.toString(), "--format", "json");
        assertEquals(2, json.exit(), json::toString);
        JsonNode finding = Json.MAPPER.readTree(json.out()).path("findings").get(0);
        assertEquals("NS101", finding.path("rule").asText());
        assertEquals("error", finding.path("severity").asText());
        assertEquals("admin", finding.path("id").asText());
        assertEquals(f.toString(), finding.path("file").asText());
        assertEquals(line, finding.path("line").asInt());
        assertTrue(finding.path("column").asInt() > 0 && finding.path("message").asText().contains("SSH 22"));

        Cli.Result sarif = Cli.run(ENV, "lint", f.toString(), "--format", "sarif");
        assertEquals(2, sarif.exit(), sarif::toString);
        JsonNode s = Json.MAPPER.readTree(sarif.out());
        assertEquals("2.1.0", s.path("version").asText());
        JsonNode run = s.path("runs").get(0);
        assertEquals("netstack", run.path("tool").path("driver").path("name").asText());
        JsonNode result = run.path("results").get(0);
        assertEquals("NS101", result.path("ruleId").asText());
        assertEquals("NS101", run.path("tool").path("driver").path("rules").get(result.path("ruleIndex").asInt()).path("id").asText());
        JsonNode loc = result.path("locations").get(0).path("physicalLocation");
        assertEquals(line, loc.path("region").path("startLine").asInt());
        assertTrue(loc.path("artifactLocation").path("uri").asText().endsWith("ssh.json"));
        assertTrue(!loc.path("artifactLocation").path("uri").asText().contains("\\"));
    }

    @Test
    void lintIgnoreWithAReasonSilencesAndWithoutOneIsInvalid(@TempDir Path dir) {
        String ignored = SSH.replaceFirst("\"resources\"", "\"lintIgnore\": [ { \"rule\": \"NS101\", \"id\": \"admin\", \"reason\": \"bastion, allow-listed upstream\" } ],\n  \"resources\"");
        Cli.Result ok = Cli.run(ENV, "lint", StackFiles.write(dir, "ok.json", ignored).toString());
        assertEquals(0, ok.exit(), ok::toString);

        String noReason = SSH.replaceFirst("\"resources\"", "\"lintIgnore\": [ { \"rule\": \"NS101\" } ],\n  \"resources\"");
        Cli.Result bad = Cli.run(ENV, "lint", StackFiles.write(dir, "bad.json", noReason).toString());
        assertEquals(3, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("bad.json:4:") && bad.err().contains("needs a \"reason\""), bad::toString);
        // validate accepts the key too (it is part of the stack format).
        assertEquals(0, Cli.run(ENV, "validate", dir.resolve("ok.json").toString()).exit());

        String unknown = SSH.replaceFirst("\"resources\"", "\"lintIgnore\": [ { \"rule\": \"NS999\", \"reason\": \"typo\" } ],\n  \"resources\"");
        Cli.Result warn = Cli.run(ENV, "lint", StackFiles.write(dir, "unknown.json", unknown).toString());
        assertEquals(2, warn.exit(), warn::toString);
        assertTrue(warn.err().contains("warning: lintIgnore names unknown rule \"NS999\""), warn::toString);
    }

    @Test
    void reachExitCodesAndJson() throws Exception {
        Cli.Result ok = Cli.run(ENV, "reach", "stacks/three-tier.json", "--from", "net-private-a", "--to", "internet", "--port", "tcp/443");
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.out().contains("nat-gateway net-nat-a") && ok.out().contains("reachable: net-private-a → internet tcp/443"), ok::toString);

        Cli.Result no = Cli.run(ENV, "reach", "stacks/three-tier.json", "--from", "db-subnet-a", "--to", "internet", "--port", "tcp/443", "--json");
        assertEquals(2, no.exit(), no::toString);
        JsonNode j = Json.MAPPER.readTree(no.out());
        assertEquals(false, j.path("reachable").asBoolean(true));
        assertEquals("db-rt", j.path("blockedBy").path("id").asText());
        assertEquals("route-table", j.path("blockedBy").path("type").asText());
        assertTrue(j.path("blockedBy").path("line").asInt() > 0);
        assertEquals("subnet", j.path("path").get(0).path("type").asText());

        // --live reads AWS (ReachLiveIT), but a bad --port stops it first: the server here counts no request.
        Cli.Result live = Cli.run(ENV, "reach", "stacks/three-tier.json", "--from", "db-subnet-a", "--to", "internet", "--port", "tcp/99999", "--live");
        assertEquals(3, live.exit(), live::toString);
        assertTrue(live.err().contains("port must be 0-65535"), live::toString);

        Cli.Result bad = Cli.run(ENV, "reach", "stacks/three-tier.json", "--from", "nope", "--to", "internet", "--port", "tcp/443");
        assertEquals(3, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--from nope is not a resource"), bad::toString);
    }
}
