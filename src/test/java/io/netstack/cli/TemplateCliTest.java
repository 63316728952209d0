package io.netstack.cli;

import io.netstack.testing.CountingEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.api.Netstack;
import io.netstack.engine.Json;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates through the CLI: {@code render} of stacks/modular-vpc.json equals the hand-written
 * expansion and loads to the same resources; template errors (cycles, unknown functions, wrong
 * argument types, CIDRs that do not fit) exit 3 at the template's file:line:col with no AWS call
 * (the endpoint is a loopback server counting requests).
 */
class TemplateCliTest {
    static CountingEndpoint server;
    static final Path EXPECTED = Path.of("src/test/resources/templates/modular-vpc-2az-single-nat-flowlogs.json");
    static final String ROLE = "arn:aws:iam::123456789012:role/flow-logs";

    @BeforeAll
    static void start() {
        server = CountingEndpoint.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL", server.url(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    @Test
    void renderOfTheModularVpcEqualsTheHandWrittenStack(@TempDir Path dir) throws Exception {
        Path vars = StackFiles.write(dir, "vars.json", "{\"zones\": [\"a\", \"c\"], \"natPerZone\": false, \"flowLogRole\": \"" + ROLE + "\"}");
        Map<String, String> e = new HashMap<>(env());
        e.put("NETSTACK_VAR_flowLogs", "true");
        int before = server.requests();
        Cli.Result r = Cli.run(e, "render", "stacks/modular-vpc.json", "--var-file", vars.toString());
        assertEquals(0, r.exit(), r.toString());
        JsonNode rendered = Json.MAPPER.readTree(r.out());
        JsonNode expected = Json.MAPPER.readTree(EXPECTED.toFile());
        assertEquals(expected, rendered, "render output differs from " + EXPECTED + ":\n" + r.out());
        assertEquals(before, server.requests(), "render calls no AWS API");

        // the rendered file validates, and loads to exactly the resources the planner gets from the template
        Path out = StackFiles.write(dir, "rendered.json", r.out());
        Cli.Result v = Cli.run(env(), "validate", out.toString());
        assertEquals(0, v.exit(), v.toString());
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile template = ns.load(Path.of("stacks/modular-vpc.json"),
                    Map.of("zones", "[\"a\",\"c\"]", "natPerZone", "false", "flowLogs", "true", "flowLogRole", ROLE));
            StackFile hand = ns.load(EXPECTED, Map.of());
            ns.validate(template);
            ns.validate(hand);
            assertEquals(blocks(hand), blocks(template));
            assertEquals(hand.tags(), template.tags());
            assertEquals(hand.outputs(), template.outputs());
        }
    }

    /**
     * stacks/three-tier.json is written with the VPC module; its expansion is the hand-written
     * three-tier it replaced (src/test/resources/templates/three-tier-flat.json: that file with
     * the module's ids, net-vpc, net-private-a, …), so the network it builds did not change.
     */
    @Test
    void renderOfTheThreeTierEqualsTheHandWrittenNetwork(@TempDir Path dir) throws Exception {
        int before = server.requests();
        Cli.Result r = Cli.run(env(), "render", "stacks/three-tier.json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(Json.MAPPER.readTree(THREE_TIER_FLAT.toFile()), Json.MAPPER.readTree(r.out()), "render output differs from " + THREE_TIER_FLAT + ":\n" + r.out());
        assertEquals(before, server.requests(), "render calls no AWS API");
        Path out = StackFiles.write(dir, "rendered.json", r.out());
        Cli.Result v = Cli.run(env(), "validate", out.toString());
        assertEquals(0, v.exit(), v.toString());
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            StackFile template = ns.load(Path.of("stacks/three-tier.json"), Map.of());
            StackFile hand = ns.load(THREE_TIER_FLAT, Map.of());
            ns.validate(template);
            ns.validate(hand);
            // same blocks (property order aside: the module writes zone before cidr)
            Map<String, JsonNode> handBlocks = new java.util.TreeMap<>(), templateBlocks = new java.util.TreeMap<>();
            hand.resources().values().forEach(b -> handBlocks.put(b.id(), b.properties().deepCopy().put("type", b.type())));
            template.resources().values().forEach(b -> templateBlocks.put(b.id(), b.properties().deepCopy().put("type", b.type())));
            assertEquals(handBlocks, templateBlocks);
            assertEquals(hand.tags(), template.tags());
            assertEquals(hand.outputs(), template.outputs());
        }
    }

