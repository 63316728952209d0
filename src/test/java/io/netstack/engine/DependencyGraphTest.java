package io.netstack.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    /** Builds a graph from "a>b" edges (a must finish before b). */
    private static DependencyGraph<String> graph(String... edges) {
        DependencyGraph<String> g = new DependencyGraph<>();
        for (String e : edges) {
            String[] ab = e.split(">");
            if (ab.length == 1) g.add(ab[0]);
            else g.edge(ab[0], ab[1]);
        }
        return g;
    }

    private static void assertRespectsEdges(DependencyGraph<String> g, List<String> order) {
        assertEquals(g.nodes().size(), order.size());
        assertEquals(g.nodes(), Set.copyOf(order));
        for (String k : g.nodes()) {
            for (String first : g.prerequisites(k)) {
                assertTrue(order.indexOf(first) < order.indexOf(k), first + " must come before " + k + " in " + order);
            }
        }
    }

    @Test
    void emptyGraph() {
        assertEquals(List.of(), new DependencyGraph<String>().topologicalOrder());
    }

    @Test
    void unconnectedNodesComeInKeyOrder() {
        assertEquals(List.of("a", "b", "c"), graph("c", "a", "b").topologicalOrder());
    }

    @Test
    void chainIsFollowedAgainstKeyOrder() {
        // z before y before x, although key order is the reverse
        assertEquals(List.of("z", "y", "x"), graph("y>x", "z>y").topologicalOrder());
    }

    @Test
    void vpcExample() {
        DependencyGraph<String> g = graph("vpc>igw", "vpc>subnet-a", "subnet-a>nat", "eip>nat", "igw>nat", "vpc>rt", "nat>rt", "subnet-a>rt");
        List<String> order = g.topologicalOrder();
        assertEquals(List.of("eip", "vpc", "igw", "subnet-a", "nat", "rt"), order);
        assertRespectsEdges(g, order);
    }

    @Test
    void tiesAreBrokenByKeyOrderWhenNodesBecomeReady() {
        // after "a", both "c" and "b" become ready; "b" sorts first although "c" was added first
        assertEquals(List.of("a", "b", "c", "d"), graph("a>c", "a>b", "c>d", "b>d").topologicalOrder());
        // a ready node with a smaller key than the current frontier is taken first
        assertEquals(List.of("b", "a", "c"), graph("b>c", "b>a").topologicalOrder());
    }

    @Test
    void orderDoesNotDependOnInsertionOrder() {
        List<String> edges = new ArrayList<>(List.of("vpc>igw", "vpc>sub-a", "vpc>sub-b", "sub-a>nat-a", "sub-b>nat-b", "eip-a>nat-a",
                "eip-b>nat-b", "igw>nat-a", "igw>nat-b", "nat-a>rt-a", "nat-b>rt-b", "vpc>sg", "sg>endpoint", "sub-a>endpoint", "lone"));
        List<String> expected = graph(edges.toArray(String[]::new)).topologicalOrder();
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(edges, random);
            DependencyGraph<String> g = graph(edges.toArray(String[]::new));
            assertEquals(expected, g.topologicalOrder(), "edges " + edges);
            assertRespectsEdges(g, expected);
        }
    }

    @Test
    void duplicateEdgesCountOnce() {
        DependencyGraph<String> g = graph("a>b", "a>b", "a>b");
        assertEquals(Set.of("a"), g.prerequisites("b"));
        assertEquals(List.of("a", "b"), g.topologicalOrder());
    }

    @Test
    void selfEdgeIsIgnored() {
        DependencyGraph<String> g = graph("a>a");
        assertEquals(Set.of(), g.nodes());
        g.add("a");
        g.edge("a", "a");
        assertEquals(Set.of(), g.prerequisites("a"));
        assertEquals(List.of("a"), g.topologicalOrder());
    }

    @Test
    void prerequisitesAndDependents() {
        DependencyGraph<String> g = graph("vpc>subnet", "vpc>igw", "subnet>nat");
        assertEquals(Set.of("vpc", "subnet", "igw", "nat"), g.nodes());
        assertEquals(Set.of("subnet", "igw"), g.dependents("vpc"));
        assertEquals(Set.of("vpc"), g.prerequisites("subnet"));
        assertEquals(Set.of(), g.prerequisites("vpc"));
        assertEquals(Set.of(), g.dependents("nat"));
        assertEquals(Set.of(), g.dependents("unknown"));
        assertEquals(Set.of(), g.prerequisites("unknown"));
    }

    @Test
    void twoNodeCycleThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> graph("a>b", "b>a").topologicalOrder());
        assertEquals("dependency cycle among [a, b]", e.getMessage());
    }

    @Test
    void longerCycleInsideALargerGraphThrows() {
        DependencyGraph<String> g = graph("root>x", "x>y", "y>z", "z>x", "root>ok");
        IllegalStateException e = assertThrows(IllegalStateException.class, g::topologicalOrder);
        assertTrue(e.getMessage().startsWith("dependency cycle among "), e.getMessage());
        for (String k : List.of("x", "y", "z")) assertTrue(e.getMessage().contains(k), e.getMessage());
        assertFalse(e.getMessage().contains("root"), e.getMessage());
        assertFalse(e.getMessage().contains("ok"), e.getMessage());
    }

    @Test
    void cycleMessageNamesOnlyTheCycle() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> graph("a>b", "b>a", "b>c").topologicalOrder());
        assertEquals("dependency cycle among [a, b]", e.getMessage());
    }

    @Test
    void hasPath() {
        DependencyGraph<String> g = graph("vpc>subnet", "subnet>nat", "nat>rt", "vpc>igw", "eip");
        assertTrue(g.hasPath("vpc", "subnet"), "direct edge");
        assertTrue(g.hasPath("vpc", "rt"), "transitive");
        assertFalse(g.hasPath("rt", "vpc"), "edges are directed");
        assertFalse(g.hasPath("igw", "nat"), "siblings");
        assertFalse(g.hasPath("eip", "vpc"), "isolated node");
        assertFalse(g.hasPath("vpc", "eip"), "isolated node");
        assertFalse(g.hasPath("unknown", "vpc"));
        assertTrue(g.hasPath("vpc", "vpc"), "a node reaches itself");
    }

    @Test
    void hasPathTerminatesOnCycles() {
        DependencyGraph<String> g = graph("a>b", "b>c", "c>a", "d");
        assertTrue(g.hasPath("a", "c"));
        assertTrue(g.hasPath("c", "b"));
        assertFalse(g.hasPath("a", "d"));
    }

    @Test
    void worksWithAnyComparableKey() {
        DependencyGraph<Integer> g = new DependencyGraph<>();
        g.edge(10, 2);
        g.edge(2, 1);
        g.add(5);
        assertEquals(List.of(5, 10, 2, 1), g.topologicalOrder());
    }
}
