package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.stack.Reference;
import io.netstack.stack.StackFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A saved plan ({@code plan -o plan.json}). It records where the plan came from (the stack file,
 * the variable values, the file's digest), a fingerprint of the live state it saw, the changes as
 * rendered (secrets masked) and, for each {@code ${env.NAME}} secret, a slow salted digest of its
 * value ({@link Secrets#identity}): never the value.
 *
 * <p>{@code apply plan.json} applies exactly what the file shows or nothing: it re-plans from the
 * named stack file and live state and refuses unless the result equals the saved one — stack,
 * region, the destroy flag, every change's id, type, action, AWS id, reasons and property diffs —
 * and every secret given now is the one planned. The digests are only a fast early refusal; they
 * are public functions of public inputs, so an edited file can recompute them. The comparison of
 * the full change list is the defence: whatever a file is edited into, it cannot make apply do
 * anything the file does not itself show. (It cannot prove who wrote the file: that is the job
 * of whoever stores it, see README, Security.)
 */
public record PlanFile(String stackFile, Map<String, String> variables, String stack, String region, String stackDigest,
                       String liveFingerprint, boolean destroy, String secretSalt, Map<String, String> secrets, ObjectNode plan) {
    public static final String KIND = "netstack-plan";
    /** 2: changes are compared on apply, secrets' identities and the stack are recorded. Version 1 files are refused. */
    public static final int VERSION = 2;

    /** {@code env} gives the values of the stack's {@code ${env.NAME}} secrets, as the plan was made with. */
    public static PlanFile of(Plan plan, String stackFile, StackFile stack, Function<String, String> env) {
        byte[] salt = Secrets.newSalt();
        Map<String, String> ids = new TreeMap<>();
        if (!plan.destroy()) {
            for (String name : envNames(stack)) {
                String v = env.apply(name);
                ids.put(name, v == null ? "" : Secrets.identity(name, v, salt));
            }
        }
        return new PlanFile(stackFile, stack.variableValues(), plan.stack(), plan.region(), plan.stackDigest(), plan.liveFingerprint(),
                plan.destroy(), Secrets.b64(salt), ids, PlanJson.render(plan));
    }

    /** Every {@code ${env.NAME}} the stack's resources use (only write-only properties may). */
    public static TreeSet<String> envNames(StackFile stack) {
        TreeSet<String> out = new TreeSet<>();
        stack.resources().values().forEach(b -> walk(b.properties(), out));
        return out;
    }

    private static void walk(JsonNode n, TreeSet<String> out) {
        if (n.isTextual()) {
            try {
                Optional<Reference> r = Reference.whole(n.asText());
                if (r.isPresent() && r.get().kind() == Reference.Kind.ENV) out.add(r.get().target());
            } catch (IllegalArgumentException ignored) {
                // not a reference (validate reports malformed ones)
            }
        } else {
            for (JsonNode c : n) walk(c, out);
        }
    }

    public void write(Path path) throws IOException {
        ObjectNode o = Json.object();
        o.put("kind", KIND);
        o.put("version", VERSION);
        o.put("stackFile", stackFile);
        ObjectNode vars = o.putObject("variables");
        variables.forEach(vars::put);
        o.put("stack", stack);
        o.put("region", region);
        o.put("stackDigest", stackDigest);
        o.put("liveFingerprint", liveFingerprint);
        o.put("destroy", destroy);
        ObjectNode s = o.putObject("secrets");
        s.put("kdf", "PBKDF2WithHmacSHA256/" + Secrets.ITERATIONS);
        s.put("salt", secretSalt);
        ObjectNode ids = s.putObject("values");
        secrets.forEach(ids::put);
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
        if (n == null || !KIND.equals(n.path("kind").asText())) throw new IOException(path + " is not a netstack plan file");
        if (n.path("version").asInt() != VERSION) {
            throw new IOException(path + ": plan file version " + n.path("version").asInt() + " is not supported (expected " + VERSION + "); run `netstack plan -o` again");
        }
        if (!n.path("plan").isObject() || !n.path("secrets").path("values").isObject()) throw new IOException(path + ": not a complete netstack plan file");
        Map<String, String> vars = new LinkedHashMap<>();
        n.path("variables").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        Map<String, String> secrets = new TreeMap<>();
        n.path("secrets").path("values").fields().forEachRemaining(e -> secrets.put(e.getKey(), e.getValue().asText()));
        return new PlanFile(n.path("stackFile").asText(), vars, n.path("stack").asText(), n.path("region").asText(), n.path("stackDigest").asText(),
                n.path("liveFingerprint").asText(), n.path("destroy").asBoolean(), n.path("secrets").path("salt").asText(), secrets, (ObjectNode) n.path("plan"));
    }

    /** Why {@code fresh} differs from what was saved, or null if it is the same plan (secrets not compared). */
    public String staleReason(Plan fresh) {
        if (!fresh.stack().equals(stack) || !fresh.region().equals(region) || !stack.equals(plan.path("stack").asText()) || !region.equals(plan.path("region").asText())) {
            return "it was made for stack " + plan.path("stack").asText() + " in " + plan.path("region").asText() + ", but its stack file is stack " + fresh.stack() + " in " + fresh.region();
        }
        if (fresh.destroy() != destroy || destroy != plan.path("destroy").asBoolean()) return "the plan was made for " + (plan.path("destroy").asBoolean() ? "destroy" : "apply");
        if (!fresh.stackDigest().equals(stackDigest)) return "the stack file or its variables changed since the plan was made";
        // The changes first: their difference names what an edited file would add or hide. The
        // fingerprint then catches a live change that leaves the changes alike. (A destroy plan
        // reads more of each object than a plan does — issue 12's read needs — so a plan edited
        // into a destroy differs in both, and the changes say how.)
        ObjectNode now = PlanJson.render(fresh);
        if (!Json.canonical(now).equals(Json.canonical(plan))) return "the changes it shows are not the changes apply would make now: " + firstDifference(plan, now);
        if (!fresh.liveFingerprint().equals(liveFingerprint)) return "the live state changed since the plan was made";
        return null;
    }

    /** {@link #staleReason(Plan)}, and also: is each secret given now (through {@code env}) the one planned? */
    public String staleReason(Plan fresh, StackFile stack, Function<String, String> env) {
        String r = staleReason(fresh);
        if (r != null || destroy) return r;
        TreeSet<String> names = envNames(stack);
        if (!names.equals(new TreeSet<>(secrets.keySet()))) return "it records the secrets " + secrets.keySet() + ", the stack uses " + names;
        byte[] salt;
        try {
            salt = Base64.getUrlDecoder().decode(secretSalt);
        } catch (IllegalArgumentException e) {
            return "its secrets' salt is not readable";
        }
        for (String name : names) {
            String v = env.apply(name);
            String now = v == null ? "" : Secrets.identity(name, v, salt);
            if (!java.security.MessageDigest.isEqual(now.getBytes(java.nio.charset.StandardCharsets.US_ASCII), secrets.get(name).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                return "the secret in environment variable " + name + " is not the one the plan was made with";
            }
        }
        return null;
    }

    /** The first change (by id and action) that is in one rendering and not the other, for the message. */
    static String firstDifference(ObjectNode saved, ObjectNode now) {
        Map<String, JsonNode> a = byKey(saved), b = byKey(now);
        for (Map.Entry<String, JsonNode> e : a.entrySet()) {
            JsonNode other = b.get(e.getKey());
            if (other == null) return "the file shows " + e.getKey() + ", which apply would not do";
            if (!Json.canonical(other).equals(Json.canonical(e.getValue()))) return e.getKey() + " differs in its reasons or property changes";
        }
        for (String k : b.keySet()) if (!a.containsKey(k)) return "apply would also " + k + ", which the file does not show";
        return "the summary differs";
    }

    private static Map<String, JsonNode> byKey(ObjectNode plan) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode c : plan.path("changes")) {
            String key = c.path("action").asText() + " " + c.path("id").asText() + (c.has("awsId") ? " (" + c.path("awsId").asText() + ")" : "");
            out.put(key, c);
        }
        return out;
    }
}