    static final Path THREE_TIER_FLAT = Path.of("src/test/resources/templates/three-tier-flat.json");

    static final String REQUIRED = """
            {
              "stack": "req",
              "region": "eu-west-1",
              "variables": {
                "zones": { "type": "list", "description": "zone letters" },
                "cidr":  { "type": "string", "format": "ipv4-cidr" }
              },
              "resources": {
                "vpc": { "type": "vpc", "cidr": "10.9.0.0/16" },
                "sub": { "type": "subnet", "forEach": "${var.zones}", "vpc": "${vpc}", "zone": "${zone(each.key)}",
                         "cidr": "${cidrsubnet(var.cidr, 8, zoneindex(each.key))}" }
              }
            }
            """;

    /** The offline commands take --var and --var-file as plan does; a required variable left out is exit 3 at the line that uses it. */
    @Test
    void offlineCommandsTakeVarFilesAndNameAMissingRequiredVariable(@TempDir Path dir) throws Exception {
        Path f = StackFiles.write(dir, "req.json", REQUIRED);
        Path vars = StackFiles.write(dir, "vars.json", "{\"zones\": [\"a\", \"b\"], \"cidr\": \"10.9.0.0/16\"}");
        Path svg = dir.resolve("req.svg");
        String[][] commands = {
                {"validate", f.toString()},
                {"lint", f.toString()},
                {"diagram", f.toString(), "-o", svg.toString()},
                {"reach", f.toString(), "--from", "sub-a", "--to", "internet", "--port", "tcp/443"},
                {"render", f.toString()},
        };
        int before = server.requests();
        for (String[] c : commands) {
            Cli.Result missing = Cli.run(env(), c);
            assertEquals(3, missing.exit(), c[0] + ": " + missing);
            assertTrue(missing.err().contains(f + ":10:43: variable \"zones\" has no value: pass --var zones=…, put it in a --var-file"), c[0] + ": " + missing);
            assertFalse(missing.err().contains("\tat "), "no stack trace: " + missing);

            String[] withFile = java.util.Arrays.copyOf(c, c.length + 2);
            withFile[c.length] = "--var-file";
            withFile[c.length + 1] = vars.toString();
            Cli.Result given = Cli.run(env(), withFile);
            assertTrue(given.exit() == 0 || given.exit() == 2, c[0] + " --var-file: " + given); // lint: findings, reach: blocked
            assertFalse(given.err().contains("has no value"), c[0] + " --var-file: " + given);
        }
        assertTrue(Files.readString(svg).contains("sub-b"), "the diagram has the zones of the variables file");
        // lint also reads NETSTACK_VAR_*, as plan does
        Map<String, String> e = new HashMap<>(env());
        e.put("NETSTACK_VAR_zones", "[\"a\"]");
        e.put("NETSTACK_VAR_cidr", "10.9.0.0/16");
        Cli.Result lint = Cli.run(e, "lint", f.toString(), "--format", "json");
        assertEquals(2, lint.exit(), lint.toString());
        assertFalse(lint.err().contains("has no value"), lint.toString());
        assertEquals(before, server.requests(), "none of these calls AWS");
    }

    static final String NET_MODULE = """
            {
              "variables": { "cidr": { "type": "string" }, "base": { "type": "string" }, "offset": { "type": "number", "default": 0 } },
              "resources": {
                "vpc": { "type": "vpc", "cidr": "${var.cidr}" },
                "sub": { "type": "subnet", "forEach": ["a", "b"], "vpc": "${vpc}", "zone": "${zone(each.key)}",
                         "cidr": "${cidrsubnet(var.base, 8, var.offset + zoneindex(each.key))}" }
              }
            }
            """;

