package io.netstack.stack;

import io.netstack.stack.Evaluator.EvalException;
import io.netstack.stack.Evaluator.Ref;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The functions of stack-file expressions, all evaluated offline (no AWS call, no clock, no
 * randomness), so that a file expands the same way every time. Listed in docs/stack-format.md,
 * "Functions".
 */
public final class Functions {
    /** Every function name, for "unknown function" errors. */
    public static final Set<String> NAMES = new TreeSet<>(List.of(
            "cidrsubnet", "cidrsubnets", "cidrhost", "cidrnetmask", "cidrprefix", "cidrcontains",
            "join", "format", "upper", "lower", "replace", "split",
            "length", "lookup", "keys", "values", "contains", "indexof", "concat", "range", "merge", "distinct",
            "tostring", "tonumber", "zone", "zones", "zoneindex"));

    private Functions() {}

    static Object call(String name, List<Object> a, String region) {
        if (!NAMES.contains(name)) {
            throw new EvalException("unknown function " + name + "() (known: " + String.join(", ", NAMES) + ")");
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) instanceof Ref r) {
                throw new EvalException(name + "(): argument " + (i + 1) + " is " + r.text() + ", known only after apply; functions work on values known offline");
            }
        }
        try {
            return switch (name) {
                case "cidrsubnet" -> {
                    arity(name, a, 3);
                    Cidr c = cidr(name, a, 0);
                    long newbits = integer(name, a, 1), netnum = integer(name, a, 2);
                    int prefix = c.prefix() + (int) newbits;
                    if (newbits < 0 || prefix > c.bits()) throw new EvalException(name + "(): " + c + " has no room for " + newbits + " more bits (a /" + c.bits() + " is the smallest block)");
                    BigInteger count = BigInteger.ONE.shiftLeft((int) newbits);
                    if (netnum < 0 || BigInteger.valueOf(netnum).compareTo(count) >= 0) {
                        throw new EvalException(name + "(): network number " + netnum + " does not fit in " + newbits + " new bits of " + c + " (0.." + count.subtract(BigInteger.ONE) + ")");
                    }
                    yield new Cidr(c.ipv6(), c.network().add(BigInteger.valueOf(netnum).shiftLeft(c.bits() - prefix)), prefix).toString();
                }
                case "cidrsubnets" -> {
                    if (a.size() < 2) throw new EvalException(name + "(prefix, newbits…) needs at least 2 arguments, got " + a.size());
                    Cidr c = cidr(name, a, 0);
                    // consecutive blocks, each aligned to its own size, as Terraform's cidrsubnets()
                    BigInteger next = c.network();
                    List<Object> out = new ArrayList<>();
                    for (int i = 1; i < a.size(); i++) {
                        long nb = integer(name, a, i);
                        int prefix = c.prefix() + (int) nb;
                        if (nb < 1 || prefix > c.bits()) throw new EvalException(name + "(): " + c + " has no room for " + nb + " more bits");
                        BigInteger size = BigInteger.ONE.shiftLeft(c.bits() - prefix);
                        BigInteger[] qr = next.divideAndRemainder(size);
                        if (qr[1].signum() != 0) next = qr[0].add(BigInteger.ONE).multiply(size);
                        Cidr sub = new Cidr(c.ipv6(), next, prefix);
                        if (!c.contains(sub)) throw new EvalException(name + "(): the blocks do not fit in " + c + " (block " + i + ", /" + prefix + ", would start at " + sub + ")");
                        out.add(sub.toString());
                        next = next.add(size);
                    }
                    yield out;
                }
                case "cidrhost" -> {
                    arity(name, a, 2);
                    Cidr c = cidr(name, a, 0);
                    long host = integer(name, a, 1);
                    BigInteger size = BigInteger.ONE.shiftLeft(c.bits() - c.prefix());
                    BigInteger h = BigInteger.valueOf(host);
                    if (h.signum() < 0) h = size.add(h);
                    if (h.signum() < 0 || h.compareTo(size) >= 0) throw new EvalException(name + "(): host number " + host + " does not fit in " + c + " (" + size + " addresses)");
                    yield address(new Cidr(c.ipv6(), c.network().add(h), c.bits()));
                }
                case "cidrnetmask" -> {
                    arity(name, a, 1);
                    Cidr c = cidr(name, a, 0);
                    if (c.ipv6()) throw new EvalException(name + "(): IPv6 has no netmask notation; use cidrprefix()");
                    BigInteger mask = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE).shiftRight(32 - c.prefix()).shiftLeft(32 - c.prefix());
                    yield address(new Cidr(false, mask, 32));
                }
                case "cidrprefix" -> {
                    arity(name, a, 1);
                    yield (long) cidr(name, a, 0).prefix();
                }
                case "cidrcontains" -> {
                    arity(name, a, 2);
                    yield cidr(name, a, 0).contains(cidr(name, a, 1));
                }
                case "join" -> {
                    arity(name, a, 2);
                    String sep = string(name, a, 0);
                    List<String> parts = new ArrayList<>();
                    for (Object o : list(name, a, 1)) parts.add(scalarText(name, o));
                    yield String.join(sep, parts);
                }
                case "format" -> {
                    if (a.isEmpty()) throw new EvalException("format(fmt, args…) needs a format string");
                    yield format(string(name, a, 0), a.subList(1, a.size()));
                }
                case "upper" -> { arity(name, a, 1); yield string(name, a, 0).toUpperCase(java.util.Locale.ROOT); }
                case "lower" -> { arity(name, a, 1); yield string(name, a, 0).toLowerCase(java.util.Locale.ROOT); }
                case "replace" -> { arity(name, a, 3); yield string(name, a, 0).replace(string(name, a, 1), string(name, a, 2)); }
                case "split" -> {
                    arity(name, a, 2);
                    List<Object> out = new ArrayList<>(List.of(string(name, a, 1).split(java.util.regex.Pattern.quote(string(name, a, 0)), -1)));
                    yield out;
                }
                case "length" -> {
                    arity(name, a, 1);
                    Object v = a.get(0);
                    if (v instanceof List<?> l) yield (long) l.size();
                    if (v instanceof Map<?, ?> m) yield (long) m.size();
                    if (v instanceof String s) yield (long) s.length();
                    throw new EvalException("length(): argument 1 must be a list, map or string, got " + Evaluator.describe(v));
                }
                case "lookup" -> {
                    if (a.size() != 2 && a.size() != 3) throw new EvalException("lookup(map, key[, default]) takes 2 or 3 arguments, got " + a.size());
                    Map<?, ?> m = map(name, a, 0);
                    String k = Evaluator.keyText(a.get(1));
                    if (m.containsKey(k)) yield m.get(k);
                    if (a.size() == 3) yield a.get(2);
                    throw new EvalException("lookup(): no key \"" + k + "\" and no default");
                }
                case "keys" -> { arity(name, a, 1); yield new ArrayList<Object>(map(name, a, 0).keySet()); }
                case "values" -> { arity(name, a, 1); yield new ArrayList<Object>(map(name, a, 0).values()); }
                case "contains" -> {
                    arity(name, a, 2);
                    boolean found = false;
                    for (Object o : list(name, a, 0)) found |= Evaluator.same(o, a.get(1));
                    yield found;
                }
                case "indexof" -> {
                    arity(name, a, 2);
                    List<?> l = list(name, a, 0);
                    for (int i = 0; i < l.size(); i++) if (Evaluator.same(l.get(i), a.get(1))) yield (long) i;
                    throw new EvalException("indexof(): " + Evaluator.describe(a.get(1)) + " is not in the list");
                }
                case "concat" -> {
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < a.size(); i++) out.addAll(list(name, a, i));
                    yield out;
                }
                case "distinct" -> {
                    arity(name, a, 1);
                    List<Object> out = new ArrayList<>();
                    for (Object o : list(name, a, 0)) if (out.stream().noneMatch(x -> Evaluator.same(x, o))) out.add(o);
                    yield out;
                }
                case "range" -> {
                    if (a.size() != 1 && a.size() != 2) throw new EvalException("range(n) or range(from, to) takes 1 or 2 arguments, got " + a.size());
                    long from = a.size() == 2 ? integer(name, a, 0) : 0, to = integer(name, a, a.size() - 1);
                    if (to - from > 10_000) throw new EvalException("range(): at most 10000 numbers");
                    List<Object> out = new ArrayList<>();
                    for (long i = from; i < to; i++) out.add(i);
                    yield out;
                }
                case "merge" -> {
                    Map<String, Object> out = Evaluator.map();
                    for (int i = 0; i < a.size(); i++) map(name, a, i).forEach((k, v) -> out.put(String.valueOf(k), v));
                    yield out;
                }
                case "tostring" -> { arity(name, a, 1); yield scalarText(name, a.get(0)); }
                case "tonumber" -> {
                    arity(name, a, 1);
                    Object v = a.get(0);
                    if (v instanceof Long || v instanceof Double) yield v;
                    String s = string(name, a, 0);
                    try {
                        yield s.contains(".") ? (Object) Double.parseDouble(s) : (Object) Long.parseLong(s);
                    } catch (NumberFormatException e) {
                        throw new EvalException("tonumber(): \"" + s + "\" is not a number");
                    }
                }
                case "zone" -> {
                    // Zone names are the region plus a letter. Assumption, documented in docs/stack-format.md, "Functions":
                    // letters map to different physical zones per account (zone ids are the stable names),
                    // and not every region has every letter; AWS rejects an unknown zone at create.
                    if (a.size() == 2) yield zoneName(name, string(name, a, 0), a.get(1));
                    arity(name, a, 1);
                    yield zoneName(name, region, a.get(0));
                }
                case "zones" -> {
                    if (a.size() != 1 && a.size() != 2) throw new EvalException("zones(n) or zones(region, n) takes 1 or 2 arguments, got " + a.size());
                    String r = a.size() == 2 ? string(name, a, 0) : region;
                    long n = integer(name, a, a.size() - 1);
                    if (n < 1 || n > 26) throw new EvalException("zones(): n must be 1..26, got " + n);
                    List<Object> out = new ArrayList<>();
                    for (long i = 0; i < n; i++) out.add(zoneName(name, r, i));
                    yield out;
                }
                case "zoneindex" -> {
                    arity(name, a, 1);
                    String z = string(name, a, 0);
                    char last = z.isEmpty() ? '?' : z.charAt(z.length() - 1);
                    if (last < 'a' || last > 'z') throw new EvalException("zoneindex(): \"" + z + "\" does not end in a zone letter");
                    yield (long) (last - 'a');
                }
                default -> throw new EvalException("unknown function " + name + "()");
            };
        } catch (IllegalArgumentException e) {
            throw new EvalException(name + "(): " + e.getMessage());
        } catch (ArithmeticException e) {
            throw new EvalException(name + "(): number out of range");
        }
    }

    private static String zoneName(String fn, String region, Object which) {
        if (region == null) throw new EvalException(fn + "(): the stack has no region");
        if (which instanceof Long i) {
            if (i < 0 || i > 25) throw new EvalException(fn + "(): zone index must be 0..25, got " + i);
            return region + (char) ('a' + i);
        }
        if (which instanceof String s && s.length() == 1 && s.charAt(0) >= 'a' && s.charAt(0) <= 'z') return region + s;
        throw new EvalException(fn + "(): expected a zone index (0 = a) or a zone letter, got " + Evaluator.describe(which));
    }

    private static String address(Cidr host) {
        String s = host.toString();
        return s.substring(0, s.indexOf('/'));
    }

    private static String format(String fmt, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i >= fmt.length()) throw new EvalException("format(): '%' at the end of the format");
            char verb = fmt.charAt(i);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (next >= args.size()) throw new EvalException("format(): not enough arguments for \"" + fmt + "\"");
            Object v = args.get(next++);
            switch (verb) {
                case 's' -> out.append(scalarText("format", v));
                case 'd' -> {
                    if (!(v instanceof Long)) throw new EvalException("format(): %d needs a whole number, got " + Evaluator.describe(v));
                    out.append(v);
                }
                default -> throw new EvalException("format(): unknown verb %" + verb + " (use %s, %d, %%)");
            }
        }
        if (next != args.size()) throw new EvalException("format(): " + (args.size() - next) + " argument(s) left over for \"" + fmt + "\"");
        return out.toString();
    }

    static String scalarText(String fn, Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Long || v instanceof Boolean) return String.valueOf(v);
        if (v instanceof Double d) return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        throw new EvalException(fn + "(): expected a string, number or boolean, got " + Evaluator.describe(v));
    }

    private static void arity(String fn, List<Object> a, int n) {
        if (a.size() != n) throw new EvalException(fn + "() takes " + n + " argument" + (n == 1 ? "" : "s") + ", got " + a.size());
    }

    private static Cidr cidr(String fn, List<Object> a, int i) {
        String s = string(fn, a, i);
        try {
            return Cidr.parse(s);
        } catch (IllegalArgumentException e) {
            throw new EvalException(fn + "(): argument " + (i + 1) + ": " + e.getMessage());
        }
    }

    private static String string(String fn, List<Object> a, int i) {
        if (i >= a.size() || !(a.get(i) instanceof String s)) throw new EvalException(fn + "(): argument " + (i + 1) + " must be a string, got " + (i >= a.size() ? "nothing" : Evaluator.describe(a.get(i))));
        return s;
    }

    private static long integer(String fn, List<Object> a, int i) {
        if (i >= a.size() || !(a.get(i) instanceof Long n)) throw new EvalException(fn + "(): argument " + (i + 1) + " must be a whole number, got " + (i >= a.size() ? "nothing" : Evaluator.describe(a.get(i))));
        return n;
    }

    private static List<?> list(String fn, List<Object> a, int i) {
        if (i >= a.size() || !(a.get(i) instanceof List<?> l)) throw new EvalException(fn + "(): argument " + (i + 1) + " must be a list, got " + (i >= a.size() ? "nothing" : Evaluator.describe(a.get(i))));
        return l;
    }

    private static Map<?, ?> map(String fn, List<Object> a, int i) {
        if (i >= a.size() || !(a.get(i) instanceof Map<?, ?> m)) throw new EvalException(fn + "(): argument " + (i + 1) + " must be a map, got " + (i >= a.size() ? "nothing" : Evaluator.describe(a.get(i))));
        return m;
    }
}
