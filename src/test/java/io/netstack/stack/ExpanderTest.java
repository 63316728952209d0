package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Templates: repetition, conditions, typed variables, locals, modules, and where their errors point. */
class ExpanderTest {
    static final ObjectMapper M = new ObjectMapper();

    static String stack(String variables, String resources) {
        return "{\n  \"stack\": \"t\",\n  \"region\": \"eu-west-1\",\n  \"variables\": {" + variables + "},\n  \"resources\": {\n" + resources + "\n  }\n}\n";
    }

    static StackFile load(String text, Map<String, String> vars) {
        return StackLoader.parse("t.json", text, vars, Map.of());
    }

    static StackError onlyError(String text, Map<String, String> vars) {
        StackException e = assertThrows(StackException.class, () -> load(text, vars));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    static final String ZONES = "\"zones\": {\"type\": \"list\", \"default\": [\"a\", \"b\"]}";
    static final String SUBNETS = """
                "vpc": {"type": "vpc", "cidr": "10.0.0.0/16"},
                "sub": {"type": "subnet", "forEach": "${var.zones}", "vpc": "${vpc}",
                        "cidr": "${cidrsubnet('10.0.0.0/16', 8, zoneindex(each.key))}", "zone": "${zone(each.key)}"},
                "rt":  {"type": "route-table", "vpc": "${vpc}", "subnets": ["${sub[*]}"]}""";

    @Test
    void forEachMakesOneResourcePerKeyWithKeyDerivedIds() {
        StackFile s = load(stack(ZONES, SUBNETS), Map.of("zones", "[\"a\", \"c\"]"));
        assertEquals(List.of("vpc", "sub-a", "sub-c", "rt"), List.copyOf(s.resources().keySet()));
        assertEquals("10.0.2.0/24", s.resources().get("sub-c").properties().get("cidr").asText());
        assertEquals("eu-west-1c", s.resources().get("sub-c").properties().get("zone").asText());
        assertEquals("${vpc}", s.resources().get("sub-a").properties().get("vpc").asText());
        assertEquals("[\"${sub-a}\",\"${sub-c}\"]", s.resources().get("rt").properties().get("subnets").toString());
        assertFalse(s.resources().get("sub-a").properties().has("forEach"));
    }

    @Test
    void expandedNodesKeepTheTemplateLocationAndNameTheirInstance() {
        StackFile s = load(stack(ZONES, SUBNETS), Map.of());
        Location l = s.locate(s.resources().get("sub-b").pointer("cidr"));
        assertEquals(8, l.line(), l.toString());
        assertEquals("sub-b: forEach key \"b\"", l.instance());
        assertEquals(7, s.locateKey("/resources/sub-b").line());
    }

    @Test
    void forEachOverAMapBindsKeyAndValue() {
        String res = """
                "vpc": {"type": "vpc", "cidr": "10.0.0.0/16"},
                "sub": {"type": "subnet", "forEach": {"web": 1, "App DB": 7}, "vpc": "${vpc}",
                        "cidr": "${cidrsubnet('10.0.0.0/16', 8, each.value)}", "zone": "${format('%s%s', 'eu-west-1', 'a')}"}""";
        StackFile s = load(stack("", res), Map.of());
        assertEquals(List.of("vpc", "sub-web", "sub-app-db"), List.copyOf(s.resources().keySet()));
        assertEquals("10.0.7.0/24", s.resources().get("sub-app-db").properties().get("cidr").asText());
    }

    @Test
    void conditionsOnResourcesPropertiesAndListElements() {
        String vars = "\"nat\": {\"type\": \"bool\", \"default\": false}, \"logs\": {\"type\": \"bool\", \"default\": true}";
        String res = """
                "vpc": {"type": "vpc", "cidr": "10.0.0.0/16", "dnsHostnames": {"if": "${var.logs}", "then": true, "else": false},
                        "secondaryCidrs": [{"if": "${var.nat}", "then": "10.1.0.0/16"}, "10.2.0.0/16"]},
                "ip":  {"type": "elastic-ip", "if": "${var.nat}"},
                "rt":  {"type": "route-table", "vpc": "${vpc}",
                        "routes": [{"if": "${!var.nat}", "destination": "0.0.0.0/0", "target": "igw-0123"}]}""";
        StackFile s = load(stack(vars, res), Map.of());
        assertEquals(List.of("vpc", "rt"), List.copyOf(s.resources().keySet()));
        assertTrue(s.resources().get("vpc").properties().get("dnsHostnames").asBoolean());
        assertEquals("[\"10.2.0.0/16\"]", s.resources().get("vpc").properties().get("secondaryCidrs").toString());
        assertEquals("{\"destination\":\"0.0.0.0/0\",\"target\":\"igw-0123\"}", s.resources().get("rt").properties().get("routes").get(0).toString());

        StackFile on = load(stack(vars, res), Map.of("nat", "true"));
        assertEquals(List.of("vpc", "ip", "rt"), List.copyOf(on.resources().keySet()));
        assertEquals(0, on.resources().get("rt").properties().get("routes").size());
    }

    @Test
    void typedVariablesFromVarFileAndEnvironmentInThatOrder(@TempDir Path dir) throws Exception {
        String vars = "\"n\": {\"type\": \"number\", \"min\": 1, \"max\": 3}, \"cidr\": {\"type\": \"string\", \"format\": \"ipv4-cidr\", \"default\": \"10.0.0.0/16\"}";
        String res = "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"${var.cidr}\"}, \"ip\": {\"type\": \"elastic-ip\", \"forEach\": \"${range(var.n)}\"}";
        Path f = dir.resolve("t.json");
        Files.writeString(f, stack(vars, res));
        Path vf = dir.resolve("v.json");
        Files.writeString(vf, "{\"n\": 2, \"cidr\": \"10.9.0.0/16\"}");
        StackFile s = StackLoader.load(f, VarFile.read(vf), Map.of("NETSTACK_VAR_n", "3"));
        assertEquals(List.of("vpc", "ip-0", "ip-1"), List.copyOf(s.resources().keySet()), "the file wins over the environment");
        assertEquals("10.9.0.0/16", s.resources().get("vpc").properties().get("cidr").asText());
        StackFile env = StackLoader.load(f, Map.of(), Map.of("NETSTACK_VAR_n", "3", "NETSTACK_VAR_unrelated", "x"));
        assertEquals(4, env.resources().size());
        assertEquals("3", env.variableValues().get("n"));
    }

    @Test
    void variableValidationPointsAtTheDeclaration() {
        String vars = "\n  \"env\": {\"type\": \"string\", \"allowed\": [\"dev\", \"prod\"], \"default\": \"dev\"},\n  \"n\": {\"type\": \"number\", \"max\": 3, \"default\": 1},\n"
                + "  \"cidr\": {\"type\": \"string\", \"format\": \"cidr\", \"default\": \"10.0.0.0/16\"},\n  \"on\": {\"type\": \"bool\", \"default\": true}";
        String text = stack(vars, "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"${var.cidr}\"}");
        StackError e = onlyError(text, Map.of("env", "test"));
        assertEquals(5, e.location().line());
        assertTrue(e.message().contains("string \"test\" is not allowed (allowed: [\"dev\",\"prod\"])"), e.message());
        assertTrue(onlyError(text, Map.of("n", "4")).message().contains("4 is above the maximum 3"));
        assertTrue(onlyError(text, Map.of("n", "four")).message().contains("\"four\" is not a number"));
        assertTrue(onlyError(text, Map.of("cidr", "10.0.0.1/16")).message().contains("has host bits set"));
        assertTrue(onlyError(text, Map.of("on", "yes")).message().contains("is not a bool"));
        assertTrue(onlyError(text, Map.of("zones", "[]")).message().contains("--var zones is not a variable of this stack"));
    }

    @Test
    void unsetVariablesAreAnErrorOnlyWhereUsed() {
        String vars = "\"unused\": {\"type\": \"string\"}, \"cidr\": {\"type\": \"string\"}";
        StackError e = onlyError(stack(vars, "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"${var.cidr}\"}"), Map.of());
        assertEquals(6, e.location().line());
        assertTrue(e.message().contains("variable \"cidr\" has no value: pass --var cidr=…"), e.message());
    }

    /** Each case: the resource line (line 6), the text the error must point at, the message. */
    @Test
    void expressionErrorsPointAtTheTemplateString() {
        String[][] cases = {
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrsubnet('10.0.0.0/16', 8, 256)}\"}", "network number 256 does not fit in 8 new bits of 10.0.0.0/16 (0..255)"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrsubnet('10.0.0.0/30', 8, 1)}\"}", "10.0.0.0/30 has no room for 8 more bits"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrsubnett('10.0.0.0/16', 8, 1)}\"}", "unknown function cidrsubnett()"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrsubnet(16, 8, 1)}\"}", "cidrsubnet(): argument 1 must be a string, got number 16"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrsubnet('10.0.0.0/16', '8', 1)}\"}", "cidrsubnet(): argument 2 must be a whole number, got string \"8\""},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrhost('10.0.0.0/30', 4)}\"}", "host number 4 does not fit in 10.0.0.0/30"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${upper(var.nope)}\"}", "unknown variable var.nope"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${1 +}\"}", "cannot parse ${1 +}"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${each.key}\"}", "each.key is only defined inside a resource with \"forEach\""},
                {"\"a\": {\"type\": \"elastic-ip\", \"forEach\": \"${[vpc]}\"}, \"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}", "forEach over a list needs strings or numbers"},
                {"\"a\": {\"type\": \"elastic-ip\", \"forEach\": \"${vpc}\"}, \"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}", "repetition keys must be known offline"},
                {"\"a\": {\"type\": \"elastic-ip\", \"if\": \"${vpc.arn == 'x'}\"}, \"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}", "known only after apply"},
                {"\"a\": {\"type\": \"elastic-ip\", \"if\": \"yes\"}", "\"if\" must be a boolean, got string \"yes\""},
                {"\"a\": {\"type\": \"elastic-ip\", \"forEach\": [\"x\", \"X\"]}", "forEach keys \"x\" and \"X\" both give the id a-x"},
                {"\"a\": {\"type\": \"vpc\", \"cidr\": \"${cidrsubnet(b.arn, 8, 1)}\"}, \"b\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}", "argument 1 is ${b.arn}, known only after apply"},
                {"\"a\": {\"type\": \"elastic-ip\", \"forEach\": [\"x\"]}, \"b\": {\"type\": \"vpc\", \"cidr\": \"${a}\"}", "a is repeated (forEach): use a[key] for one instance or a[*] for all"},
                {"\"a\": {\"type\": \"elastic-ip\", \"forEach\": [\"x\"]}, \"b\": {\"type\": \"vpc\", \"cidr\": \"${a['y']}\"}", "a has no instance \"y\" (keys: x)"},
                {"\"a\": {\"type\": \"elastic-ip\", \"if\": false}, \"b\": {\"type\": \"vpc\", \"cidr\": \"${a}\"}", "resource a is not created: its \"if\" is false"},
        };
        for (String[] c : cases) {
            String text = stack("", c[0]);
            StackException ex = assertThrows(StackException.class, () -> load(text, Map.of()), c[0]);
            assertEquals(1, ex.errors().size(), ex.getMessage());
            StackError e = ex.errors().get(0);
            assertTrue(e.message().contains(c[1]), c[0] + " → " + e);
            String line = text.split("\n")[e.location().line() - 1];
            assertTrue(line.contains(c[0].substring(0, 20)), "error at line " + e.location().line() + " (" + line + ") for " + c[0]);
            assertTrue(e.location().column() > 1, e.toString());
        }
    }

    @Test
    void errorInOneInstanceNamesThatInstance() {
        String vars = "\"nums\": {\"type\": \"map\", \"default\": {\"a\": 1, \"b\": 300}}";
        String res = "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"},\n"
                + "\"s\": {\"type\": \"subnet\", \"forEach\": \"${var.nums}\", \"vpc\": \"${vpc}\",\n  \"cidr\": \"${cidrsubnet('10.0.0.0/16', 8, each.value)}\"}";
        StackError e = onlyError(stack(vars, res), Map.of());
        assertEquals(8, e.location().line());
        assertEquals(11, e.location().column());
        assertTrue(e.toString().endsWith("(in s-b: forEach key \"b\")"), e.toString());
    }

    @Test
    void validatorErrorsOfAnExpandedResourcePointAtTheTemplate() {
        // the v1 loader's own check, on an expanded id: it points at the template's key and names the instance
        String res = "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"},\n\"s\": {\"type\": \"elastic-ip\", \"forEach\": [\"a\"]}";
        String text = stack("", res).replace("\"resources\": {", "\"driftIgnore\": [\"s.tags\"],\n  \"resources\": {");
        StackError e = onlyError(text, Map.of());
        assertTrue(e.message().contains("driftIgnore names unknown resource \"s\""), e.toString());
    }

    @Test
    void localsAreEvaluatedOnceAndCyclesAreErrors() {
        String text = "{\n  \"stack\": \"t\",\n  \"region\": \"eu-west-1\",\n  \"locals\": {\n    \"a\": \"${local.b}\",\n    \"b\": \"${local.a}\",\n"
                + "    \"zones\": \"${zones(2)}\"\n  },\n  \"resources\": {\n    \"vpc\": {\"type\": \"vpc\", \"cidr\": \"${local.a}\"},\n"
                + "    \"ip\": {\"type\": \"elastic-ip\", \"forEach\": \"${local.zones}\"}\n  }\n}\n";
        StackException e = assertThrows(StackException.class, () -> load(text, Map.of()));
        assertEquals(1, e.errors().size(), e.getMessage());
        assertTrue(e.errors().get(0).message().startsWith("cycle between locals: "), e.getMessage());
        assertTrue(List.of(5, 6).contains(e.errors().get(0).location().line()), e.getMessage());
        StackFile ok = load(text.replace("\"${local.b}\"", "\"10.0.0.0/16\""), Map.of());
        assertEquals(List.of("vpc", "ip-eu-west-1a", "ip-eu-west-1b"), List.copyOf(ok.resources().keySet()));
    }

    @Test
    void plainV1FilesAreNotTemplates() {
        String v1 = stack("\"env\": {\"default\": \"prod\"}", "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\", \"tags\": {\"env\": \"${var.env}\"}},\n"
                + "\"s\": {\"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.1.0/24\"}, \"o\": {\"type\": \"elastic-ip\", \"tags\": {\"x\": \"${stack:other/vpc.arn}\"}}");
        assertFalse(Expander.isTemplate(LocatedJson.parse("t.json", v1).root()));
        assertTrue(Expander.isTemplate(LocatedJson.parse("t.json", v1.replace("${vpc}", "${vpc }")).root()));
        assertTrue(Expander.isTemplate(LocatedJson.parse("t.json", stack(ZONES, SUBNETS)).root()));
        StackFile s = load(v1, Map.of());
        assertNull(s.locate("/resources/s").instance());
    }

    @Test
    void iamPolicyVariablesStayAsWritten() {
        String res = "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"},\n"
                + "\"e\": {\"type\": \"vpc-endpoint\", \"vpc\": \"${vpc}\", \"service\": \"s3\", \"policy\": {\"Resource\": \"arn:aws:s3:::b/${aws:username}/${*}\"}}";
        assertFalse(Expander.isTemplate(LocatedJson.parse("t.json", stack("", res)).root()), "plain v1");
        StackFile s = load(stack(ZONES, res + ",\n\"ip\": {\"type\": \"elastic-ip\", \"forEach\": \"${var.zones}\"}"), Map.of());
        assertEquals("arn:aws:s3:::b/${aws:username}/${*}", s.resources().get("e").properties().at("/policy/Resource").asText());
    }

    @Test
    void renderingAV1FileSubstitutesVariablesAndKeepsReferences(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, stack("\"env\": {\"default\": \"prod\"}", "\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\", \"tags\": {\"env\": \"${var.env}\", \"k\": \"${env.KEY}\"}}"));
        JsonNode r = StackLoader.render(f, Map.of("env", "dev"), Map.of()).root();
        assertEquals("{\"env\":\"dev\",\"k\":\"${env.KEY}\"}", r.at("/resources/vpc/tags").toString());
        assertFalse(r.has("variables"));
    }

    // ---- modules ------------------------------------------------------------------------------------

    static final String MODULE = """
            {
              "variables": {
                "cidr":  {"type": "string", "format": "ipv4-cidr"},
                "zones": {"type": "list", "default": ["a"]}
              },
              "resources": {
                "vpc": {"type": "vpc", "cidr": "${var.cidr}"},
                "sub": {"type": "subnet", "forEach": "${var.zones}", "vpc": "${vpc}", "zone": "${zone(each.key)}",
                        "cidr": "${cidrsubnet(var.cidr, 8, zoneindex(each.key))}"}
              },
              "outputs": {"vpcId": "${vpc}", "subnets": "${sub[*]}"}
            }
            """;

    @Test
    void moduleResourcesArePrefixedAndItsOutputsReferenceable(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("mod"));
        Files.writeString(dir.resolve("mod/net.json"), MODULE);
        String res = """
                "a": {"module": "./mod/net.json", "inputs": {"cidr": "10.1.0.0/16", "zones": ["a", "b"]}},
                "b": {"module": "mod/net.json", "forEach": {"x": "10.2.0.0/16", "y": "10.3.0.0/16"}, "inputs": {"cidr": "${each.value}"}},
                "rt": {"type": "route-table", "vpc": "${a.vpcId}", "subnets": ["${a.subnets}", "${b['y'].subnets}"]}""";
        Path f = dir.resolve("t.json");
        Files.writeString(f, stack("", res));
        StackFile s = StackLoader.load(f, Map.of(), Map.of());
        assertEquals(List.of("a-vpc", "a-sub-a", "a-sub-b", "b-x-vpc", "b-x-sub-a", "b-y-vpc", "b-y-sub-a", "rt"), List.copyOf(s.resources().keySet()));
        assertEquals("10.3.0.0/24", s.resources().get("b-y-sub-a").properties().get("cidr").asText());
        assertEquals("${b-y-vpc}", s.resources().get("b-y-sub-a").properties().get("vpc").asText());
        assertEquals("${a-vpc}", s.resources().get("rt").properties().get("vpc").asText());
        assertEquals("[\"${a-sub-a}\",\"${a-sub-b}\",\"${b-y-sub-a}\"]", s.resources().get("rt").properties().get("subnets").toString());
        Location l = s.locate(s.resources().get("a-sub-b").pointer("cidr"));
        assertTrue(l.file().endsWith("net.json"), l.toString());
        assertEquals(9, l.line());
        assertEquals("a-sub-b: module a, forEach key \"b\"", l.instance());
    }

    @Test
    void moduleErrors(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("net.json"), MODULE);
        Files.writeString(dir.resolve("self.json"), "{\"resources\": {\"again\": {\"module\": \"./self.json\"}}}");
        Path f = dir.resolve("t.json");
        String[][] cases = {
                {"\"a\": {\"module\": \"./net.json\", \"inputs\": {\"zones\": [\"a\"]}}", "module a needs input \"cidr\"", "t.json"},
                {"\"a\": {\"module\": \"./net.json\", \"inputs\": {\"cidr\": \"10.0.0.0/16\", \"colour\": 1}}", "has no variable \"colour\"", "t.json"},
                {"\"a\": {\"module\": \"./net.json\", \"inputs\": {\"cidr\": \"10.0.0.1/16\"}}", "input cidr: '10.0.0.1/16' has host bits set", "t.json"},
                {"\"a\": {\"module\": \"./net.json\", \"inputs\": {\"cidr\": \"10.0.0.0/30\"}}", "10.0.0.0/30 has no room for 8 more bits", "net.json"},
                {"\"a\": {\"module\": \"./nope.json\"}", "cannot read module", "t.json"},
                {"\"a\": {\"module\": \"./self.json\"}", "module cycle", "self.json"},
                {"\"a\": {\"module\": \"./net.json\", \"inputs\": {\"cidr\": \"10.0.0.0/16\"}}, \"b\": {\"type\": \"vpc\", \"cidr\": \"${a.nope}\"}", "no key 'nope' (keys: vpcId, subnets)", "t.json"},
        };
        for (String[] c : cases) {
            Files.writeString(f, stack("", c[0]));
            StackException e = assertThrows(StackException.class, () -> StackLoader.load(f, Map.of(), Map.of()), c[0]);
            assertTrue(e.errors().stream().anyMatch(x -> x.message().contains(c[1]) && x.location().file().endsWith(c[2]) && x.location().line() > 0), c[0] + " → " + e.getMessage());
        }
    }
}