    /**
     * An error in one instance of a repeated module points at the line of the module file where the
     * template is written and names the instance: an expansion error (a CIDR that does not fit) and
     * a validation error of the expanded block (a subnet outside its VPC) alike.
     */
    @Test
    void errorsInsideAModuleInstancePointAtTheModuleTemplateAndNameTheInstance(@TempDir Path dir) throws Exception {
        Path module = StackFiles.write(dir, "net.json", NET_MODULE);
        String[][] cases = {
                // instance "bad", zone b: network number 255 + 1 does not fit in 8 bits
                {"{\"ok\": 0, \"bad\": 255}", "\"10.0.0.0/16\"",
                        "cidrsubnet(): network number 256 does not fit in 8 new bits of 10.0.0.0/16 (0..255) (in net-bad-sub-b: module net-bad, forEach key \"b\")", "1 error;"},
                // instance "bad": its two subnets are numbered in another /16 than its VPC
                {"{\"ok\": 0, \"bad\": 0}", "\"${each.key == 'bad' ? '10.1.0.0/16' : '10.0.0.0/16'}\"",
                        "net-bad-sub-a: 10.1.0.0/24 is outside net-bad-vpc's CIDR blocks (10.0.0.0/16) (in net-bad-sub-a: module net-bad, forEach key \"a\")", "2 errors;"},
        };
        for (String[] c : cases) {
            Path f = StackFiles.write(dir, "stack.json", "{\n  \"stack\": \"mods\",\n  \"region\": \"eu-west-1\",\n  \"resources\": {\n"
                    + "    \"net\": { \"module\": \"./net.json\", \"forEach\": " + c[0] + ",\n"
                    + "             \"inputs\": { \"cidr\": \"10.0.0.0/16\", \"base\": " + c[1] + ", \"offset\": \"${each.value}\" } }\n  }\n}\n");
            for (String cmd : new String[] {"validate", "plan"}) {
                int before = server.requests();
                Cli.Result r = Cli.run(env(), cmd, f.toString());
                assertEquals(3, r.exit(), cmd + ": " + r);
                // line 6 of net.json, at the "cidr" template string
                String at = module + ":6:" + (NET_MODULE.lines().toList().get(5).indexOf("\"${cidrsubnet(") + 1) + ": ";
                assertTrue(r.err().contains(at + c[2]), cmd + ": expected " + at + c[2] + " in\n" + r);
                assertTrue(r.err().contains(c[3]) && !r.err().contains("net-ok"), "only the bad instance fails: " + r);
                assertEquals(before, server.requests(), "no AWS call for " + cmd);
            }
        }
    }

