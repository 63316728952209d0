package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: where the tagging API hint asks. A stack in us-east-1 makes one GetResources with every
 * filter; a stack elsewhere asks its own region for the regional objects (DX virtual interfaces,
 * RAM shares; DX gateways too: no AWS page says where they are reported) and us-east-1 for the
 * global ones (CloudFront distributions, DX gateways); a call never names a filter twice.
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
}
