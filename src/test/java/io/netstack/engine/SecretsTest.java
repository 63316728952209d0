package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.ObservedSecrets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13 item 3: the secrets digest cannot be brute-forced offline; item 4: no error repeats a secret. */
class SecretsTest {
    static final FakeResourceType TYPE = FakeResourceType.INSTANCE;

    static ObjectNode props(String secret, String psk) {
        ObjectNode o = Json.object().put("cidr", "10.0.0.0/16").put("secret", secret);
        o.putArray("tunnels").addObject().put("insideCidr", "169.254.10.0/30").put("preSharedKey", psk);
        return o;
    }

    @Test
    void tagIsASlowSaltedKdfWithARandomSaltPerObject() {
        long t0 = System.nanoTime();
        String tag = Secrets.digest("demo", "vpn", TYPE, props("s3cret-one", "psk.abcdefgh"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("one v2 secrets digest: " + ms + " ms (" + Secrets.ITERATIONS + " PBKDF2-HMAC-SHA256 iterations)");
        String[] p = tag.split(":");
        assertEquals(4, p.length, tag);
        assertEquals("v2", p[0]);
        assertTrue(Integer.parseInt(p[1]) >= 600_000, "each guess costs at least OWASP's 600,000 iterations: " + tag);
        assertEquals(16, java.util.Base64.getUrlDecoder().decode(p[2]).length, "128-bit salt");
        assertTrue(tag.length() <= 256, "fits a tag value");
        assertFalse(tag.contains("s3cret") || tag.contains("psk.abc"));

        String again = Secrets.digest("demo", "vpn", TYPE, props("s3cret-one", "psk.abcdefgh"));
        assertNotEquals(tag, again, "a fresh random salt per object: two objects with one key look unrelated");
        assertTrue(Secrets.matches(tag, "demo", "vpn", TYPE, props("s3cret-one", "psk.abcdefgh")));
        assertTrue(Secrets.matches(again, "demo", "vpn", TYPE, props("s3cret-one", "psk.abcdefgh")));
        assertFalse(Secrets.matches(tag, "demo", "vpn", TYPE, props("s3cret-one", "psk.abcdefgX")), "a nested key changed");
        assertFalse(Secrets.matches(tag, "demo", "vpn", TYPE, props("s3cret-two", "psk.abcdefgh")));
        assertFalse(Secrets.matches(tag, "demo", "other", TYPE, props("s3cret-one", "psk.abcdefgh")), "bound to the object");
    }

    @Test
    void oldV1TagsStillCompareButUnknownOrForgedOnesNeverMatch() {
        ObjectNode p = props("s3cret-one", "psk.abcdefgh");
        String v1 = Secrets.v1("demo", "vpn", Secrets.values(TYPE, p));
        assertTrue(v1.matches("[0-9a-f]{32}"));
        assertTrue(Secrets.legacy(v1));
        assertTrue(Secrets.matches(v1, "demo", "vpn", TYPE, p), "an upgrade does not replace what an older release made");
        assertFalse(Secrets.matches(v1, "demo", "vpn", TYPE, props("s3cret-two", "psk.abcdefgh")));
        assertFalse(Secrets.matches("", "demo", "vpn", TYPE, p), "made without secrets");
        assertFalse(Secrets.matches("none", "demo", "vpn", TYPE, p));
        long t0 = System.nanoTime();
        assertFalse(Secrets.matches("v2:2000000000:AAAAAAAAAAAAAAAAAAAAAA:AAAA", "demo", "vpn", TYPE, p), "a forged cost is not paid");
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
        assertFalse(Secrets.matches("v2:1:not base64!:x", "demo", "vpn", TYPE, p));
    }

    @Test
    void observedSecretsCompareWithoutCarryingTheValue() {
        String enc = ObservedSecrets.encode(Map.of("/tunnels/0/preSharedKey", "psk.abcdefgh", "/tunnels/1/preSharedKey", "psk.zyxwvuts"));
        assertFalse(enc.contains("psk."), enc);
        assertTrue(ObservedSecrets.matches(enc, "/tunnels/0/preSharedKey", "psk.abcdefgh"));
        assertFalse(ObservedSecrets.matches(enc, "/tunnels/0/preSharedKey", "psk.zyxwvuts"), "keys stay with their tunnel");
        assertFalse(ObservedSecrets.matches(enc, "/authKey", "psk.abcdefgh"));
        assertTrue(ObservedSecrets.has(enc, "/tunnels/1/preSharedKey"));
        assertFalse(ObservedSecrets.has(enc, "/tunnels/2/preSharedKey"));
    }

    @Test
    void everyTextOfAFailureIsScrubbedOfTheSecretsItsCallCarried() {
        String key = "Bgp-Key-0f3c9a7e51d2";
        // what Direct Connect does: the error message quotes the request, key included
        RuntimeException sdk = new IllegalStateException("Service returned error: authKey=" + key + " is invalid");
        AwsFailure f = new AwsFailure(ErrorCategory.INVALID_REQUEST, "vif", "CreatePrivateVirtualInterface", "DirectConnectClientException", "req-1",
                "Invalid authKey " + key, sdk);
        RuntimeException out = Executor.scrub(f, List.of(key));
        AwsFailure s = (AwsFailure) out;
        assertEquals("vif: CreatePrivateVirtualInterface failed: DirectConnectClientException: Invalid authKey (sensitive) (request req-1)", s.describe());
        assertEquals(null, s.getCause(), "the SDK exception would repeat it");
        java.io.StringWriter trace = new java.io.StringWriter();
        s.printStackTrace(new java.io.PrintWriter(trace));
        assertFalse(trace.toString().contains(key), "not even under -v");

        // only in the cause: still rebuilt
        AwsFailure causeOnly = new AwsFailure(ErrorCategory.OTHER, "vif", "X", null, null, "failed", sdk);
        assertEquals(null, Executor.scrub(causeOnly, List.of(key)).getCause());
        // no secret in it: left as it is
        assertTrue(Executor.scrub(causeOnly, List.of("other-secret")) == causeOnly);
        // not an AwsFailure
        RuntimeException plain = Executor.scrub(new IllegalArgumentException("bad " + key), List.of(key));
        assertFalse(plain.getMessage().contains(key), plain.getMessage());
    }

    static LiveState withAttribute(LiveState live, String id, String key, String value) {
        List<io.netstack.spi.LiveResource> all = new java.util.ArrayList<>();
        for (io.netstack.spi.LiveResource r : live.byId().values()) {
            Map<String, String> attrs = new java.util.HashMap<>(r.attributes());
            if (r.id().equals(id)) attrs.put(key, value);
            all.add(new io.netstack.spi.LiveResource(r.id(), r.type(), r.awsId(), r.properties(), attrs));
        }
        return new LiveState(all);
    }

    @Test
    void whereAwsReturnsNoValueThePlannerComparesWithTheTag() {
        FakeEngine e = new FakeEngine();
        e.env = n -> "key-A-0123456789";
        io.netstack.stack.StackFile s = PlanFileTest.load(PlanFileTest.RESOURCES, Map.of());
        e.converge(s);
        LiveState live = LiveState.read(e.fake, e.ctx);
        io.netstack.spi.ResourceType part = e.fake.find("part").orElseThrow();
        String v2 = Secrets.digest(FakeEngine.STACK, "q", part, Json.object().put("secret", "key-A-0123456789"));
        String v1 = Secrets.v1(FakeEngine.STACK, "q", Map.of("/secret", "key-A-0123456789"));
        for (String tag : List.of(v2, v1)) {
            LiveState tagged = withAttribute(live, "q", io.netstack.spi.ResourceSpec.SECRETS_TAG, tag);
            assertFalse(new Planner(e.fake, e.env).plan(s, tagged, false).hasChanges(), "the same key: " + tag);
            Plan other = new Planner(e.fake, n -> "key-B-0123456789").plan(s, tagged, false);
            Change q = FakeEngine.change(other, "q");
            assertEquals(Action.UPDATE, q.action(), tag);
            assertEquals("secret", q.diffs().get(0).path());
            assertTrue(q.diffs().get(0).sensitive());
            assertFalse(PlanJson.render(other).toString().contains("key-"), "values never shown");
        }
        // AWS's own value wins over the tag: a key changed in the console is a change
        LiveState both = withAttribute(withAttribute(live, "q", io.netstack.spi.ResourceSpec.SECRETS_TAG, v2), "q",
                ObservedSecrets.ATTRIBUTE, ObservedSecrets.encode(Map.of("/secret", "changed-in-console")));
        assertEquals(Action.UPDATE, FakeEngine.change(new Planner(e.fake, e.env).plan(s, both, false), "q").action());
    }
}
