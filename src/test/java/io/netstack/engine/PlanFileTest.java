package io.netstack.engine;

import static io.netstack.engine.FakeEngine.STACK;
import static io.netstack.engine.FakeEngine.stack;
import static io.netstack.engine.FakeEngine.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved plans (round trip, staleness) and the machine-readable plan (secrets masked). */
class PlanFileTest {
    static final String SECRET = "hunter2-very-secret";

    static final String RESOURCES = """
                "n":  {"type": "net", "cidr": "${var.cidr}"},
                "p":  {"type": "part", "net": "${n}", "label": "one", "secret": "%s"},
                "q":  {"type": "part", "net": "${n}", "secret": "${env.Q_SECRET}"}
            """.formatted(SECRET);

    static final String VARIABLES = "  \"variables\": {\"cidr\": {\"default\": \"10.0.0.0/16\"}},\n";

    final FakeEngine e = new FakeEngine();

    @TempDir
    Path dir;

    static StackFile load(String resources, Map<String, String> vars) {
        return StackLoader.parse(FakeEngine.FILE, text(resources, VARIABLES), vars);
    }

    @Test
    void planFileRoundTrips() throws IOException {
        e.env = n -> "from-env";
        e.converge(load(RESOURCES, Map.of()));
        StackFile s = load(RESOURCES.replace("\"one\"", "\"two\""), Map.of("cidr", "10.0.0.0/16"));
        Plan plan = e.plan(s);
        assertTrue(plan.hasChanges());
        PlanFile saved = PlanFile.of(plan, "stacks/demo.json", s, e.env);
        Path f = dir.resolve("plan.json");
        saved.write(f);

        assertTrue(PlanFile.isPlanFile(f));
        PlanFile read = PlanFile.read(f);
        // (compare JSON text: numbers come back as IntNode where the plan had LongNode)
        assertEquals(Json.canonical(saved.plan()), Json.canonical(read.plan()));
        assertEquals("stacks/demo.json", read.stackFile());
        assertEquals(Map.of("cidr", "10.0.0.0/16"), read.variables());
        assertEquals(s.digest(), read.stackDigest());
        assertEquals(plan.liveFingerprint(), read.liveFingerprint());
        assertFalse(read.destroy());
        assertEquals("update", read.plan().path("changes").get(0).path("action").asText());
        assertNull(read.staleReason(e.plan(s)), "same file, same live state: not stale");
    }

    @Test
    void staleWhenTheFileChanged() {
        e.env = n -> "from-env";
        StackFile s = load(RESOURCES, Map.of());
        PlanFile saved = PlanFile.of(e.plan(s), "s.json", s, e.env);
        assertNull(saved.staleReason(e.plan(load(RESOURCES, Map.of()))));
        assertEquals("the stack file or its variables changed since the plan was made",
                saved.staleReason(e.plan(load(RESOURCES.replace("\"one\"", "\"uno\""), Map.of()))));
        // same bytes, another variable value
        assertEquals("the stack file or its variables changed since the plan was made",
                saved.staleReason(e.plan(load(RESOURCES, Map.of("cidr", "10.9.0.0/16")))));
    }

    @Test
    void staleWhenTheLiveStateChanged() {
        e.env = n -> "from-env";
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        PlanFile saved = PlanFile.of(e.plan(s), "s.json", s, e.env);
        assertNull(saved.staleReason(e.plan(s)));

        e.fake.modify(e.fake.awsId(STACK, "n"), "flag", BooleanNode.TRUE);
        assertEquals("the live state changed since the plan was made", saved.staleReason(e.plan(s)));
        e.fake.modify(e.fake.awsId(STACK, "n"), "flag", BooleanNode.FALSE);
        assertNull(saved.staleReason(e.plan(s)), "back to what the plan saw");

        e.fake.tag(e.fake.awsId(STACK, "p"), "added-by-hand", "x");
        assertEquals("the live state changed since the plan was made", saved.staleReason(e.plan(s)));
        e.fake.tag(e.fake.awsId(STACK, "p"), "added-by-hand", null);

        e.fake.remove(e.fake.awsId(STACK, "q"));
        assertEquals("the live state changed since the plan was made", saved.staleReason(e.plan(s)));
    }

    @Test
    void staleWhenMadeForTheOtherCommand() {
        e.env = n -> "from-env";
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        PlanFile apply = PlanFile.of(e.plan(s), "s.json", s, e.env);
        assertEquals("the plan was made for apply", apply.staleReason(e.destroyPlan(s)));
        PlanFile destroy = PlanFile.of(e.destroyPlan(s), "s.json", s, e.env);
        assertTrue(destroy.destroy());
        assertEquals("the plan was made for destroy", destroy.staleReason(e.plan(s)));
    }

    @Test
    void readRejectsOtherFiles() throws IOException {
        Path stackFile = Files.writeString(dir.resolve("stack.json"), text(RESOURCES, VARIABLES));
        assertFalse(PlanFile.isPlanFile(stackFile));
        IOException notPlan = assertThrows(IOException.class, () -> PlanFile.read(stackFile));
        assertTrue(notPlan.getMessage().contains("is not a netstack plan file"), notPlan.getMessage());

        Path future = Files.writeString(dir.resolve("future.json"), "{\"kind\": \"netstack-plan\", \"version\": 99}");
        IOException version = assertThrows(IOException.class, () -> PlanFile.read(future));
        assertTrue(version.getMessage().contains("version 99 is not supported"), version.getMessage());

        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");
        assertFalse(PlanFile.isPlanFile(garbage));
    }

