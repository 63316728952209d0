package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.TagDescription;

/**
 * Issue 12: where the tagging API hint asks. A stack in us-east-1 makes one GetResources with every
 * filter; a stack elsewhere asks its own region for the regional objects (DX virtual interfaces,
 * RAM shares; DX gateways too: no AWS page says where they are reported) and us-east-1 for the
 * global ones (CloudFront distributions, DX gateways); a call never names a filter twice. With the
 * global-type marker ({@code GlobalMarkers}): what the one DescribeTags says (EC2 types, marked
 * global types), which types a plan or destroy reads in full or asks the hint for, and only the
 * calls those types need.
 */
class OwnedTypesHintTest {
    static Set<String> allFilters(Map<String, List<String>> calls) {
        Set<String> distinct = new TreeSet<>();
        for (List<String> one : calls.values()) {
            assertEquals(Set.copyOf(one).size(), one.size(), "a filter named twice in one call: " + calls);
            distinct.addAll(one);
        }
        return distinct;
    }

    @Test
    void usEast1AsksOnce() {
        Map<String, List<String>> calls = OwnedTypes.hintCalls("us-east-1");
        assertEquals(Set.of("us-east-1"), calls.keySet());
        assertEquals(Set.of("cloudfront:distribution", "directconnect:dx-gateway", "directconnect:dxvif", "ram:resource-share"), allFilters(calls));
        assertEquals(calls, OwnedTypes.hintCalls(null), "no region is us-east-1 (Netstack.provider)");
    }

    @Test
    void anotherRegionAsksItselfForRegionalObjectsAndUsEast1ForGlobalOnes() {
        Map<String, List<String>> calls = OwnedTypes.hintCalls("eu-west-1");
        assertEquals(List.of("eu-west-1", "us-east-1"), List.copyOf(calls.keySet()));
        assertEquals(Set.of("directconnect:dxvif", "ram:resource-share", "directconnect:dx-gateway"), Set.copyOf(calls.get("eu-west-1")));
        assertEquals(Set.of("cloudfront:distribution", "directconnect:dx-gateway"), Set.copyOf(calls.get("us-east-1")));
        assertEquals(allFilters(OwnedTypes.hintCalls("us-east-1")), allFilters(calls), "the same objects are looked for");
    }

    @Test
    void everyHintedTypeHasAFilterThatFindsIt() {
        // each global type is reported under one of the filters asked (ARN → type, OwnedTypes.globalTypes)
        Set<String> found = new TreeSet<>();
        found.addAll(OwnedTypes.globalTypes("arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE"));
        found.addAll(OwnedTypes.globalTypes("arn:aws:directconnect::123456789012:dx-gateway/5f294f92"));
        found.addAll(OwnedTypes.globalTypes("arn:aws:directconnect:eu-west-1:123456789012:dxvif/dxvif-1"));
        found.addAll(OwnedTypes.globalTypes("arn:aws:ram:eu-west-1:123456789012:resource-share/7ab6"));
        assertEquals(OwnedTypes.GLOBAL_TYPES, found);
        for (String region : List.of("eu-west-1", "us-east-1")) {
            assertTrue(OwnedTypes.hintCalls("eu-west-1").get(region).contains("directconnect:dx-gateway"),
                    "a DX gateway is looked for in both regions of a stack outside us-east-1: " + region);
        }
        assertFalse(OwnedTypes.hintCalls("eu-west-1").get("eu-west-1").contains("cloudfront:distribution"),
                "a distribution is reported in us-east-1 only");
    }

    // ---- the global-type marker (GlobalMarkers): what the one DescribeTags says, what a run reads

    static TagDescription row(String key, String value, String resourceType, String id) {
        return TagDescription.builder().key(key).value(value).resourceType(resourceType).resourceId(id).build();
    }

    @Test
    void theLookUpsRowsNameTheEc2TypesAndTheMarkedGlobalTypes() {
        List<TagDescription> rows = List.of(
                row("netstack:stack", "web", "vpc", "vpc-1"),
                row("netstack:stack", "web", "natgateway", "nat-1"),
                // the marker: its stack tag maps to no type, its global tags mark types
                row("netstack:stack", "web", "key-pair", "key-0a"),
                row("netstack:global:cloudfront-distribution", "web", "key-pair", "key-0a"),
                row("netstack:global:ram-resource-share", "web", "key-pair", "key-0a"),
                // rows a backend that ignores the filters returns: another stack's, another key, no type
                row("netstack:stack", "other", "subnet", "subnet-9"),
                row("netstack:global:dx-gateway", "other", "key-pair", "key-0b"),
                row("netstack:id", "web", "subnet", "subnet-1"),
                row("netstack:global:no-such-type", "web", "key-pair", "key-0a"),
                // a global tag on something else than a key pair is no marker
                row("netstack:global:dx-virtual-interface", "web", "vpc", "vpc-1"));
        OwnedTypes.Owned o = OwnedTypes.owned("web", rows);
        assertEquals(Set.of("vpc", "nat-gateway"), o.ec2());
        assertEquals(Set.of("cloudfront-distribution", "ram-resource-share"), o.marked());
        assertEquals("key-0a", o.markerId());

        OwnedTypes.Owned none = OwnedTypes.owned("web", List.of(row("netstack:stack", "web", "vpc", "vpc-1"), row("netstack:stack", "web", "key-pair", "key-0a")));
        assertEquals(Set.of(), none.marked(), "a key pair with only the stack tag marks nothing");
        assertEquals(null, none.markerId());
        // a backend that leaves the resource type out: the id says key pair
        assertEquals(Set.of("dx-gateway"), OwnedTypes.owned("web", List.of(row("netstack:global:dx-gateway", "web", null, "key-0c"))).marked());
    }

