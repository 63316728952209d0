package io.netstack.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.engine.Json;
import io.netstack.engine.PropertyDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DriftDetectorDiffsTest {
    static PropertyDiff diff(String before, String after) throws Exception {
        return new PropertyDiff("routes", before == null ? null : Json.MAPPER.readTree(before), after == null ? null : Json.MAPPER.readTree(after), false, false, true);
    }

    @Test
    void keyedModificationToADeletedResourceIsAConsequenceNotDrift() throws Exception {
        PropertyDiff modified = diff("{\"destination\":\"10.1.0.0/16\",\"blackhole\":true}", "{\"destination\":\"10.1.0.0/16\",\"attachment\":\"${att}\"}");
        PropertyDiff unrelated = diff("{\"destination\":\"10.9.0.0/16\",\"blackhole\":true}", null);
        List<PropertyDiff> diffs = new ArrayList<>(List.of(modified, unrelated));
        DriftDetector.dropConsequencesOfDeletion(diffs, Set.of("att"));
        assertEquals(List.of(unrelated), diffs, "the modified route goes, the route added by hand stays");
    }

    @Test
    void keyedModificationToALiveResourceStays() throws Exception {
        PropertyDiff modified = diff("{\"destination\":\"10.1.0.0/16\",\"blackhole\":true}", "{\"destination\":\"10.1.0.0/16\",\"attachment\":\"${att}\"}");
        List<PropertyDiff> diffs = new ArrayList<>(List.of(modified));
        DriftDetector.dropConsequencesOfDeletion(diffs, Set.of("other"));
        assertEquals(List.of(modified), diffs);
    }
}
