package io.netstack.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * The expression language inside {@code ${…}} of a templated stack file (see docs/stack-format.md,
 * "Templates"): literals, {@code var.x}, {@code local.x}, {@code each.key}, resource and module
 * references ({@code vpc}, {@code public[each.key]}, {@code public[*]}, {@code net.vpcId}),
 * function calls, {@code ! && || == != < <= > >= + - * / %} and {@code c ? a : b}.
 * Identifiers may contain hyphens (resource ids do), so subtraction needs spaces: {@code a - 1}.
 * Parsing is separate from evaluation ({@link Evaluator}) so that each template string is parsed once.
 */
public final class Expr {
    /** A parse error at {@code offset} (0-based, within the expression text). */
    public static final class ParseException extends RuntimeException {
        public final int offset;

        ParseException(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    public sealed interface Node permits Lit, Name, Member, Index, Splat, Call, Unary, Binary, Cond, ListLit {}

    public record Lit(Object value) implements Node {}
    /** A root name: {@code var}, {@code local}, {@code each}, a resource or module id. */
    public record Name(String name) implements Node {}
    public record Member(Node target, String name) implements Node {}
    public record Index(Node target, Node index) implements Node {}
    public record Splat(Node target) implements Node {}
    public record Call(String function, List<Node> args) implements Node {}
    public record Unary(String op, Node operand) implements Node {}
    public record Binary(String op, Node left, Node right) implements Node {}
    public record Cond(Node test, Node then, Node otherwise) implements Node {}
    public record ListLit(List<Node> items) implements Node {}

    private final String s;
    private int i;

    private Expr(String s) {
        this.s = s;
    }

    public static Node parse(String text) {
        Expr p = new Expr(text);
        p.ws();
        if (p.i >= p.s.length()) throw new ParseException("empty expression", 0);
        Node n = p.cond();
        p.ws();
        if (p.i < p.s.length()) throw new ParseException("unexpected '" + p.s.charAt(p.i) + "'", p.i);
        return n;
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private boolean eat(String tok) {
        ws();
        if (s.startsWith(tok, i)) {
            i += tok.length();
            return true;
        }
        return false;
    }

    private void expect(String tok) {
        if (!eat(tok)) throw new ParseException("expected '" + tok + "'" + (i < s.length() ? " at '" + s.charAt(i) + "'" : " at the end"), i);
    }

    private Node cond() {
        Node t = or();
        if (eat("?")) {
            Node a = cond();
            expect(":");
            Node b = cond();
            return new Cond(t, a, b);
        }
        return t;
    }

    private Node or() {
        return leftAssociative(this::and, "||");
    }

    private Node and() {
        return leftAssociative(this::eq, "&&");
    }

    private Node eq() {
        return leftAssociative(this::cmp, "==", "!=");
    }

    private Node cmp() {
        Node l = add();
        String op = eatAny("<=", ">=", "<", ">");
        return op == null ? l : new Binary(op, l, add());
    }

    private Node add() {
        return leftAssociative(this::mul, "+", "-");
    }

    private Node mul() {
        return leftAssociative(this::unary, "*", "/", "%");
    }

    /** One precedence level of left-associative operators: {@code operand (op operand)*}. */
    private Node leftAssociative(java.util.function.Supplier<Node> operand, String... ops) {
        Node l = operand.get();
        for (String op = eatAny(ops); op != null; op = eatAny(ops)) l = new Binary(op, l, operand.get());
        return l;
    }

    /** The first of {@code ops} that comes next, consumed; null if none does. */
    private String eatAny(String... ops) {
        for (String op : ops) {
            if (eat(op)) return op;
        }
        return null;
    }

    private Node unary() {
        if (eat("!")) return new Unary("!", unary());
        ws();
        if (i < s.length() && s.charAt(i) == '-' && !(i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            i++;
            return new Unary("-", unary());
        }
        return postfix(primary());
    }

    private Node postfix(Node n) {
        while (true) {
            ws();
            if (i < s.length() && s.charAt(i) == '.' ) {
                i++;
                n = new Member(n, ident("a name after '.'"));
            } else if (eat("[")) {
                if (eat("*")) {
                    expect("]");
                    n = new Splat(n);
                } else {
                    Node idx = cond();
                    expect("]");
                    n = new Index(n, idx);
                }
            } else {
                return n;
            }
        }
    }

    private String ident(String what) {
        ws();
        int start = i;
        if (i < s.length() && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) i++;
            // a trailing hyphen belongs to an operator ("a -1" is not written "a-"), not to the name
            while (i > start + 1 && s.charAt(i - 1) == '-') i--;
            return s.substring(start, i);
        }
        throw new ParseException("expected " + what, i);
    }

    private Node primary() {
        ws();
        if (i >= s.length()) throw new ParseException("unexpected end of expression", i);
        char c = s.charAt(i);
        if (c == '(') {
            i++;
            Node n = cond();
            expect(")");
            return n;
        }
        if (c == '[') {
            i++;
            List<Node> items = new ArrayList<>();
            if (!eat("]")) {
                do items.add(cond()); while (eat(","));
                expect("]");
            }
            return new ListLit(items);
        }
        if (c == '\'' || c == '"') return new Lit(string(c));
        if (Character.isDigit(c) || c == '-') return new Lit(number());
        String id = ident("a value");
        switch (id) {
            case "true" -> { return new Lit(Boolean.TRUE); }
            case "false" -> { return new Lit(Boolean.FALSE); }
            case "null" -> { return new Lit(null); }
            default -> { }
        }
        if (eat("(")) {
            List<Node> args = new ArrayList<>();
            if (!eat(")")) {
                do args.add(cond()); while (eat(","));
                expect(")");
            }
            return new Call(id, args);
        }
        return new Name(id);
    }

    private String string(char quote) {
        int start = i;
        i++;
        StringBuilder b = new StringBuilder();
        while (i < s.length() && s.charAt(i) != quote) {
            char c = s.charAt(i++);
            if (c == '\\' && i < s.length()) c = s.charAt(i++);
            b.append(c);
        }
        if (i >= s.length()) throw new ParseException("unterminated string", start);
        i++;
        return b.toString();
    }

    private Object number() {
        int start = i;
        if (s.charAt(i) == '-') i++;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
        String t = s.substring(start, i);
        try {
            return t.contains(".") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ParseException("bad number '" + t + "'", start);
        }
    }

    /**
     * Splits a JSON string into literal text and {@code ${…}} expression bodies (even indexes are
     * text, odd ones expressions). Braces inside quoted strings of an expression do not end it.
     */
    public static List<String> segments(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("${", i)) {
                int j = i + 2;
                char quote = 0;
                while (j < text.length()) {
                    char c = text.charAt(j);
                    if (quote != 0) {
                        if (c == '\\') j++;
                        else if (c == quote) quote = 0;
                    } else if (c == '\'' || c == '"') {
                        quote = c;
                    } else if (c == '}') {
                        break;
                    }
                    j++;
                }
                if (j >= text.length()) throw new ParseException("unterminated ${", i);
                out.add(lit.toString());
                lit.setLength(0);
                out.add(text.substring(i + 2, j));
                i = j + 1;
            } else {
                lit.append(text.charAt(i++));
            }
        }
        out.add(lit.toString());
        return out;
    }
}