    static final Set<String> GLOBAL = OwnedTypes.GLOBAL_TYPES;

    @Test
    void aPlanAsksTheHintOnlyForMarkedTypesTheFileDoesNotDeclare() {
        // nothing marked: no hint at all (the ordinary VPC stack)
        OwnedTypes.GlobalScope unmarked = OwnedTypes.globalScope(Set.of("vpc", "subnet"), Set.of(), GLOBAL, false);
        assertEquals(Set.of(), unmarked.hinted());
        assertEquals(Set.of(), unmarked.inFull());
        assertEquals(Map.of(), OwnedTypes.hintCalls("eu-west-1", unmarked.hinted()), "no GetResources");
        // marked and declared: read in full as declared, no hint
        assertEquals(Set.of(), OwnedTypes.globalScope(Set.of("vpc", "cloudfront-distribution"), Set.of("cloudfront-distribution"), GLOBAL, false).hinted());
        // marked, no longer declared: the hint, only where that type is reported
        OwnedTypes.GlobalScope dropped = OwnedTypes.globalScope(Set.of("vpc"), Set.of("cloudfront-distribution"), GLOBAL, false);
        assertEquals(Set.of("cloudfront-distribution"), dropped.hinted());
        assertEquals(Set.of(), dropped.inFull(), "a plan reads an undeclared global type only through the hint");
        assertEquals(Map.of("us-east-1", List.of("cloudfront:distribution")), OwnedTypes.hintCalls("eu-west-1", dropped.hinted()));
        // a marked type the provider does not register is not asked for
        assertEquals(Set.of(), OwnedTypes.globalScope(Set.of(), Set.of("cloudfront-distribution"), Set.of("dx-gateway"), false).hinted());
    }

    @Test
    void aDestroyReadsMarkedTypesInFullAndAsksTheHintForTheOthers() {
        OwnedTypes.GlobalScope d = OwnedTypes.globalScope(Set.of("vpc"), Set.of("dx-virtual-interface"), GLOBAL, true);
        assertEquals(Set.of("dx-virtual-interface"), d.inFull());
        Set<String> others = new TreeSet<>(GLOBAL);
        others.remove("dx-virtual-interface");
        assertEquals(others, d.hinted(), "stacks applied before markers existed are found by the hint at the latest by destroy");
        // nothing marked: the hint for every global type, as before markers
        assertEquals(OwnedTypes.hintCalls("eu-west-1"), OwnedTypes.hintCalls("eu-west-1", OwnedTypes.globalScope(Set.of(), Set.of(), GLOBAL, true).hinted()));
        // declared types are read in full anyway: not hinted
        assertFalse(OwnedTypes.globalScope(Set.of("ram-resource-share"), Set.of(), GLOBAL, true).hinted().contains("ram-resource-share"));
    }

    @Test
    void eachTypeIsAskedOnlyWhereItIsReported() {
        assertEquals(Map.of("eu-west-1", List.of("ram:resource-share")), OwnedTypes.hintCalls("eu-west-1", Set.of("ram-resource-share")));
        assertEquals(Map.of("eu-west-1", List.of("directconnect:dxvif")), OwnedTypes.hintCalls("eu-west-1", Set.of("dx-virtual-interface")));
        Map<String, List<String>> gateway = OwnedTypes.hintCalls("eu-west-1", Set.of("dx-gateway-association"));
        assertEquals(List.of("eu-west-1", "us-east-1"), List.copyOf(gateway.keySet()), "DX gateways: both regions, as before");
        assertEquals(Set.of("directconnect:dx-gateway"), allFilters(gateway));
        // us-east-1: one call with what the types need
        assertEquals(Map.of("us-east-1", List.of("directconnect:dxvif", "cloudfront:distribution")),
                OwnedTypes.hintCalls("us-east-1", Set.of("cloudfront-distribution", "dx-virtual-interface")));
        // every filter serves a global type and every global type has its filter
        Set<String> served = new TreeSet<>();
        OwnedTypes.FILTER_TYPES.values().forEach(served::addAll);
        assertEquals(OwnedTypes.GLOBAL_TYPES, served);
        assertEquals(allFilters(OwnedTypes.hintCalls("us-east-1")), OwnedTypes.FILTER_TYPES.keySet());
    }
}
