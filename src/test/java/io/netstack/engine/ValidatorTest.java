package io.netstack.engine;

import static io.netstack.engine.FakeEngine.FILE;
import static io.netstack.engine.FakeEngine.stack;
import static io.netstack.engine.FakeEngine.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.spi.LiveResource;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.spi.Validation;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.testing.fake.FakeProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Validation of stacks made of the fake types: every message with file:line:col, all errors at once. */
class ValidatorTest {
    final FakeProvider fake = new FakeProvider();
    final Validator validator = new Validator(fake);

    /** {@code stack.json:line:col} of the {@code nth} (0-based) occurrence of {@code needle} in {@code text}. */
    static String at(String text, String needle, int nth) {
        int i = -1;
        for (int k = 0; k <= nth; k++) {
            i = text.indexOf(needle, i + 1);
            if (i < 0) throw new AssertionError("no occurrence " + nth + " of " + needle);
        }
        int line = 1, lineStart = 0;
        for (int j = 0; j < i; j++) if (text.charAt(j) == '\n') { line++; lineStart = j + 1; }
        return FILE + ":" + line + ":" + (i - lineStart + 1);
    }

    static String at(String text, String needle) {
        return at(text, needle, 0);
    }

    List<StackError> errors(String resources) {
        StackException ex = assertThrows(StackException.class, () -> validator.validate(stack(resources)));
        return ex.errors();
    }

    StackError single(String resources) {
        List<StackError> errs = errors(resources);
        assertEquals(1, errs.size(), errs.toString());
        return errs.get(0);
    }

