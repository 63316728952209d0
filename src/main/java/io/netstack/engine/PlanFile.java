package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A saved plan ({@code plan -o plan.json}). It records where the plan came from — the stack
 * file, the variable values, the file's digest — and a fingerprint of the live state it saw.
 * {@code apply plan.json} re-reads live state and refuses if either changed: a plan is only
 * applied to the world it was made against. Changes are stored as rendered (secrets masked) for
 * review; apply recomputes them from the same inputs.
 */
public record PlanFile(String stackFile, Map<String, String> variables, String stackDigest, String liveFingerprint, boolean destroy, ObjectNode plan) {
    public static final String KIND = "netstack-plan";
    public static final int VERSION = 1;

    public static PlanFile of(Plan plan, String stackFile, Map<String, String> variables) {
        return new PlanFile(stackFile, variables, plan.stackDigest(), plan.liveFingerprint(), plan.destroy(), PlanJson.render(plan));
    }

    public void write(Path path) throws IOException {
        ObjectNode o = Json.object();
        o.put("kind", KIND);
        o.put("version", VERSION);
        o.put("stackFile", stackFile);
        ObjectNode vars = o.putObject("variables");
        variables.forEach(vars::put);
        o.put("stackDigest", stackDigest);
        o.put("liveFingerprint", liveFingerprint);
        o.put("destroy", destroy);
        o.set("plan", plan);
        Files.writeString(path, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    public static boolean isPlanFile(Path path) {
        try {
            JsonNode n = Json.MAPPER.readTree(path.toFile());
            return n != null && KIND.equals(n.path("kind").asText());
        } catch (IOException e) {
            return false;
        }
    }

    public static PlanFile read(Path path) throws IOException {
        JsonNode n = Json.MAPPER.readTree(path.toFile());
        if (!KIND.equals(n.path("kind").asText())) throw new IOException(path + " is not a netstack plan file");
        if (n.path("version").asInt() != VERSION) throw new IOException(path + ": plan file version " + n.path("version").asInt() + " is not supported (expected " + VERSION + ")");
        Map<String, String> vars = new LinkedHashMap<>();
        n.path("variables").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        return new PlanFile(n.path("stackFile").asText(), vars, n.path("stackDigest").asText(), n.path("liveFingerprint").asText(),
                n.path("destroy").asBoolean(), (ObjectNode) n.path("plan"));
    }

    /** Why {@code fresh} differs from what was saved, or null if it is the same plan. */
    public String staleReason(Plan fresh) {
        if (!fresh.stackDigest().equals(stackDigest)) return "the stack file or its variables changed since the plan was made";
        if (!fresh.liveFingerprint().equals(liveFingerprint)) return "the live state changed since the plan was made";
        if (fresh.destroy() != destroy) return "the plan was made for " + (destroy ? "destroy" : "apply");
        return null;
    }
}