    static Map<String, String> blocks(StackFile s) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (ResourceBlock b : s.resources().values()) m.put(b.id(), b.type() + " " + b.properties());
        return m;
    }

    @Test
    void threeZonesWithANatGatewayPerZoneAndNoFlowLogs() throws Exception {
        Cli.Result r = Cli.run(env(), "render", "stacks/modular-vpc.json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode res = Json.MAPPER.readTree(r.out()).get("resources");
        for (String z : new String[] {"a", "b", "c"}) {
            assertEquals("${net-nat-" + z + "}", res.at("/net-private-rt-" + z + "/routes/0/target").asText());
            assertEquals("${net-public-" + z + "}", res.at("/net-nat-" + z + "/subnet").asText());
        }
        assertFalse(res.has("net-flow-log"));
        assertEquals(20, res.size(), "18 from the module, web and app: " + r.out());
    }

    static final String HEAD = "{\n  \"stack\": \"bad\",\n  \"region\": \"eu-west-1\",\n"
            + "  \"variables\": { \"zones\": { \"type\": \"list\", \"default\": [\"a\", \"b\"] } },\n  \"resources\": {\n"
            + "    \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" },\n";

    /** The template line is line 7; {@code token} is where the error must point. */
    @Test
    void templateErrorsExit3AtTheTemplateLineWithNoAwsCall(@TempDir Path dir) {
        String[][] cases = {
                {"\"s\": { \"type\": \"subnet\", \"forEach\": \"${var.zones}\", \"vpc\": \"${vpc}\", \"cidr\": \"${cidrsubnet('10.0.0.0/16', 8, 256 + zoneindex(each.key))}\" }",
                        "\"${cidrsubnet(", "does not fit in 8 new bits of 10.0.0.0/16 (0..255) (in s-a: forEach key \"a\")"},
                {"\"s\": { \"type\": \"subnet\", \"forEach\": \"${var.zones}\", \"vpc\": \"${vpc}\", \"cidr\": \"${cidrsubnet('10.1.0.0/16', 8, zoneindex(each.key))}\" }",
                        "\"${cidrsubnet(", "s-b: 10.1.1.0/24 is outside vpc's CIDR blocks (10.0.0.0/16) (in s-b: forEach key \"b\")"},
                {"\"s\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"${cidr_subnet('10.0.0.0/16', 8, 1)}\" }",
                        "\"${cidr_subnet(", "unknown function cidr_subnet()"},
                {"\"s\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"${cidrsubnet('10.0.0.0/16', var.zones, 1)}\" }",
                        "\"${cidrsubnet(", "cidrsubnet(): argument 2 must be a whole number, got list of 2"},
                {"\"s\": { \"type\": \"security-group\", \"forEach\": \"${var.zones}\", \"vpc\": \"${vpc}\", \"description\": \"${s[each.key == 'a' ? 'b' : 'a'].arn}\" }",
                        "{ \"type\"", "reference cycle: s-a → s-b → s-a (in s-a: forEach key \"a\")"},
        };
        for (String[] c : cases) {
            Path f = StackFiles.write(dir, "bad.json", HEAD + "    " + c[0] + "\n  }\n}\n");
            int col = 4 + c[0].indexOf(c[1]) + 1;
            for (String cmd : new String[] {"validate", "plan", "render"}) {
                int before = server.requests();
                Cli.Result r = Cli.run(env(), cmd, f.toString());
                assertEquals(3, r.exit(), cmd + " " + c[0] + ": " + r);
                Pattern p = Pattern.compile("(?m)^" + Pattern.quote(f + ":7:" + col + ": ") + ".*" + Pattern.quote(c[2]));
                assertTrue(p.matcher(r.err()).find(), cmd + ": expected " + f + ":7:" + col + ": …" + c[2] + " in\n" + r);
                assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
                assertEquals(before, server.requests(), "no AWS call for " + cmd);
            }
        }
    }

    @Test
    void localAndModuleCyclesExit3(@TempDir Path dir) throws Exception {
        Path f = StackFiles.write(dir, "bad.json", HEAD.replace("  \"resources\"", "  \"locals\": { \"a\": \"${local.b}\", \"b\": \"${[local.a]}\" },\n  \"resources\"")
                + "    \"s\": { \"type\": \"elastic-ip\", \"forEach\": \"${local.a}\" }\n  }\n}\n");
        Cli.Result r = Cli.run(env(), "validate", f.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(f + ":5:"), r.toString());
        assertTrue(r.err().contains("cycle between locals: "), r.toString());

        Files.writeString(dir.resolve("a.json"), "{\n  \"resources\": {\n    \"b\": { \"module\": \"./b.json\" }\n  }\n}\n");
        Files.writeString(dir.resolve("b.json"), "{\n  \"resources\": {\n    \"a\": { \"module\": \"./a.json\" }\n  }\n}\n");
        Path m = StackFiles.write(dir, "mods.json", HEAD + "    \"top\": { \"module\": \"./a.json\" }\n  }\n}\n");
        int before = server.requests();
        Cli.Result mr = Cli.run(env(), "plan", m.toString());
        assertEquals(3, mr.exit(), mr.toString());
        assertTrue(mr.err().contains("b.json:3:22: module cycle: "), mr.toString());
        assertTrue(mr.err().contains("(in module top-b-a: module top, module top-b)"), mr.toString());
        assertEquals(before, server.requests(), "no AWS call");
    }
}
