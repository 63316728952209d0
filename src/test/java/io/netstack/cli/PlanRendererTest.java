package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.engine.Json;
import io.netstack.engine.PropertyDiff;
import org.junit.jupiter.api.Test;

class PlanRendererTest {
    @Test
    void modifiedKeyedElementIsOneLineNotAnOutsideChange() throws Exception {
        PropertyDiff d = new PropertyDiff("routes", Json.MAPPER.readTree("{\"destination\":\"10.1.0.0/16\",\"attachment\":\"tgw-attach-1\"}"),
                Json.MAPPER.readTree("{\"destination\":\"10.1.0.0/16\",\"blackhole\":true}"), false, false, true);
        String line = PlanRenderer.line(d);
        assertEquals("routes ~ " + Json.display(d.before()) + " → " + Json.display(d.after()), line);
    }

    @Test
    void removedElementStillSaysItIsNotInTheFile() throws Exception {
        PropertyDiff d = new PropertyDiff("routes", Json.MAPPER.readTree("{\"destination\":\"10.1.0.0/16\",\"blackhole\":true}"), null, false, false, true);
        assertEquals("routes - " + Json.display(d.before()) + "  (not in the file: made outside netstack, or removed from the file)", PlanRenderer.line(d));
    }
}
