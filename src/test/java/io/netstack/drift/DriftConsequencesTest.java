package io.netstack.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.engine.Json;
import io.netstack.engine.PropertyDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which differences a deleted resource explains (and which it does not: issue 11, bug 5). */
class DriftConsequencesTest {
    static JsonNode route(String dest, String target) {
        return Json.MAPPER.createObjectNode().put("destination", dest).put("target", target);
    }

    @Test
    void aRouteToADeletedNatThatStillExistsIsAConsequence() {
        List<PropertyDiff> diffs = new ArrayList<>(List.of(
                new PropertyDiff("routes", null, route("0.0.0.0/0", "${nat-a}"), false, false, true),
                new PropertyDiff("routes", route("0.0.0.0/0", "nat-0dead"), null, false, false, true)));
        DriftDetector.dropConsequencesOfDeletion(diffs, Set.of("nat-a"));
        assertEquals(List.of(), diffs, "the NAT's deletion is reported once, on the NAT");
    }

    @Test
    void aRouteDeletedTogetherWithItsNatIsDriftOfItsOwn() {
        PropertyDiff missing = new PropertyDiff("routes", null, route("0.0.0.0/0", "${nat-a}"), false, false, true);
        PropertyDiff other = new PropertyDiff("routes", route("10.9.0.0/16", "pcx-1"), null, false, false, true);
        List<PropertyDiff> diffs = new ArrayList<>(List.of(missing, other));
        DriftDetector.dropConsequencesOfDeletion(diffs, Set.of("nat-a"));
        assertEquals(List.of(missing, other), diffs, "no live twin: the route itself was removed");
    }
}
