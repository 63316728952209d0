package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The graph of stacks of one command: order by ${stack:…} references, and what is refused offline. */
class StackSetTest {
    static StackFile stack(String name, String resources) {
        return StackLoader.parse(name + ".json", "{\"stack\": \"" + name + "\", \"region\": \"eu-west-1\",\n \"resources\": {" + resources + "}}", Map.of());
    }

    static String vpc(String id) {
        return "\"" + id + "\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}";
    }

    static String peering(String id, String peer) {
        return "\"" + id + "\": {\"type\": \"vpc-peering\", \"vpc\": \"${vpc}\", \"peerVpc\": \"" + peer + "\"}";
    }

    @Test
    void referencedStacksComeFirstWhateverTheArgumentOrder() {
        StackSet set = StackSet.of(List.of(
                stack("spoke-b", vpc("vpc") + ", " + peering("p", "${stack:hub/vpc}")),
                stack("spoke-a", vpc("vpc") + ", " + peering("p", "${stack:hub/vpc}")),
                stack("edge", vpc("vpc") + ", " + peering("p", "${stack:spoke-a/vpc}")),
                stack("hub", vpc("vpc"))));
        List<String> order = set.order();
        assertTrue(order.indexOf("hub") < order.indexOf("spoke-a") && order.indexOf("hub") < order.indexOf("spoke-b"), order.toString());
        assertTrue(order.indexOf("spoke-a") < order.indexOf("edge"), order.toString());
        assertEquals(Set.of("spoke-a", "spoke-b"), set.dependents("hub"));
        assertEquals(Set.of("hub"), set.prerequisites("spoke-a"));
        List<String> reverse = set.reverseOrder();
        assertTrue(reverse.indexOf("edge") < reverse.indexOf("spoke-a") && reverse.indexOf("spoke-a") < reverse.indexOf("hub"), reverse.toString());
    }

    @Test
    void aStackOutsideTheCommandIsNoEdge() {
        StackSet set = StackSet.of(List.of(stack("a", vpc("vpc") + ", " + peering("p", "${stack:elsewhere/vpc}")), stack("b", vpc("vpc"))));
        assertEquals(Set.of(), set.prerequisites("a"));
    }

    @Test
    void aCycleBetweenStacksIsAnErrorAtAReference() {
        StackException e = assertThrows(StackException.class, () -> StackSet.of(List.of(
                stack("a", vpc("vpc") + ", " + peering("p", "${stack:b/vpc}")),
                stack("b", vpc("vpc") + ", " + peering("p", "${stack:a/vpc}")))));
        assertEquals(1, e.errors().size(), e.errors().toString());
        StackError err = e.errors().get(0);
        assertTrue(err.message().contains("stacks a and b reference each other") || err.message().contains("stacks b and a reference each other"), err.toString());
        assertTrue(err.toString().matches("[ab]\\.json:2:\\d+: .*"), err.toString());
    }

    @Test
    void anUnknownIdOfAStackOfTheCommandAndTwoFilesWithOneNameAreErrors() {
        StackException e = assertThrows(StackException.class, () -> StackSet.of(List.of(
                stack("a", vpc("vpc") + ", " + peering("p", "${stack:b/nope}")),
                stack("b", vpc("vpc")),
                StackLoader.parse("b2.json", "{\"stack\": \"b\", \"region\": \"eu-west-1\", \"resources\": {}}", Map.of()))));
        List<String> all = e.errors().stream().map(StackError::toString).toList();
        assertEquals(2, all.size(), all.toString());
        assertTrue(all.stream().anyMatch(s -> s.startsWith("a.json:2:") && s.contains("${stack:b/nope}: stack b (b.json) declares no resource \"nope\"")), all.toString());
        assertTrue(all.stream().anyMatch(s -> s.startsWith("b2.json:1:") && s.contains("stack \"b\" is also the stack of b.json")), all.toString());
    }
}
