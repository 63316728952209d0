package io.netstack.engine;

import static io.netstack.engine.FakeEngine.STACK;
import static io.netstack.engine.FakeEngine.actions;
import static io.netstack.engine.FakeEngine.change;
import static io.netstack.engine.FakeEngine.describe;
import static io.netstack.engine.FakeEngine.index;
import static io.netstack.engine.FakeEngine.parse;
import static io.netstack.engine.FakeEngine.stack;
import static io.netstack.engine.FakeEngine.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netstack.spi.ResourceType;
import io.netstack.stack.StackFile;
import io.netstack.testing.fake.FakeProvider.FakeObject;
import io.netstack.testing.fake.FakeProvider.Op;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Planner scenarios against the in-memory provider: live state read from the fake, diffed against files. */
class PlannerTest {
    /** n ← p1 ← l1, n ← g, and l1 implicitly after g (a link to a part comes after the gates of its net). */
    static final String BASE = """
                "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                "p1": {"type": "part", "net": "${n}", "size": 24, "label": "one"},
                "g":  {"type": "gate", "net": "${n}"},
                "l1": {"type": "link", "target": "${p1}"}
            """;

    /** Everything the fake types can express: attribute refs, write-only, late-bound mutual refs, tags. */
    static final String FULL = """
                "n":    {"type": "net", "cidr": "10.0.0.0/16", "note": "main", "tags": {"team": "net"}},
                "p1":   {"type": "part", "net": "${n}", "size": 24, "label": "${n.arn}", "secret": "hunter2"},
                "p2":   {"type": "part", "net": "${n}"},
                "g":    {"type": "gate", "net": "${n}"},
                "l1":   {"type": "link", "target": "${p1}", "mode": "b"},
                "rh-a": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-b}"]},
                "rh-b": {"type": "rule-holder", "net": "${n}", "name": "bee", "peers": ["${rh-a}", "${rh-c}"]},
                "rh-c": {"type": "rule-holder", "net": "${n}"}
            """;

    /** FULL without the mutual reference (rh-b → rh-a): late-bound references form a chain rh-a → rh-b → rh-c. */
    static final String CHAIN = FULL.replace("\"peers\": [\"${rh-a}\", \"${rh-c}\"]", "\"peers\": [\"${rh-c}\"]");

    final FakeEngine e = new FakeEngine();

    @Test
    void freshStackCreatesEverythingInDependencyOrder() {
        Plan p = e.plan(stack(BASE));
        assertEquals(Map.of("n", Action.CREATE, "p1", Action.CREATE, "g", Action.CREATE, "l1", Action.CREATE), actions(p));
        assertTrue(index(p, "n") < index(p, "p1"), describe(p));
        assertTrue(index(p, "n") < index(p, "g"), describe(p));
        assertTrue(index(p, "p1") < index(p, "l1"), describe(p));
        assertTrue(index(p, "g") < index(p, "l1"), "implicit dependency link → gate ignored: " + describe(p));
        Change n = change(p, "n");
        assertTrue(n.diffs().stream().anyMatch(d -> d.path().equals("cidr") && d.before() == null && d.after().asText().equals("10.0.0.0/16")), n.diffs().toString());
        assertEquals(4, p.count(Action.CREATE));
        assertTrue(e.fake.objects().isEmpty(), "planning must not change anything");
        assertEquals(0, e.fake.count(Op.CREATE) + e.fake.count(Op.UPDATE) + e.fake.count(Op.DELETE));
    }

    @Test
    void replanAfterApplyHasNoChanges() {
        StackFile s = stack(FULL);
        Plan first = e.converge(s);
        assertEquals(8, first.count(Action.CREATE));
        Plan again = e.plan(s);
        assertFalse(again.hasChanges(), describe(again));
        assertEquals(8, again.count(Action.NOOP));
        assertEquals(8, again.changes().size());
    }