    @Test
    void planJsonListsActionableChangesWithDiffsAndSummary() {
        String s = """
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":  {"type": "part", "net": "${n}", "label": "one"},
                    "r":  {"type": "part", "net": "${n}"}
                """;
        e.converge(stack(s));
        Plan plan = e.plan(stack("""
                    "n":  {"type": "net", "cidr": "10.0.0.0/16"},
                    "p":  {"type": "part", "net": "${n}", "label": "two"},
                    "r":  {"type": "part", "net": "${n}", "size": 20},
                    "c":  {"type": "gate", "net": "${n}"}
                """));
        ObjectNode j = PlanJson.render(plan);
        assertEquals(STACK, j.path("stack").asText());
        assertEquals(FakeEngine.REGION, j.path("region").asText());
        assertFalse(j.path("destroy").asBoolean());
        List<String> ids = new ArrayList<>();
        j.path("changes").forEach(c -> ids.add(c.path("id").asText() + ":" + c.path("action").asText()));
        assertEquals(List.of("c:create", "p:update", "r:replace").stream().sorted().toList(), ids.stream().sorted().toList(), "NOOPs are left out");

        JsonNode p = find(j, "p");
        assertEquals("part", p.path("type").asText());
        assertEquals(e.fake.awsId(STACK, "p"), p.path("awsId").asText());
        assertEquals(1, p.path("diff").size());
        assertEquals("label", p.path("diff").get(0).path("path").asText());
        assertEquals("one", p.path("diff").get(0).path("before").asText());
        assertEquals("two", p.path("diff").get(0).path("after").asText());
        assertFalse(p.path("diff").get(0).has("forcesReplace"));

        JsonNode r = find(j, "r");
        assertEquals("size is create-only", r.path("reasons").get(0).asText());
        JsonNode size = r.path("diff").get(0);
        assertEquals(16, size.path("before").asInt());
        assertEquals(20, size.path("after").asInt());
        assertTrue(size.path("forcesReplace").asBoolean());

        JsonNode c = find(j, "c");
        assertFalse(c.has("awsId"), "nothing exists yet");
        assertTrue(c.path("diff").get(0).path("before").isNull());

        JsonNode sum = j.path("summary");
        assertEquals(1, sum.path("create").asInt());
        assertEquals(1, sum.path("update").asInt());
        assertEquals(1, sum.path("replace").asInt());
        assertEquals(0, sum.path("delete").asInt());
        assertFalse(sum.has("noop"));
    }

    @Test
    void writeOnlyValuesAreMaskedInPlanJsonAndPlanFiles() throws IOException {
        e.env = n -> "env-" + SECRET;
        StackFile s = load(RESOURCES, Map.of());
        Plan plan = e.plan(s);
        ObjectNode j = PlanJson.render(plan);
        JsonNode secretDiff = null;
        for (JsonNode d : find(j, "p").path("diff")) if (d.path("path").asText().equals("secret")) secretDiff = d;
        assertTrue(secretDiff != null, j.toPrettyString());
        assertEquals(PlanJson.SENSITIVE, secretDiff.path("after").asText());
        assertTrue(secretDiff.path("before").isNull(), "nothing before a create");
        JsonNode qSecret = null;
        for (JsonNode d : find(j, "q").path("diff")) if (d.path("path").asText().equals("secret")) qSecret = d;
        assertEquals(PlanJson.SENSITIVE, qSecret.path("after").asText(), "even the ${env.…} text is not shown");

        Path f = dir.resolve("plan.json");
        PlanFile.of(plan, "s.json", s, e.env).write(f);
        String onDisk = Files.readString(f);
        assertFalse(onDisk.contains(SECRET), onDisk);
        assertTrue(onDisk.contains(PlanJson.SENSITIVE));

        // replacing a resource with a secret: the plan of the replacement masks it too
        e.converge(s);
        Plan replace = e.plan(load(RESOURCES, Map.of("cidr", "10.1.0.0/16")));
        assertEquals(Action.REPLACE, FakeEngine.change(replace, "p").action());
        assertFalse(PlanJson.render(replace).toString().contains(SECRET));
    }

    @Test
    void destroyPlanJson() {
        e.env = n -> "x";
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        ObjectNode j = PlanJson.render(e.destroyPlan(s));
        assertTrue(j.path("destroy").asBoolean());
        assertEquals(3, j.path("summary").path("delete").asInt());
        j.path("changes").forEach(c -> {
            assertEquals("delete", c.path("action").asText());
            assertEquals("destroy", c.path("reasons").get(0).asText());
        });
    }

    private static JsonNode find(ObjectNode plan, String id) {
        for (JsonNode c : plan.path("changes")) if (c.path("id").asText().equals(id)) return c;
        throw new AssertionError("no change " + id + " in " + plan.toPrettyString());
    }
}
