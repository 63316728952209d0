package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Change detection for write-only values (pre-shared keys, BGP auth keys) without storing them.
 *
 * <p>Where AWS returns the value on read (VPN tunnel options, DX virtual interface auth key), the
 * type reports it through {@link io.netstack.spi.ObservedSecrets} and the planner compares with
 * that. Where it does not, the only record is the {@code netstack:secrets} tag written at creation:
 * {@code v2:<iterations>:<salt>:<hash>} (base64url), PBKDF2-HMAC-SHA256 over the values with a
 * random 128-bit salt per object. The tag is public to anyone who can describe the object, so it
 * must not be cheap to test guesses against: each guess costs {@link #ITERATIONS} HMACs (OWASP's
 * 2023 figure for PBKDF2-HMAC-SHA256), and the random salt makes every object a separate attack.
 * It still cannot protect a guessable secret: use long random keys.
 *
 * <p>Tags written before this ({@code v1}: 32 hex digits of a SHA-256 salted only with the public
 * stack name and id) are still compared the old way, so upgrading does not replace every VPN
 * connection; they stay guessable until the object is re-created (see README, Security).
 *
 * <p>Measured: one digest takes ~0.2 s with the C2 compiler and ~3 s under the launcher's C1-only
 * JVM ({@code java -XX:TieredStopAtLevel=1}, a loaded 2-core machine). It runs once per create of
 * an object holding secrets, once per plan of an object whose secret AWS does not return, and once
 * per distinct {@code ${env.NAME}} when a plan is saved or applied from a file.
 */
public final class Secrets {
    /** OWASP Password Storage Cheat Sheet (2023): PBKDF2-HMAC-SHA256, 600,000 iterations. */
    public static final int ITERATIONS = 600_000;
    /** A forged tag must not make a plan hang: above this, the tag is treated as not matching. */
    static final int MAX_ITERATIONS = 10_000_000;
    static final int SALT_BYTES = 16;
    static final int HASH_BITS = 256;
    static final String V2 = "v2";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** The tag value for the write-only values in {@code resolved} (secrets in clear), or null if there are none. */
    public static String digest(String stack, String id, ResourceType type, ObjectNode resolved) {
        Map<String, String> values = values(type, resolved);
        if (values.isEmpty()) return null;
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return V2 + ":" + ITERATIONS + ":" + b64(salt) + ":" + b64(kdf(material(stack, id, values), salt, ITERATIONS));
    }

    /**
     * Whether {@code tag} (from the object) records exactly the write-only values in
     * {@code resolved}. An unreadable or unknown format never matches: a change is planned rather
     * than a changed secret missed.
     */
    public static boolean matches(String tag, String stack, String id, ResourceType type, ObjectNode resolved) {
        Map<String, String> values = values(type, resolved);
        if (tag.startsWith(V2 + ":")) {
            String[] p = tag.split(":");
            if (p.length != 4) return false;
            try {
                int iterations = Integer.parseInt(p[1]);
                if (iterations < 1 || iterations > MAX_ITERATIONS) return false;
                byte[] want = Base64.getUrlDecoder().decode(p[3]);
                return MessageDigest.isEqual(want, kdf(material(stack, id, values), Base64.getUrlDecoder().decode(p[2]), iterations));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return tag.matches("[0-9a-f]{32}") && tag.equals(v1(stack, id, values));
    }

    /** Whether {@code tag} is the old, guessable format. */
    public static boolean legacy(String tag) {
        return tag != null && tag.matches("[0-9a-f]{32}");
    }

    /** The digest of netstack ≤ this release: kept only to compare existing tags. */
    static String v1(String stack, String id, Map<String, String> values) {
        Map<String, String> canonical = new TreeMap<>(); // v1 hashed each value's JSON text
        values.forEach((k, v) -> canonical.put(k, Json.canonical(com.fasterxml.jackson.databind.node.TextNode.valueOf(v))));
        return Json.sha256("netstack-secrets/" + stack + "/" + id + "/" + canonical).substring(0, 32);
    }

    /**
     * A keyed, slow digest of one value for a saved plan file: proves at apply time that the value
     * given now is the one planned, without the file revealing it (same KDF and cost as the tag).
     */
    public static String identity(String name, String value, byte[] salt) {
        return b64(kdf("netstack-plan-secret/" + name + "\0" + value, salt, ITERATIONS));
    }

    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /** JSON Pointer (in the type's canonical shape) → value, for every write-only value in {@code node}. */
    public static Map<String, String> values(ResourceType type, JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        collect(type.schema().properties().values(), node, "", out);
        return out;
    }

    private static String material(String stack, String id, Map<String, String> values) {
        StringBuilder sb = new StringBuilder("netstack-secrets/v2\0").append(stack).append('\0').append(id);
        values.forEach((k, v) -> sb.append('\0').append(k).append('\0').append(v));
        return sb.toString();
    }

    private static byte[] kdf(String material, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(material.toCharArray(), salt, iterations, HASH_BITS);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static void collect(Collection<Property> props, JsonNode node, String path, Map<String, String> out) {
        if (node == null || !node.isObject()) return;
        for (Property p : props) {
            JsonNode v = node.get(p.name());
            if (v == null || v.isNull()) continue;
            String here = path + "/" + p.name();
            // Secrets are strings; a non-text write-only value (CloudFront's waitForDeployment flag) is a setting, not a secret.
            if (p.writeOnly()) {
                if (v.isTextual()) out.put(here, v.asText());
            }
            else if (p.kind() == Property.Kind.OBJECT && p.fields() != null) collect(p.fields(), v, here, out);
            else if (p.kind() == Property.Kind.LIST && p.item() != null && p.item().kind() == Property.Kind.OBJECT) {
                for (int i = 0; i < v.size(); i++) collect(p.item().fields(), v.get(i), here + "/" + i, out);
            }
        }
    }

    /** Top-level properties holding write-only values (themselves or inside), for diff paths. */
    public static List<Property> holders(ResourceType type) {
        return type.schema().properties().values().stream().filter(Secrets::holds).toList();
    }

    static boolean holds(Property p) {
        if (p.writeOnly()) return true;
        if (p.kind() == Property.Kind.OBJECT && p.fields() != null) return p.fields().stream().anyMatch(Secrets::holds);
        if (p.kind() == Property.Kind.LIST && p.item() != null) return holds(p.item());
        return false;
    }
}
