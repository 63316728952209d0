package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.stack.Evaluator.EvalException;
import io.netstack.stack.Evaluator.Ref;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression parser, operators and functions, evaluated with a small fixed scope. */
class FunctionsTest {
    static final Evaluator.Scope SCOPE = new Evaluator.Scope() {
        @Override public Object variable(String name) {
            return Map.<String, Object>of("zones", List.of("a", "c"), "n", 3L, "on", true, "m", Map.of("k", "v")).get(name);
        }
        @Override public Object local(String name) { throw new EvalException("no locals"); }
        @Override public Object each(String field) { throw new EvalException("no each"); }
        @Override public Object resource(String id) { return new Ref(id, null); }
        @Override public String region() { return "eu-west-1"; }
    };

    static Object eval(String expr) {
        return new Evaluator(SCOPE).eval(Expr.parse(expr));
    }

    static String fails(String expr) {
        return assertThrows(RuntimeException.class, () -> eval(expr), expr).getMessage();
    }

    @Test
    void cidrArithmetic() {
        assertEquals("10.0.3.0/24", eval("cidrsubnet('10.0.0.0/16', 8, 3)"));
        assertEquals("10.0.0.64/26", eval("cidrsubnet('10.0.0.0/24', 2, 1)"));
        assertEquals("2600:1f18:abcd:ff03::/64", eval("cidrsubnet('2600:1f18:abcd:ff00::/56', 8, 3)"), "the 4th /64 of an Amazon-provided /56");
        assertEquals(List.of("10.0.0.0/24", "10.0.2.0/23", "10.0.4.0/24"), eval("cidrsubnets('10.0.0.0/16', 8, 7, 8)"), "each block aligned to its size");
        assertEquals("10.0.1.5", eval("cidrhost('10.0.1.0/24', 5)"));
        assertEquals("10.0.1.254", eval("cidrhost('10.0.1.0/24', -2)"));
        assertEquals("255.255.240.0", eval("cidrnetmask('10.0.0.0/20')"));
        assertEquals(20L, eval("cidrprefix('10.0.0.0/20')"));
        assertEquals(true, eval("cidrcontains('10.0.0.0/16', '10.0.4.0/24')"));
        assertEquals(false, eval("cidrcontains('10.0.0.0/16', '10.1.4.0/24')"));
        assertTrue(fails("cidrsubnet('10.0.0.0/16', 8, -1)").contains("network number -1 does not fit"));
        assertTrue(fails("cidrsubnets('10.0.0.0/24', 1, 1, 1)").contains("do not fit in 10.0.0.0/24"));
        assertTrue(fails("cidrsubnet('10.0.0.0/33', 1, 1)").contains("is larger than /32"));
        assertTrue(fails("cidrnetmask('fd00::/8')").contains("IPv6 has no netmask"));
    }

    @Test
    void zonesFromTheRegion() {
        assertEquals("eu-west-1c", eval("zone(2)"));
        assertEquals("eu-west-1b", eval("zone('b')"));
        assertEquals("us-east-1a", eval("zone('us-east-1', 0)"));
        assertEquals(List.of("eu-west-1a", "eu-west-1b"), eval("zones(2)"));
        assertEquals(2L, eval("zoneindex('eu-west-1c')"));
        assertEquals(2L, eval("zoneindex('c')"));
        assertTrue(fails("zone(26)").contains("zone index must be 0..25"));
    }

    @Test
    void stringsListsAndMaps() {
        assertEquals("a,c", eval("join(',', var.zones)"));
        assertEquals("net-03-on", eval("format('net-%s%d-%s', '0', var.n, 'on')"));
        assertEquals("v", eval("lookup(var.m, 'k')"));
        assertEquals("d", eval("lookup(var.m, 'x', 'd')"));
        assertEquals(2L, eval("length(var.zones)"));
        assertEquals(List.of("k"), eval("keys(var.m)"));
        assertEquals(1L, eval("indexof(var.zones, 'c')"));
        assertEquals(List.of("a", "c", "b"), eval("distinct(concat(var.zones, ['b', 'a']))"));
        assertEquals(List.of(1L, 2L), eval("range(1, 3)"));
        assertEquals(Map.of("k", "v"), eval("merge(var.m, var.m)"));
        assertTrue(fails("merge(var.m, var.zones)").contains("argument 2 must be a map, got list of 2"));
        assertEquals("A-B", eval("upper(replace('a_b', '_', '-'))"));
        assertEquals(List.of("a", "b"), eval("split('/', 'a/b')"));
        assertEquals(7L, eval("tonumber('7')"));
        assertEquals("3", eval("tostring(var.n)"));
        assertTrue(fails("format('%d', 'x')").contains("%d needs a whole number"));
        assertTrue(fails("lookup(var.m, 'x')").contains("no key \"x\" and no default"));
        assertTrue(fails("join(',', [var.zones])").contains("expected a string, number or boolean, got list of 2"));
    }

    @Test
    void operatorsAndPrecedence() {
        assertEquals(7L, eval("1 + 2 * 3"));
        assertEquals(1L, eval("7 % 3"));
        assertEquals(5L, eval("10 - 2 - 3"), "left-associative");
        assertEquals(2L, eval("12 / 3 / 2"), "left-associative");
        assertEquals(1L, eval("8 / 2 % 3"), "* / % share one level");
        assertEquals(true, eval("1 != 2 == true"), "left-associative");
        assertEquals(2L, eval("var.n - 1"));
        assertEquals(true, eval("!false && (1 < 2 || false)"));
        assertEquals("b", eval("var.on && var.n >= 3 ? 'b' : 'c'"));
        assertEquals("ac", eval("var.zones[0] + var.zones[1]"));
        assertEquals(true, eval("var.zones == ['a', 'c']"));
        assertEquals(new Ref("nat-a", "publicIp"), eval("nat-a.publicIp"), "ids with hyphens");
        assertTrue(fails("1 / 0").contains("division by zero"));
        assertTrue(fails("'a' + 1").contains("'+' joins two strings or adds two numbers"));
        assertTrue(fails("vpc == 'x'").contains("known only after apply"));
        assertTrue(fails("var.on ? 1").contains("expected ':'"));
        assertTrue(fails("9223372036854775807 + 1").contains("out of range"));
    }

    @Test
    void segmentsSplitTextAndExpressions() {
        assertEquals(List.of("arn:", "var.x", "/", "join('}', y)", ""), Expr.segments("arn:${var.x}/${join('}', y)}"));
        assertThrows(Expr.ParseException.class, () -> Expr.segments("a ${b"));
    }
}
