package io.netstack.engine;

import static io.netstack.engine.FakeResourceType.json;
import static io.netstack.engine.FakeResourceType.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    private static final FakeResourceType TYPE = FakeResourceType.INSTANCE;

    private static ObjectNode normalize(String props) {
        return Normalizer.normalize(TYPE, json(props));
    }

    @Test
    void topLevelDefaultsAreFilled() {
        ObjectNode n = normalize("{'cidr': '10.0.0.0/16'}");
        assertEquals(node("true"), n.get("dnsSupport"));
        assertEquals(node("'default'"), n.get("tenancy"));
    }

    @Test
    void explicitNullIsReplacedByTheDefault() {
        assertEquals(node("true"), normalize("{'dnsSupport': null}").get("dnsSupport"));
    }

    @Test
    void givenValuesWinOverDefaults() {
        ObjectNode n = normalize("{'dnsSupport': false, 'tenancy': 'dedicated'}");
        assertEquals(node("false"), n.get("dnsSupport"));
        assertEquals(node("'dedicated'"), n.get("tenancy"));
    }

    @Test
    void absentPropertiesWithoutDefaultStayAbsent() {
        ObjectNode n = normalize("{}");
        for (String p : new String[] {"cidr", "name", "vpc", "secret", "subnets", "routes", "rules", "options", "policy", "tags"}) {
            assertFalse(n.has(p), p + " should stay unset, got " + n);
        }
        assertEquals(json("{'dnsSupport': true, 'tenancy': 'default'}"), n);
    }

    @Test
    void cidrIsCanonicalised() {
        assertEquals(node("'2600:1f18::/56'"), normalize("{'cidr': '2600:1F18:0:0:0:0:0:0/56'}").get("cidr"));
        assertEquals(node("'10.0.0.0/16'"), normalize("{'cidr': '10.0.0.0/16'}").get("cidr"));
    }

    @Test
    void invalidCidrIsLeftForTheValidatorToReport() {
        assertEquals(node("'10.0.0.1/16'"), normalize("{'cidr': '10.0.0.1/16'}").get("cidr"));
        assertEquals(node("'${var.x}'"), normalize("{'cidr': '${var.x}'}").get("cidr"));
        assertEquals(node("42"), normalize("{'cidr': 42}").get("cidr"));
    }

    @Test
    void cidrsInsideListsAndObjectsAreCanonicalised() {
        ObjectNode n = normalize("{'secondaryCidrs': ['2001:DB8:0:1::/64', '10.1.0.0/16'],"
                + " 'routes': [{'destination': '2001:DB8:0:0:0:0:0:0/32', 'target': 'igw-1', 'weight': 1}]}");
        assertEquals(node("['10.1.0.0/16', '2001:db8:0:1::/64']"), n.get("secondaryCidrs"));
        assertEquals(node("'2001:db8::/32'"), n.at("/routes/0/destination"));
    }

    @Test
    void unorderedListsAreSorted() {
        assertEquals(node("['subnet-a', 'subnet-b', 'subnet-c']"), normalize("{'subnets': ['subnet-c', 'subnet-a', 'subnet-b']}").get("subnets"));
    }

    @Test
    void unorderedListsOfObjectsAreSortedByCanonicalText() {
        ObjectNode a = normalize("{'routes': [{'target': 'nat-1', 'destination': '10.0.0.0/8'}, {'destination': '0.0.0.0/0', 'target': 'igw-1'}]}");
        ObjectNode b = normalize("{'routes': [{'destination': '0.0.0.0/0', 'target': 'igw-1'}, {'destination': '10.0.0.0/8', 'target': 'nat-1'}]}");
        assertEquals(a, b);
        assertEquals("0.0.0.0/0", a.at("/routes/0/destination").asText());
    }

    @Test
    void defaultsInsideListElementsAreFilled() {
        ObjectNode n = normalize("{'routes': [{'destination': '0.0.0.0/0', 'target': 'igw-1'}, {'destination': '10.0.0.0/8', 'target': 'x', 'weight': 5}]}");
        assertEquals(json("{'destination': '0.0.0.0/0', 'target': 'igw-1', 'weight': 1}"), n.at("/routes/0"));
        assertEquals(json("{'destination': '10.0.0.0/8', 'target': 'x', 'weight': 5}"), n.at("/routes/1"));
    }

    @Test
    void orderedListsKeepTheirOrder() {
        assertEquals(node("[{'rule': 200, 'action': 'deny'}, {'rule': 100, 'action': 'allow'}]"),
                normalize("{'rules': [{'rule': 200, 'action': 'deny'}, {'rule': 100, 'action': 'allow'}]}").get("rules"));
    }

    @Test
    void objectFieldDefaultsAreFilled() {
        assertEquals(json("{'mode': 'x', 'level': 1}"), normalize("{'options': {'mode': 'x'}}").get("options"));
        assertEquals(json("{'mode': 'x', 'level': 1}"), normalize("{'options': {'mode': 'x', 'level': null}}").get("options"));
        assertEquals(json("{'level': 3}"), normalize("{'options': {'level': 3}}").get("options"));
    }

    @Test
    void typeNormalizationIsApplied() {
        assertEquals(node("'all'"), normalize("{'protocol': '-1'}").get("protocol"));
        assertEquals(node("'tcp'"), normalize("{'protocol': 'tcp'}").get("protocol"));
    }

    @Test
    void unknownPropertiesArePassedThrough() {
        assertEquals(node("[3, 1, 2]"), normalize("{'somethingElse': [3, 1, 2]}").get("somethingElse"));
    }

    @Test
    void mapAndJsonValuesAreLeftAsTheyAre() {
        ObjectNode n = normalize("{'tags': {'b': '2', 'a': '1'}, 'policy': {'Statement': [{'b': 1}, {'a': 2}]}}");
        assertEquals(json("{'b': '2', 'a': '1'}"), n.get("tags"));
        assertEquals(node("[{'b': 1}, {'a': 2}]"), n.at("/policy/Statement"));
    }

    @Test
    void inputIsNotModified() {
        ObjectNode in = json("{'cidr': '2600:1F18::/56', 'subnets': ['b', 'a'], 'options': {}}");
        ObjectNode copy = in.deepCopy();
        Normalizer.normalize(TYPE, in);
        assertEquals(copy, in);
    }

    @Test
    void normalizingIsIdempotent() {
        ObjectNode once = normalize("{'cidr': '2600:1F18::/56', 'subnets': ['b', 'a'], 'routes': [{'destination': '10.0.0.0/8', 'target': 't'}],"
                + " 'options': {'mode': 'm'}, 'protocol': '-1'}");
        assertEquals(once, Normalizer.normalize(TYPE, once));
    }

    @Test
    void dropNullsRemovesTopLevelNulls() {
        ObjectNode o = json("{'a': null, 'b': 1, 'c': null, 'd': {'e': null}}");
        Normalizer.dropNulls(o);
        assertEquals(json("{'b': 1, 'd': {'e': null}}"), o);
        assertNull(o.get("a"));
        assertTrue(o.has("d"));
    }
}