    @Test
    void unknownPropertySuggestsTheClosestName() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${main}", "sise": 4}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"sise\"") + ": p: unknown property \"sise\" for type \"part\" (did you mean \"size\"?)", e.toString());
    }

    @Test
    void wrongValueTypesAreReportedAtTheValue() {
        String r = """
                    "main": {"type": "net", "cidr": 42, "flag": "yes"},
                    "p":    {"type": "part", "net": "${main}", "size": "big", "label": 7},
                    "q":    {"type": "part", "net": "${main}", "size": 99},
                    "l":    {"type": "link", "target": "${p}", "mode": "c"},
                    "r":    {"type": "rule-holder", "net": "${main}", "peers": "x"}
                """;
        String t = text(r);
        List<String> got = errors(r).stream().map(StackError::toString).toList();
        assertEquals(List.of(
                at(t, "42") + ": main: cidr: must be a CIDR string, got a number",
                at(t, "\"yes\"") + ": main: flag: must be true or false, got a string",
                at(t, "\"big\"") + ": p: size: must be a whole number, got a string",
                at(t, "7}") + ": p: label: must be a string, got a number",
                at(t, "99") + ": q: size: 99 is outside 1..64",
                at(t, "\"c\"") + ": l: mode: \"c\" is not one of a, b",
                at(t, "\"x\"") + ": r: peers: must be a list, got a string"), got);
    }

    @Test
    void referenceInAPropertyThatCannotHoldAStringIsRejected() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "m2":   {"type": "net", "cidr": "10.1.0.0/16", "flag": "${b.arn}"},
                    "p":    {"type": "part", "net": "${main}", "size": "${main.arn}"},
                    "b":    {"type": "rule-holder", "net": "${main}"},
                    "a":    {"type": "rule-holder", "net": "${main}", "peers": "${b}"}
                """;
        String t = text(r);
        List<String> got = errors(r).stream().map(StackError::toString).toList();
        assertEquals(List.of(
                at(t, "\"${b.arn}\"") + ": m2: flag: must be true or false, got a string",
                at(t, "\"${main.arn}\"") + ": p: size: must be a whole number, got a string",
                at(t, "\"${b}\"") + ": a: peers: must be a list, got a string"), got);
    }

    @Test
    void invalidCidrIsExplained() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.1/16"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"10.0.0.1/16\""), e.location().toString());
        assertTrue(e.message().contains("host bits set") && e.message().contains("10.0.0.0/16"), e.message());
    }

    @Test
    void missingRequiredPropertyIsReportedAtTheBlock() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "{\"type\": \"part\"") + ": p: missing required property \"net\"", e.toString());
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        String r = """
                    "main": {"type": "nett", "cidr": "10.0.0.0/16"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"nett\"") + ": main: unknown resource type \"nett\" (known: attachment, gate, link, net, part, rule-holder)", e.toString());
    }

    @Test
    void unknownReferenceSuggestsTheClosestId() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${mian}"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"${mian}\"") + ": p: net: unknown reference ${mian}: no resource \"mian\" in this stack (did you mean \"main\"?)", e.toString());
    }

    @Test
    void referenceToTheWrongTypeNamesBoth() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "g":    {"type": "gate", "net": "${main}"},
                    "p":    {"type": "part", "net": "${g}"},
                    "l":    {"type": "link", "target": "${main}"}
                """;
        String t = text(r);
        List<String> got = errors(r).stream().map(StackError::toString).toList();
        assertEquals(List.of(
                at(t, "\"${g}\"") + ": p: net: ${g} is a gate, expected net",
                at(t, "\"${main}\"", 1) + ": l: target: ${main} is a net, expected part or gate"), got);
    }

    @Test
    void lateBoundListElementsAreTypeChecked() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "r":    {"type": "rule-holder", "net": "${main}", "peers": ["${main}"]}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"${main}\"]") + ": r: peers.0: ${main} is a net, expected rule-holder", e.toString());
    }

    @Test
    void attributeWhereAnIdIsExpected() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${main.arn}"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"${main.arn}\"") + ": p: net: expects the resource's id, not an attribute: use ${main}", e.toString());
    }

    @Test
    void unknownAttributeListsTheTypesAttributes() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${main}", "label": "${main.nope}"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"${main.nope}\"") + ": p: label: net has no attribute \"nope\" (it has arn)", e.toString());
    }

    @Test
    void attributeAndLiteralIdsAreAccepted() {
        validator.validate(stack("""
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "net-0abc", "label": "${main.arn}"},
                    "q":    {"type": "part", "net": "${main}", "label": "${p.address}"}
                """));
        StackError e = single("""
                    "p":    {"type": "part", "net": "vpc-0abc"}
                """);
        assertTrue(e.message().endsWith("p: net: \"vpc-0abc\" is neither a reference ${id} nor an AWS id starting with net-"), e.message());
    }

    @Test
    void selfReferenceIsRejected() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16", "note": "${main.arn}"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"${main.arn}\"") + ": main: note: a resource cannot reference itself", e.toString());
    }

    @Test
    void referenceCycleIsReportedWithTheCycle() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p1":   {"type": "part", "net": "${main}", "label": "${l1.arn}"},
                    "l1":   {"type": "link", "target": "${p1}"}
                """;
        StackError e = single(r);
        assertTrue(e.message().equals("reference cycle: p1 → l1 → p1") || e.message().equals("reference cycle: l1 → p1 → l1"), e.message());
        String first = e.message().substring("reference cycle: ".length(), e.message().indexOf(' ', "reference cycle: ".length()));
        assertEquals(at(text(r), "{\"type\": \"" + (first.equals("p1") ? "part" : "link") + "\""), e.location().toString());
    }

    @Test
    void longerCycleThroughImplicitDependencyIsFound() {
        // g's net label... a gate cannot reference, so go through a net note: n → l (note) → p → n
        String r = """
                    "n": {"type": "net", "cidr": "10.0.0.0/16", "note": "${l.arn}"},
                    "p": {"type": "part", "net": "${n}"},
                    "l": {"type": "link", "target": "${p}"}
                """;
        StackError e = single(r);
        assertTrue(e.message().startsWith("reference cycle: "), e.message());
        List<String> ids = List.of(e.message().substring("reference cycle: ".length()).split(" → "));
        assertEquals(4, ids.size(), e.message());
        assertEquals(ids.get(0), ids.get(3), e.message());
        assertEquals(java.util.Set.of("n", "p", "l"), java.util.Set.copyOf(ids), e.message());
    }

    @Test
    void mutualLateBoundReferencesAreNotACycle() {
        validator.validate(stack("""
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "a":    {"type": "rule-holder", "net": "${main}", "peers": ["${b}"]},
                    "b":    {"type": "rule-holder", "net": "${main}", "peers": ["${a}"]}
                """));
    }

    @Test
    void environmentVariablesOnlyInWriteOnlyProperties() {
        validator.validate(stack("""
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${main}", "secret": "${env.PART_SECRET}"}
                """));
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${main}", "label": "${env.PART_SECRET}"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"${env.PART_SECRET}\"") + ": p: label: ${env.PART_SECRET} is only allowed in write-only properties (secrets), so values stay out of plans", e.toString());
    }

    @Test
    void referencesMustBeTheWholeValue() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":    {"type": "part", "net": "${main}", "label": "x-${main.arn}"}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"x-${main.arn}\""), e.location().toString());
        assertTrue(e.message().contains("must be the whole value"), e.message());
    }

    @Test
    void reservedTagKeysAreRejected() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16", "tags": {"netstack:id": "x", "ok": "y"}}
                """;
        StackError e = single(r);
        assertEquals(at(text(r), "\"netstack:id\""), e.location().toString());
        assertTrue(e.message().contains("reserved"), e.message());
    }

    @Test
    void allErrorsAreReportedAtOnceInFileOrder() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16", "flgа": true},
                    "p":    {"type": "part", "net": "${mian}", "size": "big"},
                    "g":    {"type": "gate"},
                    "l":    {"type": "link", "target": "${main}"},
                    "x":    {"type": "part", "net": "${main}", "label": "${env.X}"}
                """;
        String t = text(r);
        StackException ex = assertThrows(StackException.class, () -> validator.validate(stack(r)));
        List<String> locations = ex.errors().stream().map(e -> e.location().toString()).toList();
        assertEquals(List.of(
                at(t, "\"flgа\""),
                at(t, "\"${mian}\""),
                at(t, "\"big\""),
                at(t, "{\"type\": \"gate\"}"),
                at(t, "\"${main}\"", 0),
                at(t, "\"${env.X}\"")), locations, ex.getMessage());
        String[] lines = ex.getMessage().split("\n");
        assertEquals(6, lines.length, ex.getMessage());
        for (String line : lines) assertTrue(line.matches("stack\\.json:\\d+:\\d+: .+"), line);
        assertTrue(lines[0].endsWith("(did you mean \"flag\"?)"), lines[0]);
    }

    /**
     * A type that warns the way an adjustable AWS quota does (more than 5 of something is allowed
     * once raised): the fake types never warn, so this one is added for the warning tests.
     */
    static final ResourceType WARNS = new ResourceType() {
        final Schema schema = new Schema(true, List.of(), Property.integer("count"));
        @Override public String name() { return "warner"; }
        @Override public Schema schema() { return schema; }
        @Override public void validate(ResourceBlock block, Validation v) {
            if (block.properties().path("count").asInt() > 5) v.warning(block, "/count", "more than 5 (a default quota; fine once raised)");
        }
        @Override public List<LiveResource> list(TypeContext ctx) { throw new UnsupportedOperationException(); }
        @Override public LiveResource create(TypeContext ctx, ResourceSpec spec) { throw new UnsupportedOperationException(); }
        @Override public LiveResource update(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed) { throw new UnsupportedOperationException(); }
        @Override public void delete(TypeContext ctx, LiveResource live) { throw new UnsupportedOperationException(); }
    };

    /** The fake types plus {@link #WARNS}. */
    final TypeRegistry withWarner = new TypeRegistry() {
        @Override public Optional<ResourceType> find(String name) { return name.equals(WARNS.name()) ? Optional.of(WARNS) : fake.find(name); }
        @Override public Collection<ResourceType> all() {
            List<ResourceType> all = new ArrayList<>(fake.all());
            all.add(WARNS);
            return all;
        }
    };

    @Test
    void warningsDoNotFailValidation() {
        String r = """
                    "main": {"type": "net", "cidr": "10.0.0.0/16"},
                    "w":    {"type": "warner", "count": 9},
                    "ok":   {"type": "warner", "count": 2}
                """;
        Validator.Result result = new Validator(withWarner).validate(stack(r));
        assertEquals(List.of(at(text(r), "9") + ": w: more than 5 (a default quota; fine once raised)"),
                result.warnings().stream().map(StackError::toString).toList());
    }

    @Test
    void warningsDoNotHideErrors() {
        StackException ex = assertThrows(StackException.class, () -> new Validator(withWarner).validate(stack("""
                    "main": {"type": "net", "cidr": "10.0.0.0/16", "flag": "yes"},
                    "w":    {"type": "warner", "count": 9}
                """)));
        assertEquals(1, ex.errors().size(), ex.getMessage());
        assertTrue(ex.errors().get(0).message().contains("flag: must be true or false"), ex.getMessage());
    }
}
