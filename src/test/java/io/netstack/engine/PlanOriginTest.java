package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each change of a resource that a template expanded carries its module origin: in {@code plan
 * --json}, in the saved plan file, and (as before) in the text plan.
 */
class PlanOriginTest {
    static final String MODULE = """
            {
              "variables": { "parts": { "type": "list", "default": ["a"] } },
              "resources": {
                "n": { "type": "net", "cidr": "10.0.0.0/16" },
                "p": { "type": "part", "forEach": "${var.parts}", "net": "${n}", "label": "${each.key}" }
              },
              "outputs": { "net": "${n}" }
            }
            """;

    static final String STACK = """
            {
              "stack": "demo",
              "region": "eu-west-1",
              "resources": {
                "m": { "module": "./mod.json", "inputs": { "parts": ["a", "b"] } },
                "r": { "module": "./mod.json", "forEach": ["x"] },
                "own": { "type": "part", "forEach": ["k"], "net": "${m.net}" },
                "plain": { "type": "part", "net": "${m.net}" }
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void planJsonAndPlanFileNameEachChangesModuleAndTemplate() throws Exception {
        Files.writeString(dir.resolve("mod.json"), MODULE);
        Path f = dir.resolve("stack.json");
        Files.writeString(f, STACK);
        StackFile s = StackLoader.load(f, Map.of(), Map.of());
        Plan plan = new FakeEngine().plan(s);

        Map<String, JsonNode> byId = new TreeMap<>();
        PlanJson.render(plan).get("changes").forEach(c -> byId.put(c.get("id").asText(), c));
        assertEquals(java.util.Set.of("m-n", "m-p-a", "m-p-b", "r-x-n", "r-x-p-a", "own-k", "plain"), byId.keySet());

        JsonNode mpb = byId.get("m-p-b").get("origin");
        assertEquals("m", mpb.get("module").asText(), mpb.toString());
        assertEquals("[\"m\"]", mpb.get("modules").toString());
        assertEquals("b", mpb.get("forEachKey").asText());
        assertFalse(mpb.has("moduleKey"), "module m is not repeated: " + mpb);
        assertTrue(mpb.get("file").asText().endsWith("mod.json"), mpb.toString());
        assertEquals(5, mpb.get("line").asInt(), "the line of the template block \"p\" in the module file: " + mpb);
        assertEquals(5, mpb.get("column").asInt(), mpb.toString());

        JsonNode mn = byId.get("m-n").get("origin");
        assertEquals("m", mn.get("module").asText());
        assertFalse(mn.has("forEachKey"), mn.toString());
        assertEquals(4, mn.get("line").asInt());

        JsonNode rxpa = byId.get("r-x-p-a").get("origin");
        assertEquals("r-x", rxpa.get("module").asText(), "the module instance, the prefix of its ids: " + rxpa);
        assertEquals("x", rxpa.get("moduleKey").asText());
        assertEquals("a", rxpa.get("forEachKey").asText());

        JsonNode own = byId.get("own-k").get("origin");
        assertFalse(own.has("module"), "the stack's own repeated resource: " + own);
        assertEquals("k", own.get("forEachKey").asText());
        assertEquals(f.toString(), own.get("file").asText());
        assertEquals(7, own.get("line").asInt());

        assertFalse(byId.get("plain").has("origin"), "a plain resource has no origin");

        // the saved plan carries it, and the text plan says the same thing
        Path saved = dir.resolve("plan.json");
        PlanFile.of(plan, f.toString(), s, n -> null).write(saved);
        JsonNode file = io.netstack.engine.Json.MAPPER.readTree(saved.toFile());
        JsonNode fromFile = null;
        for (JsonNode c : file.path("plan").path("changes")) if (c.path("id").asText().equals("r-x-p-a")) fromFile = c.get("origin");
        assertEquals(rxpa, fromFile);
        assertEquals(null, PlanFile.read(saved).staleReason(plan), "a fresh plan of the same file is the saved one, origins included");
        assertEquals("module r-x, forEach key \"a\" at " + dir.resolve("mod.json") + ":5:5", plan.origin("r-x-p-a").text());
    }
}
