package io.netstack.engine;

import static io.netstack.engine.FakeEngine.actions;
import static io.netstack.engine.FakeEngine.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Repetition keyed by name, not position: adding a zone in the middle of the list plans only
 * creates, removing one plans only that zone's deletes (planner against the in-memory provider).
 * The last test shows the positional pitfall (Terraform's count) that key-derived values avoid.
 */
class TemplatePlanTest {
    static final String TEMPLATE = """
            {
              "stack": "demo", "region": "eu-west-1",
              "variables": { "zones": { "type": "list" } },
              "resources": {
                "n": { "type": "net", "cidr": "10.0.0.0/16" },
                "p": { "type": "part", "forEach": "${var.zones}", "net": "${n}", "size": "${SIZE}", "label": "${zone(each.key)}" },
                "l": { "type": "link", "forEach": "${var.zones}", "target": "${p[each.key]}" }
              }
            }
            """;

    final FakeEngine e = new FakeEngine();

    static StackFile stack(String size, String zones) {
        return StackLoader.parse(FakeEngine.FILE, TEMPLATE.replace("SIZE", size), Map.of("zones", zones), Map.of());
    }

    static Map<String, Action> changed(Plan p) {
        Map<String, Action> m = new TreeMap<>(actions(p));
        m.values().removeIf(a -> a == Action.NOOP);
        return m;
    }

    @Test
    void addingAZoneInTheMiddleOnlyCreates() {
        e.converge(stack("16 + zoneindex(each.key)", "[\"a\", \"c\"]"));
        Plan p = e.plan(stack("16 + zoneindex(each.key)", "[\"a\", \"b\", \"c\"]"));
        assertEquals(Map.of("p-b", Action.CREATE, "l-b", Action.CREATE), changed(p), describe(p));
        assertEquals(5, p.count(Action.NOOP), "n and both zones a and c unchanged: " + describe(p));
    }

    @Test
    void removingAZoneOnlyDeletesThatZone() {
        e.converge(stack("16 + zoneindex(each.key)", "[\"a\", \"b\", \"c\"]"));
        Plan p = e.plan(stack("16 + zoneindex(each.key)", "[\"a\", \"c\"]"));
        assertEquals(Map.of("p-b", Action.DELETE, "l-b", Action.DELETE), changed(p), describe(p));
    }

    @Test
    void positionDerivedValuesWouldReplaceTheZonesAfterTheInsertion() {
        e.converge(stack("16 + each.index", "[\"a\", \"c\"]"));
        Plan p = e.plan(stack("16 + each.index", "[\"a\", \"b\", \"c\"]"));
        assertEquals(Action.REPLACE, actions(p).get("p-c"), "size is create-only and moved from 17 to 18: " + describe(p));
        assertEquals(Action.CREATE, actions(p).get("p-b"), describe(p));
        assertEquals(Action.NOOP, actions(p).get("p-a"), describe(p));
    }
}