    @Test
    void changedUpdatablePropertyIsOneUpdateWithAttributeDiff() {
        e.converge(stack(BASE));
        Plan p = e.plan(stack(BASE.replace("\"cidr\": \"10.0.0.0/16\"}", "\"cidr\": \"10.0.0.0/16\", \"flag\": true}")));
        assertEquals(List.of("n"), p.actionable().stream().map(Change::id).toList(), describe(p));
        Change n = change(p, "n");
        assertEquals(Action.UPDATE, n.action());
        assertEquals(1, n.diffs().size(), n.diffs().toString());
        PropertyDiff d = n.diffs().get(0);
        assertEquals("flag", d.path());
        assertEquals(BooleanNode.FALSE, d.before());
        assertEquals(BooleanNode.TRUE, d.after());
        assertFalse(d.forcesReplace());
        assertEquals(e.fake.awsId(STACK, "n"), n.awsId());
    }

    @Test
    void tagChangeIsDiffedPerKey() {
        e.converge(stack(BASE.replace("\"cidr\": \"10.0.0.0/16\"}", "\"cidr\": \"10.0.0.0/16\", \"tags\": {\"team\": \"a\", \"env\": \"prod\"}}")));
        Plan p = e.plan(stack(BASE.replace("\"cidr\": \"10.0.0.0/16\"}", "\"cidr\": \"10.0.0.0/16\", \"tags\": {\"team\": \"b\", \"env\": \"prod\"}}")));
        Change n = change(p, "n");
        assertEquals(Action.UPDATE, n.action(), describe(p));
        assertEquals(1, n.diffs().size(), n.diffs().toString());
        assertEquals("tags.team", n.diffs().get(0).path());
        assertEquals(TextNode.valueOf("a"), n.diffs().get(0).before());
        assertEquals(TextNode.valueOf("b"), n.diffs().get(0).after());
    }

    @Test
    void stackTagsAreMergedIntoEveryTaggableResource() {
        StackFile s = parse(text(BASE, "  \"tags\": {\"cost\": \"42\"},\n"));
        e.converge(s);
        for (String id : List.of("n", "p1", "g", "l1")) assertEquals("42", e.fake.the(STACK, id).tags().get("cost"), id);
        e.assertConverged(s);
        Plan p = e.plan(parse(text(BASE, "  \"tags\": {\"cost\": \"43\"},\n")));
        assertEquals(4, p.count(Action.UPDATE), describe(p));
        assertTrue(p.actionable().stream().allMatch(c -> c.diffs().size() == 1 && c.diffs().get(0).path().equals("tags.cost")), describe(p));
    }

    @Test
    void createOnlyChangeReplacesAndCascades() {
        e.converge(stack(BASE));
        Plan p = e.plan(stack(BASE.replace("10.0.0.0/16", "10.1.0.0/16")));
        Change n = change(p, "n");
        assertEquals(Action.REPLACE, n.action(), describe(p));
        assertEquals(List.of("cidr is create-only"), n.reasons());
        PropertyDiff cidr = n.diffs().stream().filter(d -> d.path().equals("cidr")).findFirst().orElseThrow();
        assertTrue(cidr.forcesReplace());
        assertEquals("10.0.0.0/16", cidr.before().asText());
        assertEquals("10.1.0.0/16", cidr.after().asText());

        // create-only references to the replaced resource: replaced too, saying why
        for (String id : List.of("p1", "g")) {
            Change c = change(p, id);
            assertEquals(Action.REPLACE, c.action(), describe(p));
            assertEquals(List.of("net references n, which is replaced"), c.reasons(), id);
        }
        // updatable reference to a replaced resource: updated, saying why
        Change l1 = change(p, "l1");
        assertEquals(Action.UPDATE, l1.action(), describe(p));
        assertEquals(List.of("target references p1, which is replaced"), l1.reasons());
        assertEquals(List.of("target"), l1.diffs().stream().map(PropertyDiff::path).toList());
        assertTrue(l1.diffs().get(0).after().asText().contains(Planner.UNKNOWN), l1.diffs().toString());
    }

    @Test
    void createOnlyChangeOfALeafDoesNotTouchItsDependencies() {
        e.converge(stack(BASE));
        Plan p = e.plan(stack(BASE.replace("\"size\": 24", "\"size\": 25")));
        assertEquals(Map.of("n", Action.NOOP, "p1", Action.REPLACE, "g", Action.NOOP, "l1", Action.UPDATE), actions(p), describe(p));
        assertEquals(List.of("size is create-only"), change(p, "p1").reasons());
    }

