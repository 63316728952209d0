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
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved plans (round trip, staleness) and the machine-readable plan (secrets masked). */
class PlanFileTest {
    /** A live change that changes the plan is refused naming the change; one that does not, by the live state's fingerprint. */
    static final String CHANGED = "the changes it shows are not the changes apply would make now: ";

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
        assertEquals(CHANGED + "apply would also update n (" + e.fake.awsId(STACK, "n") + "), which the file does not show", saved.staleReason(e.plan(s)));
        e.fake.modify(e.fake.awsId(STACK, "n"), "flag", BooleanNode.FALSE);
        assertNull(saved.staleReason(e.plan(s)), "back to what the plan saw");

        e.fake.tag(e.fake.awsId(STACK, "p"), "added-by-hand", "x");
        assertEquals(CHANGED + "apply would also update p (" + e.fake.awsId(STACK, "p") + "), which the file does not show", saved.staleReason(e.plan(s)));
        e.fake.tag(e.fake.awsId(STACK, "p"), "added-by-hand", null);

        e.fake.remove(e.fake.awsId(STACK, "q"));
        assertEquals(CHANGED + "apply would also create q, which the file does not show", saved.staleReason(e.plan(s)));

        // a live change that leaves the changes alike is still refused, by the live state's fingerprint
        Plan fresh = e.plan(s);
        Plan sameChangesOtherLive = new Plan(fresh.stack(), fresh.region(), fresh.stackDigest(), "another-live-state", fresh.destroy(), fresh.changes(), fresh.live());
        PlanFile savedNow = PlanFile.of(fresh, "s.json", s, e.env);
        assertNull(savedNow.staleReason(fresh));
        assertEquals("the live state changed since the plan was made", savedNow.staleReason(sameChangesOtherLive));
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

    // ---- issue 13 item 1: a saved plan applies exactly what it shows, or nothing ----

    /** The plan file's JSON, edited by {@code edit}, written back and read again. */
    private PlanFile edited(PlanFile saved, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path f = dir.resolve("edited.json");
        saved.write(f);
        ObjectNode j = (ObjectNode) Json.MAPPER.readTree(f.toFile());
        edit.accept(j);
        Files.writeString(f, j.toPrettyString());
        return PlanFile.read(f);
    }

    @Test
    void aNoChangesPlanEditedIntoADestroyIsRefused() throws IOException {
        e.env = n -> "from-env";
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        PlanFile saved = PlanFile.of(e.plan(s), "s.json", s, e.env);
        assertTrue(saved.plan().path("changes").isEmpty(), "No changes");

        // the top-level flag alone (what apply reads to decide what to plan)
        PlanFile flipped = edited(saved, j -> j.put("destroy", true));
        Plan wouldRun = e.destroyPlan(s);
        assertEquals(3, wouldRun.count(Action.DELETE));
        String r = flipped.staleReason(wouldRun, s, e.env);
        assertEquals("the plan was made for apply", r);

        // every destroy flag in the file: the changes it shows (none) are not the 3 deletes
        PlanFile both = edited(saved, j -> {
            j.put("destroy", true);
            ((ObjectNode) j.get("plan")).put("destroy", true);
        });
        String r2 = both.staleReason(wouldRun, s, e.env);
        assertTrue(r2 != null && r2.startsWith("the changes it shows are not the changes apply would make now: apply would also delete "), r2);
    }

    @Test
    void aPlanPointedAtAnotherStackFileIsRefusedEvenWithItsDigestRecomputed() throws IOException {
        e.env = n -> "from-env";
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        PlanFile saved = PlanFile.of(e.plan(s), "s.json", s, e.env);
        // Another file of the same stack name that would add a resource; the attacker recomputes
        // the bare SHA-256 digest the file records, so only the change comparison can tell.
        StackFile other = load(RESOURCES + ",\n    \"extra\": {\"type\": \"gate\", \"net\": \"${n}\"}", Map.of());
        PlanFile forged = edited(saved, j -> {
            j.put("stackFile", "other.json");
            j.put("stackDigest", other.digest());
        });
        Plan fresh = e.plan(other);
        assertEquals(fresh.stackDigest(), forged.stackDigest(), "the digest check passes");
        assertEquals(fresh.liveFingerprint(), forged.liveFingerprint(), "and so does the live state's");
        assertEquals("the changes it shows are not the changes apply would make now: apply would also create extra, which the file does not show",
                forged.staleReason(fresh, other, e.env));

        // another stack altogether
        StackFile elsewhere = StackLoader.parse(FakeEngine.FILE, text(RESOURCES, VARIABLES).replace("\"" + STACK + "\"", "\"elsewhere\""), Map.of());
        String r = saved.staleReason(e.plan(elsewhere), elsewhere, e.env);
        assertTrue(r != null && r.contains("it was made for stack demo"), r);
    }

