package io.netstack.stack;

import io.netstack.stack.Expr.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates {@link Expr} trees to typed values: {@code String}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code List}, {@code Map} (insertion-ordered), {@code null}, and {@link Ref} for
 * values known only after apply (a resource's AWS id or attribute). Refs may only end up where v1
 * allows a reference; functions, conditions and repetition keys reject them.
 */
public final class Evaluator {
    /** An evaluation error; the expander adds the file:line:col of the template. */
    public static final class EvalException extends RuntimeException {
        public EvalException(String message) {
            super(message);
        }
    }

    /** A v1 reference to a resource of the expanded stack: {@code ${id}} or {@code ${id.attr}}. */
    public record Ref(String id, String attr) {
        public String text() {
            return "${" + id + (attr == null ? "" : "." + attr) + "}";
        }

        @Override
        public String toString() {
            return text();
        }
    }

    /** All instances of a repeated resource or module, by key ({@code id[key]}, {@code id[*]}). */
    public record Instances(String id, Map<String, Object> byKey) {}

    /** What names resolve to: variables, locals, the current forEach instance, resources and modules. */
    public interface Scope {
        Object variable(String name);

        Object local(String name);

        Object each(String field);

        /** A resource ({@link Ref}), a repeated one ({@link Instances}) or a module's outputs (a Map). */
        Object resource(String id);

        String region();
    }

    private final Scope scope;

    public Evaluator(Scope scope) {
        this.scope = scope;
    }

    public Object eval(Node n) {
        if (n instanceof Expr.Lit l) return l.value();
        if (n instanceof Expr.ListLit l) {
            List<Object> out = new ArrayList<>();
            for (Node item : l.items()) out.add(eval(item));
            return out;
        }
        if (n instanceof Expr.Name name) {
            if (name.name().equals("var") || name.name().equals("local") || name.name().equals("each")) {
                throw new EvalException("'" + name.name() + "' needs a name: " + name.name() + ".<name>");
            }
            return scope.resource(name.name());
        }
        if (n instanceof Expr.Member m) return member(m);
        if (n instanceof Expr.Index ix) return index(eval(ix.target()), eval(ix.index()));
        if (n instanceof Expr.Splat sp) {
            Object t = eval(sp.target());
            if (t instanceof Instances in) return new ArrayList<>(in.byKey().values());
            if (t instanceof List<?> l) return l;
            if (t instanceof Map<?, ?> m) return new ArrayList<>(m.values());
            throw new EvalException("[*] needs a repeated resource, a list or a map, got " + describe(t));
        }
        if (n instanceof Expr.Call c) {
            List<Object> args = new ArrayList<>();
            for (Node a : c.args()) args.add(eval(a));
            return Functions.call(c.function(), args, scope.region());
        }
        if (n instanceof Expr.Unary u) {
            Object v = eval(u.operand());
            if (u.op().equals("!")) return !bool(v, "operand of !");
            if (v instanceof Long x) return -x;
            if (v instanceof Double x) return -x;
            throw new EvalException("operand of - must be a number, got " + describe(v));
        }
        if (n instanceof Expr.Binary b) return binary(b);
        Expr.Cond c = (Expr.Cond) n;
        return bool(eval(c.test()), "condition of ? :") ? eval(c.then()) : eval(c.otherwise());
    }

    private Object member(Expr.Member m) {
        if (m.target() instanceof Expr.Name root) {
            switch (root.name()) {
                case "var" -> { return scope.variable(m.name()); }
                case "local" -> { return scope.local(m.name()); }
                case "each" -> { return scope.each(m.name()); }
                default -> { }
            }
        }
        return attribute(eval(m.target()), m.name());
    }

    private static Object attribute(Object t, String name) {
        if (t instanceof Ref r) {
            if (r.attr() != null) throw new EvalException(r.text() + " has no attribute '" + name + "'");
            if (!name.matches("[A-Za-z][A-Za-z0-9]*")) throw new EvalException("bad attribute name '" + name + "'");
            return new Ref(r.id(), name);
        }
        if (t instanceof Map<?, ?> m) {
            if (!m.containsKey(name)) throw new EvalException("no key '" + name + "' (keys: " + String.join(", ", keys(m)) + ")");
            return m.get(name);
        }
        if (t instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(attribute(o, name));
            return out;
        }
        if (t instanceof Instances in) {
            throw new EvalException(in.id() + " is repeated (forEach): use " + in.id() + "[key]." + name + " or " + in.id() + "[*]." + name);
        }
        throw new EvalException("cannot take '." + name + "' of " + describe(t));
    }

    private static List<String> keys(Map<?, ?> m) {
        List<String> k = new ArrayList<>();
        for (Object o : m.keySet()) k.add(String.valueOf(o));
        return k;
    }

    static Object index(Object t, Object i) {
        if (t instanceof Instances in) {
            String key = keyText(i);
            if (!in.byKey().containsKey(key)) {
                throw new EvalException(in.id() + " has no instance \"" + key + "\"" + (in.byKey().isEmpty() ? " (it has none)" : " (keys: " + String.join(", ", in.byKey().keySet()) + ")"));
            }
            return in.byKey().get(key);
        }
        if (t instanceof List<?> l) {
            if (!(i instanceof Long n)) throw new EvalException("a list index must be a number, got " + describe(i));
            if (n < 0 || n >= l.size()) throw new EvalException("index " + n + " is outside the list (size " + l.size() + ")");
            return l.get(n.intValue());
        }
        if (t instanceof Map<?, ?> m) {
            String key = keyText(i);
            if (!m.containsKey(key)) throw new EvalException("no key \"" + key + "\" (keys: " + String.join(", ", keys(m)) + ")");
            return m.get(key);
        }
        if (t instanceof Ref r) throw new EvalException(r.text() + " is not repeated: it has no [" + i + "]");
        throw new EvalException("cannot index " + describe(t));
    }

    static String keyText(Object k) {
        if (k instanceof String s) return s;
        if (k instanceof Long || k instanceof Boolean) return String.valueOf(k);
        throw new EvalException("a key must be a string or a number, got " + describe(k));
    }

    private Object binary(Expr.Binary b) {
        if (b.op().equals("&&")) return bool(eval(b.left()), "left of &&") && bool(eval(b.right()), "right of &&");
        if (b.op().equals("||")) return bool(eval(b.left()), "left of ||") || bool(eval(b.right()), "right of ||");
        Object l = eval(b.left()), r = eval(b.right());
        if (l instanceof Ref || r instanceof Ref) {
            throw new EvalException("'" + b.op() + "' on " + (l instanceof Ref ? l : r) + ", which is known only after apply; operators work on values known offline");
        }
        return switch (b.op()) {
            case "==" -> same(l, r);
            case "!=" -> !same(l, r);
            case "+" -> {
                if (l instanceof String || r instanceof String) {
                    if (!(l instanceof String) || !(r instanceof String)) throw new EvalException("'+' joins two strings or adds two numbers, got " + describe(l) + " and " + describe(r));
                    yield (String) l + r;
                }
                yield arith(l, r, "+");
            }
            case "-", "*", "/", "%" -> arith(l, r, b.op());
            default -> {
                double x = num(l, "left of " + b.op()), y = num(r, "right of " + b.op());
                yield switch (b.op()) {
                    case "<" -> x < y;
                    case "<=" -> x <= y;
                    case ">" -> x > y;
                    default -> x >= y;
                };
            }
        };
    }

    /** Whole numbers stay whole ({@code /} truncates, as Java and Go do); division by zero is an error. */
    private static Object arith(Object l, Object r, String op) {
        if ((op.equals("/") || op.equals("%")) && r instanceof Number n && n.doubleValue() == 0) throw new EvalException("division by zero");
        if (l instanceof Long a && r instanceof Long c) {
            try {
                return wholeArith(a, c, op);
            } catch (ArithmeticException e) {
                throw new EvalException(a + " " + op + " " + c + " is out of range");
            }
        }
        double x = num(l, "left of " + op), y = num(r, "right of " + op);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> x / y;
            default -> x % y;
        };
    }

    private static long wholeArith(long a, long c, String op) {
        {
            return switch (op) {
                case "+" -> Math.addExact(a, c);
                case "-" -> Math.subtractExact(a, c);
                case "*" -> Math.multiplyExact(a, c);
                case "/" -> a / c;
                default -> a % c;
            };
        }
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        return Objects.equals(a, b);
    }

    static double num(Object v, String what) {
        if (v instanceof Number n) return n.doubleValue();
        throw new EvalException(what + " must be a number, got " + describe(v));
    }

    static boolean bool(Object v, String what) {
        if (v instanceof Boolean b) return b;
        if (v instanceof Ref r) throw new EvalException(what + " is " + r + ", known only after apply: conditions must be known offline (variables, literals)");
        throw new EvalException(what + " must be a boolean, got " + describe(v));
    }

    /** "string \"x\"", "number 3", "list of 2", … for error messages. */
    public static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "string \"" + s + "\"";
        if (v instanceof Long || v instanceof Double) return "number " + v;
        if (v instanceof Boolean) return "boolean " + v;
        if (v instanceof List<?> l) return "list of " + l.size();
        if (v instanceof Map<?, ?> m) return "map of " + m.size();
        if (v instanceof Ref r) return r.text() + " (known only after apply)";
        if (v instanceof Instances in) return "repeated resource " + in.id();
        return v.getClass().getSimpleName();
    }

    /** The type name used in variable declarations and errors. */
    public static String typeOf(Object v) {
        if (v instanceof String || v instanceof Ref) return "string";
        if (v instanceof Long || v instanceof Double) return "number";
        if (v instanceof Boolean) return "bool";
        if (v instanceof List<?>) return "list";
        if (v instanceof Map<?, ?>) return "map";
        return "null";
    }

    /** A map with string keys in insertion order (what JSON objects and map values become). */
    public static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }
}
