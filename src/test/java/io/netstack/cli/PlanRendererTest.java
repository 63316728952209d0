package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.netstack.engine.Action;
import io.netstack.engine.Change;
import io.netstack.engine.Json;
import io.netstack.engine.Plan;
import io.netstack.engine.PropertyDiff;
import io.netstack.spi.LiveResource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 12: an object someone tagged {@code netstack:stack}/{@code netstack:id} by hand is,
 * to netstack, the stack's; apply deletes it if the file does not name it. The plan cannot tell it
 * from one netstack made, so it says, next to the summary, which deletions only the tags justify.
 */
class PlanRendererTest {
    static Change delete(String id, String type, String awsId, String reason) {
        return new Change(id, type, Action.DELETE, List.of(reason), List.of(), null, new LiveResource(id, type, awsId, Json.object(), Map.of()));
    }

    static String render(Plan p) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PlanRenderer.text(p, new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void deletionsJustifiedOnlyByTagsAreNamedWithAWarning() {
        Change forged = delete("legacy", "vpc", "vpc-0abc", "no longer in the stack file");
        Change dup = delete("web", "subnet", "subnet-9", "duplicate of subnet-1 (same netstack:id)");
        String text = render(new Plan("three-tier", "eu-west-1", "d", "f", false, List.of(forged, dup), Map.of()));
        assertTrue(text.contains("Warning: 1 object is deleted only because tags say stack three-tier owns it and the file no longer names it: legacy (vpc vpc-0abc)."), text);
        assertTrue(text.contains("check these are yours (README, Security)"), text);
        assertFalse(text.contains("subnet-9)"), "a duplicate of a resource the file names is not in the warning: " + text);

        String destroy = render(new Plan("three-tier", "eu-west-1", "d", "f", true, List.of(delete("legacy", "vpc", "vpc-0abc", "destroy")), Map.of()));
        assertFalse(destroy.contains("Warning"), "destroy deletes everything the stack owns by definition: " + destroy);
        String none = render(new Plan("three-tier", "eu-west-1", "d", "f", false, List.of(dup), Map.of()));
        assertFalse(none.contains("Warning"), none);
    }

    @Test
    void oldV1SecretTagsAreNamedSoTheirKeysGetRotated() {
        LiveResource old = new LiveResource("vpn", "vpn-connection", "vpn-1", Json.object(), Map.of(io.netstack.spi.ResourceSpec.SECRETS_TAG, "0123456789abcdef0123456789abcdef"));
        LiveResource v2 = new LiveResource("vif", "dx-virtual-interface", "dxvif-2", Json.object(), Map.of(io.netstack.spi.ResourceSpec.SECRETS_TAG, "v2:600000:c2FsdA:aGFzaA"));
        String text = render(new Plan("hybrid", "eu-west-1", "d", "f", false, List.of(), Map.of("vpn", old, "vif", v2)));
        assertTrue(text.startsWith("No changes."), text);
        assertTrue(text.contains("Warning: the netstack:secrets tag of vpn (vpn-1) is an old v1 digest"), text);
        assertFalse(text.contains("vif (dxvif-2)"), text);
    }

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