    @Test
    void attributeReferenceToReplacedResourceIsKnownAfterApply() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "n2": {"type": "net", "cidr": "10.2.0.0/16"},
                    "g2": {"type": "gate", "net": "${n2}"},
                    "p":  {"type": "part", "net": "${n}", "label": "${g2.arn}"}
                """;
        e.converge(stack(s));
        String oldArn = "arn:fake:gate/" + e.fake.awsId(STACK, "g2");
        assertEquals(oldArn, e.fake.the(STACK, "p").text("label"));
        e.assertConverged(stack(s));

        String changed = s.replace("10.2.0.0/16", "10.3.0.0/16");
        Plan p = e.plan(stack(changed));
        assertEquals(Action.REPLACE, change(p, "g2").action(), describe(p));
        Change c = change(p, "p");
        assertEquals(Action.UPDATE, c.action(), describe(p));
        assertEquals(1, c.diffs().size(), c.diffs().toString());
        assertEquals("label", c.diffs().get(0).path());
        assertEquals(oldArn, c.diffs().get(0).before().asText());
        assertEquals(Planner.UNKNOWN, c.diffs().get(0).after().asText());
        assertTrue(index(p, "g2") < index(p, "p"), describe(p));

        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals("arn:fake:gate/" + e.fake.awsId(STACK, "g2"), e.fake.the(STACK, "p").text("label"));
        e.assertConverged(stack(changed));
    }

    @Test
    void resourceRemovedFromFileIsDeleted() {
        e.converge(stack(BASE));
        Plan p = e.plan(stack("""
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p1": {"type": "part", "net": "${n}", "size": 24, "label": "one"},
                    "g":  {"type": "gate", "net": "${n}"}
                """));
        Change l1 = change(p, "l1");
        assertEquals(Action.DELETE, l1.action(), describe(p));
        assertEquals(List.of("no longer in the stack file"), l1.reasons());
        assertEquals(e.fake.awsId(STACK, "l1"), l1.awsId());
        assertNull(l1.desired());
        assertEquals(1, p.actionable().size(), describe(p));
    }

    @Test
    void resourceDeletedOutOfBandIsCreatedAgain() {
        e.converge(stack(BASE));
        e.fake.remove(e.fake.awsId(STACK, "l1"));
        Plan p = e.plan(stack(BASE));
        assertEquals(Action.CREATE, change(p, "l1").action(), describe(p));
        assertEquals(1, p.actionable().size());
    }

    @Test
    void duplicateLiveObjectsAreDeletedKeepingTheOldest() {
        e.converge(stack(BASE));
        String primary = e.fake.awsId(STACK, "n");
        FakeObject orig = e.fake.the(STACK, "n");
        String dup = e.fake.put("net", STACK, "n", orig.props());
        Plan p = e.plan(stack(BASE));
        assertEquals(Action.NOOP, change(p, "n").action(), describe(p));
        assertEquals(primary, change(p, "n").awsId());
        Change d = change(p, "n#" + dup);
        assertEquals(Action.DELETE, d.action());
        assertEquals(dup, d.awsId());
        assertEquals(1, d.reasons().size());
        assertTrue(d.reasons().get(0).startsWith("duplicate"), d.reasons().toString());
        assertTrue(d.reasons().get(0).contains(primary), d.reasons().toString());
        assertEquals(1, p.actionable().size(), describe(p));

        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals(List.of(primary), e.fake.owned(STACK, "n").stream().map(o -> o.awsId).toList());
        assertEquals(List.of(dup), e.fake.calls("net", Op.DELETE).stream().map(c -> c.awsId()).toList());
        e.assertConverged(stack(BASE));
    }

    @Test
    void driftIgnorePathsSuppressDiffs() {
        StackFile s = parse(text(BASE.replace("\"cidr\": \"10.0.0.0/16\"}", "\"cidr\": \"10.0.0.0/16\", \"tags\": {\"owner\": \"me\"}}"),
                "  \"driftIgnore\": [\"n.flag\", \"n.tags.owner\"],\n"));
        e.converge(s);
        String n = e.fake.awsId(STACK, "n");
        e.fake.modify(n, "flag", BooleanNode.TRUE);
        e.fake.tag(n, "owner", "someone-else");
        Plan p = e.plan(s);
        assertFalse(p.hasChanges(), describe(p));

        // a path not ignored still shows
        e.fake.tag(n, "extra", "x");
        Plan q = e.plan(s);
        Change c = change(q, "n");
        assertEquals(Action.UPDATE, c.action(), describe(q));
        assertEquals(List.of("tags.extra"), c.diffs().stream().map(PropertyDiff::path).toList());
        assertEquals(TextNode.valueOf("x"), c.diffs().get(0).before());
        assertNull(c.diffs().get(0).after());
    }

    @Test
    void outOfBandChangeOfManagedPropertyIsAnUpdate() {
        e.converge(stack(BASE));
        e.fake.modify(e.fake.awsId(STACK, "p1"), "label", TextNode.valueOf("hacked"));
        Plan p = e.plan(stack(BASE));
        Change c = change(p, "p1");
        assertEquals(Action.UPDATE, c.action());
        assertEquals("hacked", c.diffs().get(0).before().asText());
        assertEquals("one", c.diffs().get(0).after().asText());
    }

    @Test
    void optionalPropertyWithoutDefaultIsNotManagedWhenOmitted() {
        e.converge(stack(BASE));
        // "note" has no default and is not in the file: whatever AWS has is left alone
        e.fake.modify(e.fake.awsId(STACK, "n"), "note", TextNode.valueOf("set by hand"));
        assertFalse(e.plan(stack(BASE)).hasChanges());
        // a property with a default is managed even when omitted: flag defaults to false
        e.fake.modify(e.fake.awsId(STACK, "n"), "flag", BooleanNode.TRUE);
        Change c = change(e.plan(stack(BASE)), "n");
        assertEquals(Action.UPDATE, c.action());
        assertEquals("flag", c.diffs().get(0).path());
        assertEquals(BooleanNode.FALSE, c.diffs().get(0).after());
    }

    @Test
    void destroyDeletesEverythingOwnedAndNothingElse() {
        StackFile s = stack(CHAIN);
        e.converge(s);
        Set<String> owned = e.fake.objects().stream().map(o -> o.awsId).collect(Collectors.toSet());
        FakeObject n = e.fake.the(STACK, "n");
        String otherStack = e.fake.put("net", "other", "n", n.props());
        String untagged = e.fake.putTagged("net", Map.of("Name", "demo/n"), n.props());
        String onlyStackTag = e.fake.putTagged("net", Map.of("netstack:stack", STACK), n.props());
        String onlyIdTag = e.fake.putTagged("net", Map.of("netstack:id", "n"), n.props());
        String otherPart = e.fake.put("part", "other", "p1", e.fake.the(STACK, "p2").props().put("net", otherStack));

        Plan p = e.destroyPlan(s);
        assertTrue(p.destroy());
        assertEquals(8, p.changes().size(), describe(p));
        assertTrue(p.changes().stream().allMatch(c -> c.action() == Action.DELETE && c.reasons().equals(List.of("destroy"))), describe(p));
        assertEquals(owned, p.changes().stream().map(Change::awsId).collect(Collectors.toSet()));

        FakeEngine.assertSuccess(e.apply(p, 10));
        assertEquals(Set.of(otherStack, untagged, onlyStackTag, onlyIdTag, otherPart),
                e.fake.objects().stream().map(o -> o.awsId).collect(Collectors.toSet()));
        assertTrue(e.fake.calls(c -> c.op() == Op.DELETE).stream().allMatch(c -> owned.contains(c.awsId())));
        assertFalse(e.destroyPlan(s).hasChanges());
    }

    @Test
    void destroyOrderIsTheReverseOfCreateOrder() {
        StackFile s = stack(BASE);
        e.converge(s);
        Plan p = e.destroyPlan(s);
        assertTrue(index(p, "l1") < index(p, "p1"), describe(p));
        assertTrue(index(p, "l1") < index(p, "g"), "implicit dependency must hold on destroy too: " + describe(p));
        assertTrue(index(p, "p1") < index(p, "n"), describe(p));
        assertTrue(index(p, "g") < index(p, "n"), describe(p));
    }

    @Test
    void liveStateIsReadWithOneListPerType() {
        e.converge(stack(FULL));
        e.fake.resetCalls();
        e.plan(stack(FULL));
        for (ResourceType t : e.fake.all()) assertEquals(1, e.fake.count(t.name(), Op.LIST), t.name());
        assertEquals(e.fake.all().size(), e.fake.calls().size(), "a plan makes only list calls: " + e.fake.calls());

        e.fake.resetCalls();
        LiveState live = LiveState.read(e.fake, e.ctx);
        assertEquals(8, live.byId().size());
        for (ResourceType t : e.fake.all()) assertEquals(1, e.fake.count(t.name(), Op.LIST), t.name());
    }

    @Test
    void aFailedReadFailsThePlanWithTheAwsError() {
        e.fake.failNth("gate", Op.LIST, 1, io.netstack.spi.ErrorCategory.ACCESS_DENIED);
        io.netstack.spi.AwsFailure f = assertThrows(io.netstack.spi.AwsFailure.class, () -> e.plan(stack(BASE)));
        assertEquals(io.netstack.spi.ErrorCategory.ACCESS_DENIED, f.category());
        assertEquals("DescribeGate", f.action());
    }

    @Test
    void crashDuringATypeChangeIsAdopted() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "x":  {"type": "gate", "net": "${n}"}
                """;
        e.converge(stack(s));
        String oldGate = e.fake.awsId(STACK, "x");
        // the new part x was made, the old gate x not yet deleted
        String madePart = e.fake.put("part", STACK, "x", Json.object().put("net", e.fake.awsId(STACK, "n")));
        Plan p = e.plan(stack(s.replace("{\"type\": \"gate\", \"net\": \"${n}\"}", "{\"type\": \"part\", \"net\": \"${n}\"}")));
        List<Change> xs = p.changes().stream().filter(c -> c.id().equals("x")).toList();
        assertEquals(1, xs.stream().filter(c -> c.action() == Action.DELETE).count(), describe(p));
        assertEquals(oldGate, xs.stream().filter(c -> c.action() == Action.DELETE).findFirst().orElseThrow().awsId());
        assertTrue(xs.stream().noneMatch(c -> c.action() == Action.CREATE), describe(p));
        assertTrue(xs.stream().anyMatch(c -> c.action() == Action.NOOP && madePart.equals(c.awsId())), describe(p));
    }

    @Test
    void liveReferencesAreMappedBackToLogicalIds() {
        e.converge(stack(BASE));
        LiveState live = LiveState.read(e.fake, e.ctx);
        assertEquals("${n}", live.logical(live.byId().get("p1")).get("net").asText());
        assertEquals(e.fake.awsId(STACK, "n"), live.byId().get("p1").properties().get("net").asText());
        assertEquals("n", live.idOf(e.fake.awsId(STACK, "n")));
    }

    @Test
    void literalAwsIdOfAnOwnedObjectIsNotAChange() {
        e.converge(stack(BASE));
        String netId = e.fake.awsId(STACK, "n");
        String s = BASE + ",\n    \"p9\": {\"type\": \"part\", \"net\": \"" + netId + "\"}";
        e.converge(stack(s));
        // the literal id of an owned object and ${n} name the same thing; either way: no change
        e.assertConverged(stack(s));
        assertEquals(netId, e.fake.the(STACK, "p9").text("net"));
    }

    @Test
    void crossStackReferenceResolvesToTheOtherStacksObject() {
        String otherNet = e.fake.put("net", "shared", "core", Json.object().put("cidr", "10.50.0.0/16"));
        String s = """
                    "p":  {"type": "part", "net": "${stack:shared/core}"}
                """;
        Plan p = e.plan(stack(s));
        assertEquals(Action.CREATE, change(p, "p").action());
        assertEquals(otherNet, change(p, "p").desired().get("net").asText());
        e.converge(stack(s));
        assertEquals(otherNet, e.fake.the(STACK, "p").text("net"));
        e.assertConverged(stack(s));

        PlanException ex = assertThrows(PlanException.class, () -> e.plan(stack(s.replace("shared/core", "shared/nope"))));
        assertTrue(ex.getMessage().contains("shared") && ex.getMessage().contains("nope"), ex.getMessage());
    }

    @Test
    void typeChangeDeletesTheOldObjectAndCreatesTheNew() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "x":  {"type": "gate", "net": "${n}"}
                """;
        e.converge(stack(s));
        String changed = s.replace("{\"type\": \"gate\", \"net\": \"${n}\"}", "{\"type\": \"part\", \"net\": \"${n}\"}");
        Plan p = e.plan(stack(changed));
        List<Change> xs = p.changes().stream().filter(c -> c.id().equals("x")).toList();
        assertEquals(Set.of(Action.DELETE, Action.CREATE), xs.stream().map(Change::action).collect(Collectors.toSet()), describe(p));
        Change del = xs.stream().filter(c -> c.action() == Action.DELETE).findFirst().orElseThrow();
        assertEquals("gate", del.type());
        assertEquals(List.of("type changed from gate to part"), del.reasons());
        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals("part", e.fake.the(STACK, "x").type);
        e.assertConverged(stack(changed));
    }

    @Test
    void typeChangeOfAReferencedResourceCascadesToItsDependents() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "x":  {"type": "gate", "net": "${n}"},
                    "l":  {"type": "link", "target": "${x}"}
                """;
        e.converge(stack(s));
        String changed = s.replace("{\"type\": \"gate\", \"net\": \"${n}\"}", "{\"type\": \"part\", \"net\": \"${n}\"}");
        Plan p = e.plan(stack(changed));
        Change l = change(p, "l");
        assertEquals(Action.UPDATE, l.action(), describe(p));
        assertTrue(l.reasons().stream().anyMatch(r -> r.contains("x")), l.reasons().toString());
        FakeEngine.assertSuccess(e.apply(p, 4));
        assertEquals(e.fake.awsId(STACK, "x"), e.fake.the(STACK, "l").text("target"));
        e.assertConverged(stack(changed));
    }

    @Test
    void replacementCascadesThroughLateBoundReferencesWhateverTheIdOrder() {
        String s = """
                    "n":    {"type": "net", "cidr": "10.0.0.0/16"},
                    "rh-a": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-b}"]},
                    "rh-b": {"type": "rule-holder", "net": "${n}", "name": "one"}
                """;
        e.converge(stack(s));
        Plan p = e.plan(stack(s.replace("\"one\"", "\"two\"")));
        assertEquals(Action.REPLACE, change(p, "rh-b").action(), describe(p));
        Change a = change(p, "rh-a");
        assertEquals(Action.UPDATE, a.action(), describe(p));
        assertEquals(List.of("peers references rh-b, which is replaced"), a.reasons());
    }

    @Test
    void replacementCascadesThroughLateBoundReferencesPlannedAfterTheTarget() {
        String s = """
                    "n":    {"type": "net", "cidr": "10.0.0.0/16"},
                    "rh-z": {"type": "rule-holder", "net": "${n}", "peers": ["${rh-b}"]},
                    "rh-b": {"type": "rule-holder", "net": "${n}", "name": "one"}
                """;
        e.converge(stack(s));
        Plan p = e.plan(stack(s.replace("\"one\"", "\"two\"")));
        assertEquals(Action.REPLACE, change(p, "rh-b").action(), describe(p));
        assertEquals(List.of("name is create-only"), change(p, "rh-b").reasons());
        Change z = change(p, "rh-z");
        assertEquals(Action.UPDATE, z.action(), describe(p));
        assertEquals(List.of("peers references rh-b, which is replaced"), z.reasons());
    }

    @Test
    void lateBoundMutualReferencesPlanAsPlainCreates() {
        Plan p = e.plan(stack(FULL));
        assertEquals(Action.CREATE, change(p, "rh-a").action());
        assertEquals(Action.CREATE, change(p, "rh-b").action());
        // each change appears once even though late-bound resources also get a follow-up update step
        assertEquals(8, p.changes().size(), describe(p));
        assertEquals(new TreeSet<>(List.of("n", "p1", "p2", "g", "l1", "rh-a", "rh-b", "rh-c")),
                p.changes().stream().map(Change::key).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void writeOnlyPropertiesAreNeverDiffed() {
        StackFile s = stack(FULL);
        e.converge(s);
        assertEquals("hunter2", e.fake.the(STACK, "p1").secrets().get("secret"));
        // a changed secret cannot be seen (never read back), so it is not a change
        assertFalse(e.plan(stack(FULL.replace("hunter2", "hunter3"))).hasChanges());
    }
}
