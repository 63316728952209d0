package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StackLoaderTest {
    private static final String FILE = "net.json";

    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    private static StackFile parse(String text) {
        return StackLoader.parse(FILE, text, Map.of());
    }

    private static StackFile parse(String text, Map<String, String> vars) {
        return StackLoader.parse(FILE, text, vars);
    }

    private static List<StackError> errors(String text, Map<String, String> vars) {
        return assertThrows(StackException.class, () -> StackLoader.parse(FILE, text, vars)).errors();
    }

    private static List<StackError> errors(String text) {
        return errors(text, Map.of());
    }

    private static StackError single(String text) {
        return single(text, Map.of());
    }

    private static StackError single(String text, Map<String, String> vars) {
        List<StackError> e = errors(text, vars);
        assertEquals(1, e.size(), e.toString());
        return e.get(0);
    }

    /** A valid stack with {@code extraTopLevel} as line 4 and one resource, "vpc", on line 6. */
    private static String withTop(String extraTopLevel) {
        return lines(
                "{",
                "  \"stack\": \"shop-prod\",",
                "  \"region\": \"eu-west-1\",",
                extraTopLevel,
                "  \"resources\": {",
                "    \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" }",
                "  }",
                "}");
    }

    private static String withStackAndRegion(String stack, String region) {
        return "{\"stack\": \"" + stack + "\", \"region\": \"" + region + "\", \"resources\": {}}";
    }

    private static String withResources(String resources) {
        return "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": " + resources + "}";
    }

    @Nested
    class ValidFiles {
        @Test
        void minimalStack() {
            StackFile s = parse(withTop(""));
            assertEquals(FILE, s.file());
            assertEquals("shop-prod", s.name());
            assertEquals("eu-west-1", s.region());
            assertEquals(Map.of(), s.tags());
            assertEquals(Map.of(), s.variables());
            assertEquals(Map.of(), s.variableValues());
            assertEquals(Map.of(), s.outputs());
            assertEquals(List.of(), s.driftIgnore());
            assertEquals(List.of("vpc"), List.copyOf(s.resources().keySet()));
            ResourceBlock vpc = s.resources().get("vpc");
            assertEquals("vpc", vpc.id());
            assertEquals("vpc", vpc.type());
            assertEquals("{\"cidr\":\"10.0.0.0/16\"}", vpc.properties().toString(), "type is removed from the properties");
            assertEquals("/resources/vpc", vpc.pointer());
            assertEquals("/resources/vpc/cidr", vpc.pointer("cidr"));
            assertEquals(new Location(FILE, 6, 37), s.locate(vpc.pointer("cidr")));
            assertEquals(new Location(FILE, 6, 29), s.locateKey(vpc.pointer("cidr")));
        }

        @Test
        void fullExampleFromTheFormatDocument() {
            StackFile s = parse(lines(
                    "{",
                    "  \"$schema\": \"./schema/netstack-stack.schema.json\",",
                    "  \"stack\": \"shop-prod\",",
                    "  \"region\": \"eu-west-1\",",
                    "  \"tags\": { \"team\": \"platform\" },",
                    "  \"variables\": { \"env\": { \"default\": \"prod\", \"description\": \"environment\" } },",
                    "  \"resources\": {",
                    "    \"vpc\":      { \"type\": \"vpc\", \"cidr\": \"10.20.0.0/16\", \"dnsHostnames\": true },",
                    "    \"igw\":      { \"type\": \"internet-gateway\", \"vpc\": \"${vpc}\" },",
                    "    \"nat-ip\":   { \"type\": \"elastic-ip\" }",
                    "  },",
                    "  \"outputs\": { \"vpcId\": \"${vpc}\", \"natIp\": \"${nat-ip.publicIp}\" },",
                    "  \"driftIgnore\": [\"vpc.tags.CostCenter\"]",
                    "}"));
            assertEquals(Map.of("team", "platform"), s.tags());
            assertEquals(new Variable("env", "prod", "environment"), s.variables().get("env"));
            assertEquals(Map.of("env", "prod"), s.variableValues());
            assertEquals(List.of("vpc", "igw", "nat-ip"), List.copyOf(s.resources().keySet()), "file order is kept");
            assertEquals("${vpc}", s.resources().get("igw").properties().get("vpc").asText(), "references stay text");
            assertTrue(s.resources().get("vpc").properties().get("dnsHostnames").booleanValue());
            assertEquals(0, s.resources().get("nat-ip").properties().size());
            assertEquals(List.of("vpcId", "natIp"), List.copyOf(s.outputs().keySet()));
            assertEquals("${nat-ip.publicIp}", s.outputs().get("natIp"));
            assertEquals(List.of("vpc.tags.CostCenter"), s.driftIgnore());
        }

        @Test
        void resourcesKeepFileOrder() {
            StackFile s = parse(withResources("{\"z\": {\"type\": \"vpc\"}, \"a\": {\"type\": \"vpc\"}, \"m\": {\"type\": \"subnet\"}}"));
            assertEquals(List.of("z", "a", "m"), List.copyOf(s.resources().keySet()));
        }

        @Test
        void emptyResourcesIsAllowed() {
            assertEquals(Map.of(), parse(withResources("{}")).resources());
        }

        @Test
        void loadFromPath(@TempDir Path dir) throws Exception {
            Path f = dir.resolve("stack.json");
            Files.writeString(f, withTop(""));
            StackFile s = StackLoader.load(f, Map.of());
            assertEquals(f.toString(), s.file());
            assertEquals("shop-prod", s.name());
        }

        @Test
        void loadMissingFile(@TempDir Path dir) {
            Path f = dir.resolve("nope.json");
            StackException e = assertThrows(StackException.class, () -> StackLoader.load(f, Map.of()));
            assertEquals(List.of(new StackError(Location.unknown(f.toString()), "no such file")), e.errors());
        }
    }

    @Nested
    class TopLevel {
        @Test
        void missingRequiredKeysAreAllReportedAtTheRoot() {
            List<StackError> e = errors("{}");
            assertEquals(List.of(
                    new StackError(new Location(FILE, 1, 1), "missing required key \"region\""),
                    new StackError(new Location(FILE, 1, 1), "missing required key \"resources\""),
                    new StackError(new Location(FILE, 1, 1), "missing required key \"stack\"")), e);
        }

        @Test
        void requiredKeysMustBeStrings() {
            List<StackError> e = errors(lines(
                    "{",
                    "  \"stack\": 7,",
                    "  \"region\": [\"eu-west-1\"],",
                    "  \"resources\": []",
                    "}"));
            assertEquals(List.of(
                    "net.json:2:12: \"stack\" must be a string",
                    "net.json:3:13: \"region\" must be a string",
                    "net.json:4:16: \"resources\" must be an object of logical id → resource block"),
                    e.stream().map(StackError::toString).toList());
        }

        @Test
        void rootMustBeAnObject() {
            StackError e = single("[1, 2]");
            assertEquals("net.json:1:1: a stack file must be a JSON object", e.toString());
        }

        @Test
        void invalidJsonIsReportedWithLocation() {
            StackError e = single(lines("{", "  \"stack\": \"a\"", "  \"region\": \"eu-west-1\"", "}"));
            assertEquals(new Location(FILE, 3, 3), e.location());
            assertTrue(e.message().startsWith("invalid JSON: "), e.message());
        }

        @Test
        void unknownTopLevelKeyIsReportedAtTheKey() {
            StackError e = single(withTop("    \"resource\": {},"));
            assertEquals(new Location(FILE, 4, 5), e.location());
            assertEquals("unknown top-level key \"resource\" (expected one of account, driftIgnore, lintIgnore, outputs, region, resources, stack, tags, variables)",
                    e.message());
        }

        @Test
        void schemaKeyIsAllowed() {
            assertEquals("shop-prod", parse(withTop("  \"$schema\": \"./schema/netstack-stack.schema.json\",")).name());
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "shop-prod", "s3", "a-1-b", "abcdefghijklmnopqrstuvwxyzabcdefghijklmn"})
        void goodStackNames(String name) {
            assertEquals(name, parse(withStackAndRegion(name, "eu-west-1")).name());
        }

        @ParameterizedTest
        @ValueSource(strings = {"Shop", "shop_prod", "1shop", "-shop", "", "shop prod", "abcdefghijklmnopqrstuvwxyzabcdefghijklmno"})
        void badStackNames(String name) {
            StackError e = single(withStackAndRegion(name, "eu-west-1"));
            assertEquals(new Location(FILE, 1, 11), e.location());
            assertEquals("stack name \"" + name + "\" must match [a-z][a-z0-9-]{0,39}", e.message());
        }

        @ParameterizedTest
        @ValueSource(strings = {"eu-west-1", "us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "me-central-1", "us-isob-east-1", "eusc-de-east-1"})
        void goodRegions(String region) {
            assertEquals(region, parse(withStackAndRegion("s", region)).region());
        }

        @ParameterizedTest
        @ValueSource(strings = {"eu-west", "EU-WEST-1", "europe", "eu-west-1a", "eu_west_1", "", "west-1", " eu-west-1"})
        void badRegions(String region) {
            StackError e = single(withStackAndRegion("s", region));
            assertEquals(new Location(FILE, 1, 26), e.location());
            assertEquals("\"" + region + "\" is not an AWS region name (e.g. eu-west-1)", e.message());
        }
    }

    @Nested
    class Resources {
        @ParameterizedTest
        @ValueSource(strings = {"Vpc", "my_vpc", "1vpc", "-vpc", "vpc.a"})
        void badResourceIdIsReportedAtTheKey(String id) {
            StackError e = single(lines(
                    "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {",
                    "   \"" + id + "\": {\"type\": \"vpc\"}",
                    "}}"));
            assertEquals(new Location(FILE, 2, 4), e.location());
            assertEquals("resource id \"" + id + "\" must match [a-z][a-z0-9-]{0,62}", e.message());
        }

        @Test
        void resourceIdLengthLimit() {
            String ok = "a".repeat(63);
            assertEquals(List.of(ok), List.copyOf(parse(withResources("{\"" + ok + "\": {\"type\": \"vpc\"}}")).resources().keySet()));
            StackError e = single(withResources("{\"" + ok + "b\": {\"type\": \"vpc\"}}"));
            assertEquals("resource id \"" + ok + "b\" must match [a-z][a-z0-9-]{0,62}", e.message());
        }

        @Test
        void missingTypeIsReportedAtTheBlock() {
            StackError e = single(lines(
                    "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {",
                    "  \"vpc\":   { \"cidr\": \"10.0.0.0/16\" }",
                    "}}"));
            assertEquals("net.json:2:12: resource \"vpc\" needs a \"type\" string", e.toString());
        }

        @Test
        void typeMustBeAString() {
            assertEquals("resource \"vpc\" needs a \"type\" string", single(withResources("{\"vpc\": {\"type\": 3}}")).message());
        }

        @Test
        void blockMustBeAnObject() {
            assertEquals("resource \"vpc\" must be an object with a \"type\"", single(withResources("{\"vpc\": \"vpc\"}")).message());
        }
    }

    @Nested
    class Variables {
        private String stack(String variables, String cidr, String tags) {
            return lines(
                    "{",
                    "  \"stack\": \"s\",",
                    "  \"region\": \"eu-west-1\",",
                    "  \"variables\": " + variables + ",",
                    "  \"tags\": " + tags + ",",
                    "  \"resources\": {",
                    "    \"vpc\": { \"type\": \"vpc\", \"cidr\": \"" + cidr + "\" }",
                    "  },",
                    "  \"outputs\": { \"env\": \"${var.env}\" }",
                    "}");
        }

        private final String vars = "{ \"env\": { \"default\": \"prod\" }, \"cidr\": { \"description\": \"VPC block\" } }";

        @Test
        void wholeAndEmbeddedSubstitutionWithDefault() {
            StackFile s = parse(stack(vars, "${var.cidr}", "{ \"env\": \"${var.env}\", \"name\": \"web-${var.env}-${var.env}\" }"),
                    Map.of("cidr", "10.1.0.0/16"));
            assertEquals("10.1.0.0/16", s.resources().get("vpc").properties().get("cidr").asText());
            assertEquals(Map.of("env", "prod", "name", "web-prod-prod"), s.tags());
            assertEquals("prod", s.outputs().get("env"));
            assertEquals(Map.of("env", "prod", "cidr", "10.1.0.0/16"), s.variableValues());
            assertEquals(new Variable("cidr", null, "VPC block"), s.variables().get("cidr"));
            assertEquals(new Variable("env", "prod", null), s.variables().get("env"));
        }

        @Test
        void varOverridesDefault() {
            StackFile s = parse(stack(vars, "${var.cidr}", "{ \"env\": \"${var.env}\" }"), Map.of("cidr", "10.1.0.0/16", "env", "dev"));
            assertEquals(Map.of("env", "dev"), s.tags());
            assertEquals("dev", s.outputs().get("env"));
            assertEquals("dev", s.variableValues().get("env"));
        }

        @Test
        void otherReferencesAreLeftAlone() {
            StackFile s = parse(lines(
                    "{\"stack\": \"s\", \"region\": \"eu-west-1\",",
                    " \"variables\": {\"env\": {\"default\": \"prod\"}},",
                    " \"resources\": {",
                    "  \"vpc\": {\"type\": \"vpc\"},",
                    "  \"sg\": {\"type\": \"security-group\", \"vpc\": \"${vpc}\", \"description\": \"${var.env} sg for ${vpc}\",",
                    "          \"ingress\": [{\"from\": \"${var.env}\", \"x\": [\"${env.PSK}\", \"${var.env}\"]}]}",
                    "}}"));
            var sg = s.resources().get("sg").properties();
            assertEquals("${vpc}", sg.get("vpc").asText());
            assertEquals("prod sg for ${vpc}", sg.get("description").asText());
            assertEquals("prod", sg.at("/ingress/0/from").asText());
            assertEquals("${env.PSK}", sg.at("/ingress/0/x/0").asText());
            assertEquals("prod", sg.at("/ingress/0/x/1").asText());
        }

        @Test
        void variableValueWithRegexSpecialCharactersIsInsertedLiterally() {
            StackFile s = parse(stack(vars, "${var.cidr}", "{ \"x\": \"a-${var.env}\" }"), Map.of("cidr", "c", "env", "$1\\z"));
            assertEquals("a-$1\\z", s.tags().get("x"));
        }

        @Test
        void nonStringDefaultBecomesText() {
            StackFile s = parse(lines(
                    "{\"stack\": \"s\", \"region\": \"eu-west-1\",",
                    " \"variables\": {\"n\": {\"default\": 3}, \"b\": {\"default\": true}},",
                    " \"resources\": {\"vpc\": {\"type\": \"vpc\", \"a\": \"${var.n}\", \"b\": \"x${var.b}\"}}}"));
            assertEquals("3", s.resources().get("vpc").properties().get("a").asText());
            assertEquals("xtrue", s.resources().get("vpc").properties().get("b").asText());
        }

        @Test
        void missingValueIsReportedAtTheString() {
            List<StackError> e = errors(stack(vars, "${var.cidr}", "{}"), Map.of());
            assertEquals(List.of("net.json:7:37: variable \"cidr\" has no value: declare it under \"variables\" with a default, or pass --var cidr=…"),
                    e.stream().map(StackError::toString).toList());
        }

        @Test
        void undeclaredVariableInTextHasNoValue() {
            List<StackError> e = errors(stack(vars, "10.0.0.0/16", "{ \"team\": \"${var.team}\" }"), Map.of());
            assertEquals(List.of("net.json:5:21: variable \"team\" has no value: declare it under \"variables\" with a default, or pass --var team=…"),
                    e.stream().map(StackError::toString).toList());
        }

        @Test
        void declaredButUnusedVariableWithoutValueIsFine() {
            StackFile s = parse(stack(vars, "10.0.0.0/16", "{}"));
            assertEquals(Map.of("env", "prod"), s.variableValues());
        }

        @Test
        void varForAnUndeclaredVariableIsAnError() {
            StackError e = single(stack(vars, "10.0.0.0/16", "{}"), Map.of("colour", "blue"));
            assertEquals("net.json:4:16: --var colour is not a variable of this stack", e.toString());
        }

        @Test
        void varWithoutAnyVariablesSectionIsReportedAtTheRoot() {
            StackError e = single(withTop(""), Map.of("env", "dev"));
            assertEquals("net.json:1:1: --var env is not a variable of this stack", e.toString());
        }

        /** The stack above uses ${var.env} in its outputs (line 9), so a broken "env" also leaves that without a value. */
        private static final String ENV_HAS_NO_VALUE =
                "net.json:9:23: variable \"env\" has no value: declare it under \"variables\" with a default, or pass --var env=…";

        private List<String> strings(List<StackError> errors) {
            return errors.stream().map(StackError::toString).toList();
        }

        @Test
        void variableMustBeAnObject() {
            assertEquals(List.of(
                    "net.json:4:25: variable \"env\" must be an object {\"default\": …, \"description\": …}",
                    ENV_HAS_NO_VALUE),
                    strings(errors(stack("{ \"env\": \"prod\" }", "10.0.0.0/16", "{}"))));
        }

        @Test
        void unknownKeyInVariableIsReportedAtTheKey() {
            assertEquals(List.of(
                    "net.json:4:27: unknown key \"value\" in variable (expected default, description)",
                    ENV_HAS_NO_VALUE),
                    strings(errors(stack("{ \"env\": { \"value\": \"prod\" } }", "10.0.0.0/16", "{}"))));
        }

        @Test
        void listDefaultMakesATypedListVariable() {
            // templates (docs/stack-format.md, "Templates"): a list default is a list variable, which
            // the output "${var.env}" turns into a list, where a string is expected
            StackError e = single(stack("{ \"env\": { \"default\": [\"a\"] } }", "10.0.0.0/16", "{}"));
            assertEquals(new Location(FILE, 9, 23), e.location());
            assertEquals("output \"env\" must be a string", e.message());
        }

        @Test
        void variablesMustBeAnObject() {
            assertEquals(List.of("net.json:4:16: \"variables\" must be an object", ENV_HAS_NO_VALUE),
                    strings(errors(stack("[]", "10.0.0.0/16", "{}"))));
        }
    }

    @Nested
    class Tags {
        @Test
        void reservedTagKeysAreReportedAtEachKey() {
            List<StackError> e = errors(lines(
                    "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {},",
                    " \"tags\": {",
                    "  \"netstack:stack\": \"x\",",
                    "  \"aws:cloudformation\": \"x\",",
                    "  \"AWS:Foo\": \"x\",",
                    "  \"Name\": \"x\",",
                    "  \"name\": \"lower-case is fine\",",
                    "  \"team\": \"platform\"",
                    "}}"));
            assertEquals(List.of(
                    "net.json:3:3: tag key \"netstack:stack\" is reserved (netstack:* and aws:* belong to netstack and AWS)",
                    "net.json:4:3: tag key \"aws:cloudformation\" is reserved (netstack:* and aws:* belong to netstack and AWS)",
                    "net.json:5:3: tag key \"AWS:Foo\" is reserved (netstack:* and aws:* belong to netstack and AWS)",
                    "net.json:6:3: tag \"Name\" names one resource: set it in the resource's own \"tags\" (it defaults to <stack>/<id>)"),
                    e.stream().map(StackError::toString).toList());
        }

        @Test
        void tagValuesMustBeStrings() {
            StackError e = single("{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {}, \"tags\": {\"n\": 1}}");
            assertEquals("tag \"n\" must have a string value", e.message());
        }

        @Test
        void tagsMustBeAnObject() {
            StackError e = single("{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {}, \"tags\": [\"a\"]}");
            assertEquals("tags must be an object of key → string value", e.message());
        }

        @Test
        void tagLengthLimits() {
            String okKey = "k".repeat(128), okValue = "v".repeat(256);
            String base = "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {}, \"tags\": ";
            assertEquals(Map.of(okKey, okValue), parse(base + "{\"" + okKey + "\": \"" + okValue + "\"}}").tags());
            assertEquals("tag keys are 1 to 128 characters", single(base + "{\"" + okKey + "k\": \"v\"}}").message());
            assertEquals("tag keys are 1 to 128 characters", single(base + "{\"\": \"v\"}}").message());
            assertEquals("tag values are at most 256 characters", single(base + "{\"k\": \"" + okValue + "v\"}}").message());
        }
    }

    @Nested
    class DriftIgnore {
        private String stack(String driftIgnore) {
            return lines(
                    "{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {\"vpc\": {\"type\": \"vpc\"}},",
                    " \"driftIgnore\": " + driftIgnore,
                    "}");
        }

        @Test
        void validPathsAreKept() {
            assertEquals(List.of("vpc.tags.CostCenter", "vpc.dnsSupport"), parse(stack("[\"vpc.tags.CostCenter\", \"vpc.dnsSupport\"]")).driftIgnore());
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"vpc\"", "\".cidr\"", "\"vpc.\"", "5", "{}", "\"\""})
        void malformedEntriesAreRejectedAtTheEntry(String entry) {
            StackError e = single(stack("[\"vpc.cidr\", " + entry + "]"));
            assertEquals(new Location(FILE, 2, 30), e.location());
            assertEquals("driftIgnore entries are \"<id>.<property>[.<key>…]\", got " + entry, e.message());
        }

        @Test
        void unknownResourceIsRejected() {
            StackError e = single(stack("[\"nat.tags.CostCenter\"]"));
            assertEquals("net.json:2:18: driftIgnore names unknown resource \"nat\"", e.toString());
        }

        @Test
        void mustBeAnArray() {
            StackError e = single(stack("\"vpc.cidr\""));
            assertEquals("net.json:2:17: \"driftIgnore\" must be an array of \"<id>.<property>\" paths", e.toString());
        }
    }

    @Nested
    class Outputs {
        @Test
        void outputsMustBeStrings() {
            StackError e = single("{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {}, \"outputs\": {\"a\": \"${x}\", \"b\": 1}}");
            assertEquals("output \"b\" must be a string", e.message());
        }

        @Test
        void outputsMustBeAnObject() {
            StackError e = single("{\"stack\": \"s\", \"region\": \"eu-west-1\", \"resources\": {}, \"outputs\": [\"${x}\"]}");
            assertEquals("\"outputs\" must be an object of name → reference", e.message());
        }
    }

    @Nested
    class AllErrorsAtOnce {
        @Test
        void threeProblemsGiveThreeLocatedErrors() {
            String text = lines(
                    "{",                                          // 1
                    "  \"stack\": \"Bad_Name\",",                 // 2
                    "  \"region\": \"eu-west-1\",",               // 3
                    "  \"colour\": \"blue\",",                    // 4
                    "  \"resources\": {",                         // 5
                    "    \"vpc\": { \"cidr\": \"10.0.0.0/16\" }", // 6
                    "  }",                                        // 7
                    "}");                                         // 8
            StackException e = assertThrows(StackException.class, () -> parse(text));
            List<String> expected = List.of(
                    "net.json:2:12: stack name \"Bad_Name\" must match [a-z][a-z0-9-]{0,39}",
                    "net.json:4:3: unknown top-level key \"colour\" (expected one of account, driftIgnore, lintIgnore, outputs, region, resources, stack, tags, variables)",
                    "net.json:6:12: resource \"vpc\" needs a \"type\" string");
            assertEquals(3, e.errors().size());
            assertEquals(expected, e.errors().stream().map(StackError::toString).toList());
            assertEquals(String.join("\n", expected), e.getMessage());
        }

        @Test
        void errorsFromEverySectionAreCollectedAndSortedByLine() {
            String text = lines(
                    "{",                                                          // 1
                    "  \"driftIgnore\": [\"nope.cidr\"],",                        // 2
                    "  \"resources\": { \"Vpc\": { \"type\": \"vpc\" } },",       // 3
                    "  \"tags\": { \"aws:x\": \"1\" },",                          // 4
                    "  \"region\": \"mars-1\",",                                  // 5
                    "  \"stack\": \"ok\"",                                        // 6
                    "}");                                                         // 7
            List<StackError> e = errors(text, Map.of("v", "1"));
            assertEquals(List.of(
                    "net.json:1:1: --var v is not a variable of this stack",
                    "net.json:2:19: driftIgnore names unknown resource \"nope\"",
                    "net.json:3:18: resource id \"Vpc\" must match [a-z][a-z0-9-]{0,62}",
                    "net.json:4:13: tag key \"aws:x\" is reserved (netstack:* and aws:* belong to netstack and AWS)",
                    "net.json:5:13: \"mars-1\" is not an AWS region name (e.g. eu-west-1)"),
                    e.stream().map(StackError::toString).toList());
        }
    }

    @Nested
    class Digest {
        private final String text = lines(
                "{\"stack\": \"s\", \"region\": \"eu-west-1\",",
                " \"variables\": {\"env\": {\"default\": \"prod\"}},",
                " \"resources\": {\"vpc\": {\"type\": \"vpc\"}}}");

        @Test
        void isAStableSha256() {
            String d = parse(text).digest();
            assertTrue(d.matches("[0-9a-f]{64}"), d);
            assertEquals(d, parse(text).digest());
        }

        @Test
        void changesWhenAVariableValueChanges() {
            String dflt = parse(text).digest();
            String dev = parse(text, Map.of("env", "dev")).digest();
            assertNotEquals(dflt, dev);
            assertEquals(dev, parse(text, Map.of("env", "dev")).digest());
            // passing the default explicitly means the same values, hence the same digest
            assertEquals(dflt, parse(text, Map.of("env", "prod")).digest());
        }

        @Test
        void changesWhenTheTextChanges() {
            assertNotEquals(parse(text).digest(), parse(text + "\n").digest());
        }

        @Test
        void matchesTheDocumentedFormula() throws Exception {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update("\0env=dev".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(java.util.HexFormat.of().formatHex(md.digest()), parse(text, Map.of("env", "dev")).digest());
        }
    }
}