    @Test
    void anEmptyLiveStateFingerprintsDifferentlyForEveryStack() {
        e.env = n -> "x";
        StackFile a = load(RESOURCES, Map.of());
        StackFile b = StackLoader.parse(FakeEngine.FILE, text(RESOURCES, VARIABLES).replace("\"" + STACK + "\"", "\"other\""), Map.of());
        assertTrue(e.plan(a).live().isEmpty() && e.plan(b).live().isEmpty());
        assertFalse(e.plan(a).liveFingerprint().equals(e.plan(b).liveFingerprint()));
    }

    @Test
    void editedChangesAreRefused() throws IOException {
        e.env = n -> "from-env";
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        StackFile relabel = load(RESOURCES.replace("\"one\"", "\"two\""), Map.of());
        PlanFile saved = PlanFile.of(e.plan(relabel), "s.json", relabel, e.env);
        assertNull(saved.staleReason(e.plan(relabel), relabel, e.env));
        PlanFile hidden = edited(saved, j -> ((ObjectNode) j.path("plan").path("changes").get(0).path("diff").get(0)).put("after", "one"));
        assertEquals("the changes it shows are not the changes apply would make now: update p (" + e.fake.awsId(STACK, "p") + ") differs in its reasons or property changes",
                hidden.staleReason(e.plan(relabel), relabel, e.env));
    }

    // ---- issue 13 item 2: a changed secret is staleness ----

    @Test
    void aDifferentSecretThanPlannedIsRefusedAndTheFileHoldsNoSecret() throws IOException {
        String a = "first-" + SECRET, b = "second-" + SECRET;
        StackFile s = load(RESOURCES, Map.of());
        Plan create = e.plan(s);
        PlanFile saved = PlanFile.of(create, "s.json", s, n -> a);
        Path f = dir.resolve("p.json");
        saved.write(f);
        String onDisk = Files.readString(f);
        assertFalse(onDisk.contains(a), onDisk);
        PlanFile read = PlanFile.read(f);
        assertEquals(java.util.Set.of("Q_SECRET"), read.secrets().keySet());
        assertNull(read.staleReason(e.plan(s), s, n -> a), "the secret it was made with");
        assertEquals("the secret in environment variable Q_SECRET is not the one the plan was made with", read.staleReason(e.plan(s), s, n -> b));
        assertEquals("the secret in environment variable Q_SECRET is not the one the plan was made with", read.staleReason(e.plan(s), s, n -> null));
    }

    @Test
    void aSecretChangedSinceANoChangesPlanIsRefusedWhereAwsReturnsIt() {
        // VPN_PSK=A plan -o p.json ("No changes"), then VPN_PSK=B apply p.json: the re-plan sees
        // the new key differ from the one AWS returns, so the plan is not the saved one.
        e.env = n -> "key-A-" + SECRET;
        StackFile s = load(RESOURCES, Map.of());
        e.converge(s);
        Function<String, String> b = n -> "key-B-" + SECRET;
        LiveState live = observed(LiveState.read(e.fake, e.ctx), "q", e.fake.the(STACK, "q").secrets().get("secret"));
        Plan atPlanTime = new Planner(e.fake, e.env).plan(s, live, false);
        assertFalse(atPlanTime.hasChanges(), "the key AWS has is the file's");
        PlanFile saved = PlanFile.of(atPlanTime, "s.json", s, e.env);
        Plan atApply = new Planner(e.fake, b).plan(s, live, false);
        assertEquals(Action.UPDATE, FakeEngine.change(atApply, "q").action());
        String r = saved.staleReason(atApply, s, b);
        assertTrue(r != null && r.contains("update q"), r);
    }

    static LiveState observed(LiveState live, String id, String value) {
        List<io.netstack.spi.LiveResource> all = new ArrayList<>();
        for (io.netstack.spi.LiveResource r : live.byId().values()) {
            Map<String, String> attrs = new java.util.HashMap<>(r.attributes());
            if (r.id().equals(id)) attrs.put(io.netstack.spi.ObservedSecrets.ATTRIBUTE, io.netstack.spi.ObservedSecrets.encode(Map.of("/secret", value)));
            all.add(new io.netstack.spi.LiveResource(r.id(), r.type(), r.awsId(), r.properties(), attrs));
        }
        return new LiveState(all);
    }

    private static JsonNode find(ObjectNode plan, String id) {
        for (JsonNode c : plan.path("changes")) if (c.path("id").asText().equals(id)) return c;
        throw new AssertionError("no change " + id + " in " + plan.toPrettyString());
    }
}
