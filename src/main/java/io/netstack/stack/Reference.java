package io.netstack.stack;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code ${…}} reference in a stack file.
 *
 * <ul>
 *   <li>{@code ${id}} / {@code ${id.attr}}: a resource of this stack (its AWS id, or a read-only attribute)</li>
 *   <li>{@code ${var.name}}: a variable, substituted when the file is loaded</li>
 *   <li>{@code ${env.NAME}}: an environment variable, only in write-only properties, resolved at apply time</li>
 *   <li>{@code ${stack:other/id}} / {@code ${stack:other/id.attr}}: a resource owned by another netstack stack</li>
 * </ul>
 */
public record Reference(Kind kind, String stack, String target, String attribute) {
    public enum Kind { RESOURCE, VARIABLE, ENV, STACK }

    private static final Pattern WHOLE = Pattern.compile("^\\$\\{([^}]*)}$");
    public static final Pattern ANY = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern STACK = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern ATTR = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    /** The reference if {@code s} is exactly one {@code ${…}} expression. */
    public static Optional<Reference> whole(String s) {
        if (s == null) return Optional.empty();
        Matcher m = WHOLE.matcher(s);
        return m.matches() ? Optional.of(parseBody(m.group(1))) : Optional.empty();
    }

    public static boolean containsReference(String s) {
        return s != null && s.contains("${");
    }

    /** Parses the text between {@code ${} and {@code }}; throws IllegalArgumentException with a readable reason. */
    public static Reference parseBody(String body) {
        if (body.startsWith("var.")) return new Reference(Kind.VARIABLE, null, requireName(body.substring(4), body), null);
        if (body.startsWith("env.")) return new Reference(Kind.ENV, null, requireName(body.substring(4), body), null);
        if (body.startsWith("stack:")) {
            String rest = body.substring(6);
            int slash = rest.indexOf('/');
            if (slash <= 0) throw new IllegalArgumentException("cross-stack reference must be ${stack:<stack>/<id>}, got ${" + body + "}");
            String stack = rest.substring(0, slash);
            if (!STACK.matcher(stack).matches()) throw new IllegalArgumentException("invalid reference ${" + body + "}: stack name '" + stack + "' must match [a-z][a-z0-9-]{0,39}");
            Reference r = parseResource(rest.substring(slash + 1), body);
            return new Reference(Kind.STACK, stack, r.target, r.attribute);
        }
        return parseResource(body, body);
    }

    private static Reference parseResource(String s, String body) {
        int dot = s.indexOf('.');
        String id = dot < 0 ? s : s.substring(0, dot);
        String attr = dot < 0 ? null : s.substring(dot + 1);
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("invalid reference ${" + body + "}: '" + id + "' is not a resource id");
        if (attr != null && !ATTR.matcher(attr).matches()) throw new IllegalArgumentException("invalid reference ${" + body + "}: bad attribute name '" + attr + "'");
        return new Reference(Kind.RESOURCE, null, id, attr);
    }

    private static String requireName(String n, String body) {
        if (n.isEmpty()) throw new IllegalArgumentException("invalid reference ${" + body + "}: missing name");
        return n;
    }

    public static String of(String id) {
        return "${" + id + "}";
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VARIABLE -> "${var." + target + "}";
            case ENV -> "${env." + target + "}";
            case STACK -> "${stack:" + stack + "/" + target + (attribute == null ? "" : "." + attribute) + "}";
            case RESOURCE -> "${" + target + (attribute == null ? "" : "." + attribute) + "}";
        };
    }
}
