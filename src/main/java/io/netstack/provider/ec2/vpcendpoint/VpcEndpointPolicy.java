package io.netstack.provider.ec2.vpcendpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** The endpoint policy of {@code vpc-endpoint}: its canonical form (see {@link #canonicalPolicy}) and its text for AWS. */
final class VpcEndpointPolicy {
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private VpcEndpointPolicy() {
    }

    /**
     * Policy documents compared by meaning, not spelling (after terraform-provider-aws's policy
     * equivalence): a JSON string is parsed; a single statement becomes a list; Action, NotAction,
     * Resource, NotResource, principal values and condition values become sorted lists of unique
     * strings; statements are sorted; an empty Sid is dropped.
     */
    static JsonNode canonicalPolicy(JsonNode policy) {
        JsonNode doc = policy;
        if (policy.isTextual()) {
            try {
                doc = SORTED.readTree(policy.asText());
            } catch (JsonProcessingException e) {
                return policy; // not JSON: compared as text, and AWS reports what is wrong with it
            }
        }
        if (!doc.isObject()) return doc;
        ObjectNode out = doc.deepCopy();
        JsonNode st = out.get("Statement");
        if (st == null) return out;
        List<JsonNode> statements = new ArrayList<>();
        if (st.isArray()) st.forEach(statements::add);
        else statements.add(st);
        List<JsonNode> canon = new ArrayList<>();
        for (JsonNode s : statements) {
            if (!s.isObject()) {
                canon.add(s);
                continue;
            }
            ObjectNode c = s.deepCopy();
            if (c.path("Sid").isTextual() && c.path("Sid").asText().isEmpty()) c.remove("Sid");
            for (String k : List.of("Action", "NotAction", "Resource", "NotResource")) {
                if (c.has(k)) c.set(k, stringSet(c.get(k)));
            }
            for (String k : List.of("Principal", "NotPrincipal")) {
                JsonNode pr = c.get(k);
                if (pr != null && pr.isObject()) {
                    ObjectNode po = (ObjectNode) pr;
                    List<String> keys = new ArrayList<>();
                    po.fieldNames().forEachRemaining(keys::add);
                    for (String pk : keys) po.set(pk, stringSet(po.get(pk)));
                }
            }
            JsonNode cond = c.get("Condition");
            if (cond != null && cond.isObject()) {
                for (Iterator<JsonNode> ops = cond.elements(); ops.hasNext(); ) {
                    JsonNode op = ops.next();
                    if (!op.isObject()) continue;
                    ObjectNode oo = (ObjectNode) op;
                    List<String> keys = new ArrayList<>();
                    oo.fieldNames().forEachRemaining(keys::add);
                    for (String ck : keys) oo.set(ck, stringSet(oo.get(ck)));
                }
            }
            canon.add(c);
        }
        canon.sort(Comparator.comparing(VpcEndpointPolicy::text));
        ArrayNode a = out.putArray("Statement");
        canon.forEach(a::add);
        return out;
    }

    private static JsonNode stringSet(JsonNode v) {
        if (v == null || !(v.isTextual() || v.isArray())) return v;
        TreeSet<String> set = new TreeSet<>();
        if (v.isTextual()) set.add(v.asText());
        else for (JsonNode e : v) {
            if (!e.isValueNode()) return v;
            set.add(e.asText());
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        set.forEach(a::add);
        return a;
    }

    private static String text(JsonNode n) {
        try {
            return SORTED.writeValueAsString(SORTED.treeToValue(n, Object.class));
        } catch (JsonProcessingException e) {
            return n.toString();
        }
    }

    static String policyText(JsonNode policy) {
        return policy.isTextual() ? policy.asText() : text(policy);
    }
}
