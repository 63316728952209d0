package io.netstack.engine;

import static io.netstack.engine.FakeResourceType.json;
import static io.netstack.engine.FakeResourceType.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifferTest {
    private static final FakeResourceType TYPE = FakeResourceType.INSTANCE;

    /** Raw diff, no normalization. */
    private static List<PropertyDiff> raw(String desired, String live, String... ignore) {
        return Differ.diff(TYPE, json(desired), json(live), List.of(ignore));
    }

    /** Diff the way the planner does it: both sides normalized first. */
    private static List<PropertyDiff> diff(String desired, String live, String... ignore) {
        return Differ.diff(TYPE, Normalizer.normalize(TYPE, json(desired)), Normalizer.normalize(TYPE, json(live)), List.of(ignore));
    }

    private static PropertyDiff pd(String path, String before, String after, boolean replace, boolean element) {
        return new PropertyDiff(path, before == null ? null : node(before), after == null ? null : node(after), replace, false, element);
    }

    private static void assertNoDiff(List<PropertyDiff> diffs) {
        assertEquals(List.of(), diffs);
    }

    @Test
    void identicalPropertiesHaveNoDiff() {
        String p = "{'cidr': '10.0.0.0/16', 'name': 'n', 'subnets': ['a'], 'rules': [{'rule': 1}], 'tags': {'team': 'x'}, 'options': {'mode': 'm'}}";
        assertNoDiff(diff(p, p));
    }

    @Test
    void scalarChange() {
        assertEquals(List.of(pd("name", "'old'", "'new'", false, false)), raw("{'name': 'new'}", "{'name': 'old'}"));
    }

    @Test
    void propertyMissingLiveIsADiffWithBeforeNull() {
        assertEquals(List.of(pd("name", null, "'new'", false, false)), raw("{'name': 'new'}", "{}"));
        assertEquals(List.of(pd("name", null, "'new'", false, false)), raw("{'name': 'new'}", "{'name': null}"));
    }

    @Test
    void numbersCompareByValueNotNodeClass() {
        ObjectNode desired = Json.object().put("policy", 5);       // IntNode
        ObjectNode live = Json.object().put("policy", 5L);         // LongNode
        assertNoDiff(Differ.diff(TYPE, desired, live, List.of()));
    }

    @Test
    void jsonPropertyComparesIgnoringKeyOrder() {
        assertNoDiff(raw("{'policy': {'a': 1, 'b': [1, 2]}}", "{'policy': {'b': [1, 2], 'a': 1}}"));
        assertEquals(1, raw("{'policy': {'a': 1, 'b': [1, 2]}}", "{'policy': {'b': [2, 1], 'a': 1}}").size());
    }

    @Test
    void unmanagedPropertiesAreNotDiffed() {
        // "name" has no default and is absent from the desired side: whatever AWS has is left alone
        assertNoDiff(diff("{'cidr': '10.0.0.0/16'}", "{'cidr': '10.0.0.0/16', 'name': 'set-by-hand', 'subnets': ['x'], 'policy': {}}"));
        assertNoDiff(raw("{'name': null}", "{'name': 'set-by-hand'}"));
    }

    @Test
    void propertiesOutsideTheSchemaAreNotDiffed() {
        assertNoDiff(raw("{'cidr': '10.0.0.0/16', 'extra': 1}", "{'cidr': '10.0.0.0/16', 'extra': 2}"));
    }

    @Test
    void defaultsAreFilledAndThenCompared() {
        // the file says nothing about dnsSupport, whose default is true: live false is drift
        assertEquals(List.of(pd("dnsSupport", "false", "true", false, false)),
                diff("{'cidr': '10.0.0.0/16'}", "{'cidr': '10.0.0.0/16', 'dnsSupport': false}"));
        // and a live object that has the default set matches
        assertNoDiff(diff("{'cidr': '10.0.0.0/16'}", "{'cidr': '10.0.0.0/16', 'dnsSupport': true, 'tenancy': 'default'}"));
    }

    @Test
    void cidrIsCanonicalisedBeforeComparing() {
        String desired = "{'cidr': '2600:1F18:0:0:0:0:0:0/56'}", live = "{'cidr': '2600:1f18::/56'}";
        assertNoDiff(diff(desired, live));
        // without normalization the texts differ: the equality above is the normalizer's doing
        assertEquals(1, raw(desired, live).size());
    }

    @Test
    void cidrsInsideSetsAreCanonicalised() {
        assertNoDiff(diff("{'secondaryCidrs': ['2001:DB8:0:1:0:0:0:0/64', '10.1.0.0/16']}", "{'secondaryCidrs': ['10.1.0.0/16', '2001:db8:0:1::/64']}"));
    }

    @Test
    void unorderedListReorderedHasNoDiff() {
        assertNoDiff(raw("{'subnets': ['a', 'b', 'c']}", "{'subnets': ['c', 'a', 'b']}"));
        assertNoDiff(diff("{'subnets': ['a', 'b', 'c']}", "{'subnets': ['c', 'a', 'b']}"));
    }

    @Test
    void unorderedListAddedElementIsOneDiffWithBeforeNull() {
        List<PropertyDiff> d = raw("{'subnets': ['a', 'b', 'c']}", "{'subnets': ['b', 'a']}");
        assertEquals(List.of(pd("subnets", null, "'c'", false, true)), d);
        assertNull(d.get(0).before());
        assertTrue(d.get(0).element());
    }

    @Test
    void unorderedListRemovedElementIsOneDiffWithAfterNull() {
        List<PropertyDiff> d = raw("{'subnets': ['a']}", "{'subnets': ['a', 'b']}");
        assertEquals(List.of(pd("subnets", "'b'", null, false, true)), d);
        assertNull(d.get(0).after());
    }

    @Test
    void unorderedListSwappedElementIsOneRemovalAndOneAddition() {
        assertEquals(List.of(pd("subnets", "'b'", null, false, true), pd("subnets", null, "'c'", false, true)),
                raw("{'subnets': ['a', 'c']}", "{'subnets': ['b', 'a']}"));
    }

    @Test
    void unorderedListMissingLiveMeansEveryElementIsAdded() {
        assertEquals(List.of(pd("subnets", null, "'a'", false, true), pd("subnets", null, "'b'", false, true)),
                raw("{'subnets': ['a', 'b']}", "{}"));
    }

    @Test
    void emptyDesiredSetRemovesEveryLiveElement() {
        assertEquals(List.of(pd("subnets", "'a'", null, false, true), pd("subnets", "'b'", null, false, true)),
                raw("{'subnets': []}", "{'subnets': ['a', 'b']}"));
    }

    @Test
    void setsOfObjectsCompareElementsIgnoringKeyOrder() {
        String desired = "{'routes': [{'destination': '0.0.0.0/0', 'target': 'igw-1'}, {'destination': '10.0.0.0/8', 'target': 'tgw-1'}]}";
        String live = "{'routes': [{'target': 'tgw-1', 'destination': '10.0.0.0/8', 'weight': 1}, {'weight': 1, 'target': 'igw-1', 'destination': '0.0.0.0/0'}]}";
        assertNoDiff(diff(desired, live));
    }

    @Test
    void setOfObjectsWithOneChangedElement() {
        List<PropertyDiff> d = diff("{'routes': [{'destination': '0.0.0.0/0', 'target': 'nat-1'}, {'destination': '10.0.0.0/8', 'target': 'tgw-1'}]}",
                "{'routes': [{'destination': '0.0.0.0/0', 'target': 'igw-1'}, {'destination': '10.0.0.0/8', 'target': 'tgw-1'}]}");
        assertEquals(List.of(
                pd("routes", "{'destination': '0.0.0.0/0', 'target': 'igw-1', 'weight': 1}", null, false, true),
                pd("routes", null, "{'destination': '0.0.0.0/0', 'target': 'nat-1', 'weight': 1}", false, true)), d);
    }

    @Test
    void orderedListReorderedIsOneWholeDiff() {
        List<PropertyDiff> d = raw("{'rules': [{'rule': 100}, {'rule': 200}]}", "{'rules': [{'rule': 200}, {'rule': 100}]}");
        assertEquals(List.of(pd("rules", "[{'rule': 200}, {'rule': 100}]", "[{'rule': 100}, {'rule': 200}]", false, false)), d);
        assertFalse(d.get(0).element());
    }

    @Test
    void orderedListWithAddedElementIsOneWholeDiff() {
        assertEquals(List.of(pd("rules", "[{'rule': 100}]", "[{'rule': 100}, {'rule': 200}]", false, false)),
                raw("{'rules': [{'rule': 100}, {'rule': 200}]}", "{'rules': [{'rule': 100}]}"));
    }

    @Test
    void orderedListUnchangedHasNoDiff() {
        assertNoDiff(diff("{'rules': [{'rule': 200}, {'rule': 100}]}", "{'rules': [{'rule': 200}, {'rule': 100}]}"));
    }

    @Test
    void tagsDiffPerKey() {
        List<PropertyDiff> d = raw("{'tags': {'team': 'platform', 'CostCenter': '42', 'new': 'x'}}",
                "{'tags': {'team': 'web', 'CostCenter': '42', 'manual': 'y'}}");
        assertEquals(List.of(
                pd("tags.manual", "'y'", null, false, false),
                pd("tags.new", null, "'x'", false, false),
                pd("tags.team", "'web'", "'platform'", false, false)), d);
        assertEquals("tags", d.get(0).topLevel());
    }

    @Test
    void tagsMissingLiveAreAllAdded() {
        assertEquals(List.of(pd("tags.a", null, "'1'", false, false), pd("tags.b", null, "'2'", false, false)),
                raw("{'tags': {'b': '2', 'a': '1'}}", "{}"));
    }

    @Test
    void equalTagsInAnotherOrderHaveNoDiff() {
        assertNoDiff(raw("{'tags': {'a': '1', 'b': '2'}}", "{'tags': {'b': '2', 'a': '1'}}"));
    }

    @Test
    void createOnlyScalarForcesReplace() {
        List<PropertyDiff> d = raw("{'cidr': '10.1.0.0/16', 'name': 'b'}", "{'cidr': '10.0.0.0/16', 'name': 'a'}");
        assertEquals(List.of(pd("cidr", "'10.0.0.0/16'", "'10.1.0.0/16'", true, false), pd("name", "'a'", "'b'", false, false)), d);
    }

    @Test
    void createOnlyDefaultedPropertyForcesReplace() {
        assertEquals(List.of(pd("tenancy", "'dedicated'", "'default'", true, false)), diff("{}", "{'tenancy': 'dedicated'}"));
    }

    @Test
    void createOnlyReferenceForcesReplace() {
        assertEquals(List.of(pd("vpc", "'vpc-1'", "'vpc-2'", true, false)), raw("{'vpc': 'vpc-2'}", "{'vpc': 'vpc-1'}"));
    }

    @Test
    void createOnlySetElementsForceReplace() {
        assertEquals(List.of(pd("zones", "'eu-west-1b'", null, true, true), pd("zones", null, "'eu-west-1c'", true, true)),
                raw("{'zones': ['eu-west-1a', 'eu-west-1c']}", "{'zones': ['eu-west-1b', 'eu-west-1a']}"));
    }

    @Test
    void objectFieldsDiffPerFieldWithTheirOwnCreateOnlyFlag() {
        List<PropertyDiff> d = diff("{'options': {'mode': 'b', 'level': 2}}", "{'options': {'mode': 'a', 'level': 1}}");
        assertEquals(List.of(pd("options.mode", "'a'", "'b'", true, false), pd("options.level", "1", "2", false, false)), d);
        assertEquals("options", d.get(0).topLevel());
    }

    @Test
    void objectFieldsNotInTheFileAreNotDiffed() {
        assertNoDiff(raw("{'options': {'level': 2}}", "{'options': {'level': 2, 'mode': 'set-by-hand'}}"));
    }

    @Test
    void objectMissingLiveIsOneWholeDiff() {
        assertEquals(List.of(pd("options", null, "{'mode': 'a', 'level': 1}", false, false)), diff("{'options': {'mode': 'a'}}", "{}"));
    }

    @Test
    void writeOnlyPropertiesAreNeverDiffed() {
        assertNoDiff(raw("{'secret': 'hunter2'}", "{}"));
        assertNoDiff(raw("{'secret': 'hunter2'}", "{'secret': 'other'}"));
        assertNoDiff(diff("{'secret': 'hunter2', 'cidr': '10.0.0.0/16'}", "{'cidr': '10.0.0.0/16'}"));
    }

    @Test
    void writeOnlyObjectFieldsAreNeverDiffed() {
        assertNoDiff(raw("{'options': {'mode': 'a', 'token': 's3cr3t'}}", "{'options': {'mode': 'a'}}"));
        List<PropertyDiff> d = raw("{'options': {'mode': 'b', 'token': 's3cr3t'}}", "{'options': {'mode': 'a'}}");
        assertEquals(List.of(pd("options.mode", "'a'", "'b'", true, false)), d);
    }

    @Test
    void writeOnlyFieldsInsideSetElementsAreNeverDiffed() {
        List<PropertyDiff> d = diff("{'tunnels': [{'insideCidr': '169.254.10.0/30', 'preSharedKey': 'hunter2'}]}",
                "{'tunnels': [{'insideCidr': '169.254.10.0/30'}]}");
        assertNoDiff(d);
    }

    @Test
    void writeOnlyObjectFieldsAreNotExposedWhenTheObjectIsMissingLive() {
        List<PropertyDiff> d = raw("{'options': {'mode': 'a', 'token': 's3cr3t'}}", "{}");
        assertEquals(1, d.size(), d.toString());
        PropertyDiff only = d.get(0);
        assertTrue(only.sensitive() || !Json.canonical(only.after()).contains("s3cr3t"), "secret leaked in " + only);
    }

    @Test
    void ignoreDropsExactPath() {
        String desired = "{'cidr': '10.1.0.0/16', 'tags': {'team': 'a', 'CostCenter': '1'}}";
        String live = "{'cidr': '10.0.0.0/16', 'tags': {'team': 'b', 'CostCenter': '2'}}";
        assertEquals(3, raw(desired, live).size());
        assertEquals(List.of(pd("cidr", "'10.0.0.0/16'", "'10.1.0.0/16'", true, false), pd("tags.team", "'b'", "'a'", false, false)),
                raw(desired, live, "tags.CostCenter"));
    }

    @Test
    void ignoreDropsLiveOnlyTag() {
        // another tool adds CostCenter to the resource: with the ignore it is not drift
        assertEquals(List.of(pd("tags.CostCenter", "'42'", null, false, false)), raw("{'tags': {}}", "{'tags': {'CostCenter': '42'}}"));
        assertNoDiff(raw("{'tags': {}}", "{'tags': {'CostCenter': '42'}}", "tags.CostCenter"));
    }

    @Test
    void ignoreOfAPropertyDropsEverythingBelowIt() {
        String desired = "{'tags': {'a': '1', 'b': '2'}, 'options': {'mode': 'x', 'level': 3}, 'subnets': ['s1']}";
        String live = "{'tags': {'a': '9', 'b': '9'}, 'options': {'mode': 'y', 'level': 4}, 'subnets': ['s2']}";
        // diffs come in schema order: subnets, options, tags
        assertEquals(List.of("subnets", "subnets", "options.mode", "options.level", "tags.a", "tags.b"),
                raw(desired, live).stream().map(PropertyDiff::path).toList());
        assertEquals(List.of("subnets", "subnets", "options.mode", "options.level"),
                raw(desired, live, "tags").stream().map(PropertyDiff::path).toList());
        assertEquals(List.of("subnets", "subnets", "tags.a", "tags.b"),
                raw(desired, live, "options").stream().map(PropertyDiff::path).toList());
        assertEquals(List.of("options.mode", "options.level", "tags.a", "tags.b"),
                raw(desired, live, "subnets").stream().map(PropertyDiff::path).toList());
        assertNoDiff(raw(desired, live, "tags", "options", "subnets"));
    }

    @Test
    void ignoreMatchesWholePathSegmentsOnly() {
        String desired = "{'tags': {'Cost': '1', 'CostCenter': '1'}}", live = "{'tags': {'Cost': '2', 'CostCenter': '2'}}";
        assertEquals(List.of("tags.CostCenter"), raw(desired, live, "tags.Cost").stream().map(PropertyDiff::path).toList());
        assertEquals(2, raw(desired, live, "tag").size());
        assertEquals(2, raw(desired, live, "tags.CostCenter.x").size());
    }

    @Test
    void ignoredHelper() {
        assertTrue(Differ.ignored("tags.CostCenter", List.of("tags.CostCenter")));
        assertTrue(Differ.ignored("tags.CostCenter", List.of("tags")));
        assertTrue(Differ.ignored("options.mode", List.of("x", "options")));
        assertFalse(Differ.ignored("tags.CostCenter", List.of("tags.Cost")));
        assertFalse(Differ.ignored("tagsx", List.of("tags")));
        assertFalse(Differ.ignored("tags", List.of("tags.CostCenter")));
        assertFalse(Differ.ignored("tags", List.of()));
    }

    @Test
    void diffsFollowSchemaOrder() {
        // schema order: cidr, name, dnsSupport, tenancy, vpc, ... tags last (added by Schema for taggable types)
        List<PropertyDiff> d = raw("{'tags': {'a': '1'}, 'vpc': 'vpc-2', 'name': 'n2', 'cidr': '10.1.0.0/16'}",
                "{'tags': {'a': '2'}, 'vpc': 'vpc-1', 'name': 'n1', 'cidr': '10.0.0.0/16'}");
        assertEquals(List.of("cidr", "name", "vpc", "tags.a"), d.stream().map(PropertyDiff::path).toList());
    }

    @Test
    void diffsAreNotSensitiveForOrdinaryProperties() {
        for (PropertyDiff d : raw("{'name': 'x', 'subnets': ['a'], 'tags': {'k': 'v'}}", "{}")) {
            assertFalse(d.sensitive(), d.toString());
        }
    }

    @Test
    void topLevelOfPaths() {
        JsonNode n = node("1");
        assertEquals("cidr", new PropertyDiff("cidr", n, n, false, false, false).topLevel());
        assertEquals("tags", new PropertyDiff("tags.a.b", n, n, false, false, false).topLevel());
    }

    @Test
    void keyedElementWhoseTargetChangedIsOneModification() {
        List<PropertyDiff> d = raw("{'hops': [{'destination': '10.1.0.0/16', 'target': 'b'}, {'destination': '10.2.0.0/16', 'target': 'x'}]}",
                "{'hops': [{'destination': '10.1.0.0/16', 'target': 'a'}, {'destination': '10.2.0.0/16', 'target': 'x'}]}");
        assertEquals(List.of(pd("hops", "{'destination': '10.1.0.0/16', 'target': 'a'}", "{'destination': '10.1.0.0/16', 'target': 'b'}", false, true)), d);
        assertTrue(d.get(0).modifiedElement());
    }

    @Test
    void keyedElementsWithOtherKeysStayAdditionsAndRemovals() {
        List<PropertyDiff> d = raw("{'hops': [{'destination': '10.2.0.0/16', 'target': 'a'}]}",
                "{'hops': [{'destination': '10.1.0.0/16', 'target': 'a'}, {'destination': '10.3.0.0/16', 'drop': true}]}");
        assertEquals(List.of(
                pd("hops", "{'destination': '10.1.0.0/16', 'target': 'a'}", null, false, true),
                pd("hops", "{'destination': '10.3.0.0/16', 'drop': true}", null, false, true),
                pd("hops", null, "{'destination': '10.2.0.0/16', 'target': 'a'}", false, true)), d);
        assertTrue(d.stream().noneMatch(PropertyDiff::modifiedElement));
    }

    @Test
    void unkeyedListStillPairsNothing() {
        List<PropertyDiff> d = raw("{'routes': [{'destination': '10.1.0.0/16', 'target': 'b', 'weight': 1}]}",
                "{'routes': [{'destination': '10.1.0.0/16', 'target': 'a', 'weight': 1}]}");
        assertEquals(2, d.size());
        assertTrue(d.stream().noneMatch(PropertyDiff::modifiedElement));
    }
}
