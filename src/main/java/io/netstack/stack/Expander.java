package io.netstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.stack.Evaluator.EvalException;
import io.netstack.stack.Evaluator.Instances;
import io.netstack.stack.Evaluator.Ref;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Expands a templated stack file (typed variables, locals, {@code forEach}, {@code if}, functions,
 * modules: docs/stack-format.md, "Templates") into a plain v1 tree, before the v1 loader and the
 * validator see it. Every expanded node keeps the location of the template text it came from, with
 * the instance it belongs to, so every later error points at the template's file:line:col and names
 * the instance. Everything here is evaluated offline: repetition keys and conditions must be known
 * before any AWS call, which is what lets plan show exact creates and deletes (Terraform's
 * "for_each value depends on resource attributes that cannot be determined until apply" cannot happen).
 */
public final class Expander {
    /** The expanded tree, the declared variables and their values as text (for digests and saved plans). */
    public record Expansion(LocatedJson json, Map<String, Variable> variables, Map<String, String> values, String sourceText) {}

    /** Environment variables {@code NETSTACK_VAR_<name>} set variables not given with --var or --var-file. */
    public static final String ENV_PREFIX = "NETSTACK_VAR_";
    static final Set<String> VAR_KEYS = Set.of("type", "default", "description", "allowed", "min", "max", "format");
    static final Set<String> TYPES = Set.of("string", "number", "bool", "list", "map");
    static final Set<String> FORMATS = Set.of("cidr", "ipv4-cidr", "ipv6-cidr");
    static final Set<String> MODULE_BLOCK_KEYS = Set.of("module", "inputs", "forEach", "if");
    static final Set<String> MODULE_TOP_LEVEL = Set.of("$schema", "description", "variables", "locals", "resources", "outputs");
    /** A string whose every ${…} is a v1 reference is plain v1 (loaded exactly as before). */
    /**
     * IAM policy variables ({@code ${aws:username}}, {@code ${s3:prefix}}, {@code ${*}}) in policy
     * documents are not netstack's: they stay as written, in templates as in v1.
     */
    private static final Pattern IAM_POLICY_VARIABLE = Pattern.compile("(?!stack:)[A-Za-z][A-Za-z0-9-]*:[^}]*|[*?$]");
    private static final Pattern V1_BODY = Pattern.compile("var\\.[A-Za-z0-9_-]+|env\\..+|stack:.+|(?!each\\.|local\\.)[a-z][a-z0-9-]{0,62}(\\.[A-Za-z][A-Za-z0-9]*)?");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Object ABSENT = new Object();

    /** An error already reported at its own location (a local, a module input): callers skip it. */
    private static final class Reported extends RuntimeException {
        Reported() {
            super(null, null, false, false);
        }
    }

    private final List<StackError> errors = new ArrayList<>();
    private final Map<String, Location> locs = new HashMap<>();
    /** Expanded resource id → the module instances and forEach key it came from (plans show it). */
    private final Map<String, Origin> origins = new LinkedHashMap<>();
    private final Map<String, Expr.Node> parsed = new HashMap<>();
    private final StringBuilder sourceText = new StringBuilder();
    private String region;

    private Expander() {}

    /** Whether the document uses any extension of the v1 format (otherwise it is loaded exactly as v1). */
    public static boolean isTemplate(JsonNode root) {
        if (!root.isObject()) return false;
        if (root.has("locals")) return true;
        JsonNode vars = root.get("variables");
        if (vars != null && vars.isObject()) {
            for (JsonNode v : vars) {
                if (!v.isObject()) continue;
                for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    // only the template keys: an unknown key stays a v1 error ("unknown key in variable")
                    if (VAR_KEYS.contains(k) && !k.equals("default") && !k.equals("description")) return true;
                }
                if (v.has("default") && v.get("default").isContainerNode()) return true;
            }
        }
        JsonNode res = root.get("resources");
        if (res != null && res.isObject()) {
            for (JsonNode b : res) {
                if (b.isObject() && (b.has("forEach") || b.has("if") || b.has("module"))) return true;
            }
        }
        return usesExpressions(root);
    }

    private static boolean usesExpressions(JsonNode n) {
        if (n.isTextual()) {
            String s = n.asText();
            if (!s.contains("${")) return false;
            try {
                List<String> seg = Expr.segments(s);
                for (int i = 1; i < seg.size(); i += 2) {
                    if (!V1_BODY.matcher(seg.get(i)).matches() && !IAM_POLICY_VARIABLE.matcher(seg.get(i)).matches()) return true;
                }
            } catch (Expr.ParseException e) {
                return false;
            }
            return false;
        }
        if (n.isObject() && n.has("if")) return true;
        for (JsonNode c : n) if (usesExpressions(c)) return true;
        return false;
    }

    /**
     * Expands {@code src}. {@code vars} are --var and --var-file values as text (lists and maps as
     * JSON); {@code env} the process environment ({@code NETSTACK_VAR_*} are read from it).
     */
    public static Expansion expand(LocatedJson src, String text, Map<String, String> vars, Map<String, String> env) {
        Expander x = new Expander();
        x.sourceText.append(text);
        return x.run(src, vars, env);
    }

    private Expansion run(LocatedJson src, Map<String, String> vars, Map<String, String> env) {
        JsonNode root = src.root();
        if (!root.isObject()) throw new StackException(src.at(""), "a stack file must be a JSON object");
        region = root.path("region").asText(null);
        Path dir = parentOf(src.file());
        Unit unit = new Unit(src, dir, "", List.of(), new LinkedHashSet<>(List.of(key(src.file()))));

        Map<String, Variable> declared = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        unit.declareVariables();
        for (Map.Entry<String, String> e : vars.entrySet()) {
            if (!unit.decls.containsKey(e.getKey())) errors.add(new StackError(src.at("/variables"), "--var " + e.getKey() + " is not a variable of this stack"));
        }
        for (VarDecl d : unit.decls.values()) {
            declared.put(d.name, new Variable(d.name, d.defaultValue == null ? null : text(d.defaultValue), d.description));
            String given = vars.containsKey(d.name) ? vars.get(d.name) : env.get(ENV_PREFIX + d.name);
            String source = vars.containsKey(d.name) ? "--var " + d.name : ENV_PREFIX + d.name;
            if (given != null) {
                try {
                    Object v = d.check(parseText(d.type, given), source);
                    unit.varValues.put(d.name, v);
                    values.put(d.name, given);
                } catch (EvalException ex) {
                    errors.add(new StackError(src.at(d.ptr), ex.getMessage()));
                    unit.varValues.put(d.name, ABSENT);
                }
            } else if (d.defaultValue != null) {
                unit.varValues.put(d.name, d.defaultValue);
            }
        }

        ObjectNode out = F.objectNode();
        locs.put("", src.at(""));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            String ptr = "/" + LocatedJson.escape(k);
            if (k.equals("variables") || k.equals("locals")) continue;
            locs.put(ptr + "#key", src.keyAt(ptr));
            if (k.equals("resources") && e.getValue().isObject()) {
                locs.put(ptr, src.at(ptr));
                out.set(k, unit.expandResources());
            } else if (k.equals("stack") || k.equals("region") || k.equals("$schema")) {
                copyLocated(src, e.getValue(), ptr, ptr, null);
                out.set(k, e.getValue());
            } else {
                JsonNode v = unit.expand(e.getValue(), ptr, ptr, unit.scope(null), null);
                if (v != null) out.set(k, v);
            }
        }
        if (!errors.isEmpty()) throw new StackException(errors);
        return new Expansion(LocatedJson.of(src.file(), out, locs, origins), declared, values, sourceText.toString());
    }

    private void copyLocated(LocatedJson src, JsonNode n, String tp, String op, String label) {
        locs.put(op, label(src.at(tp), label));
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                String k = "/" + LocatedJson.escape(e.getKey());
                locs.put(op + k + "#key", label(src.keyAt(tp + k), label));
                copyLocated(src, e.getValue(), tp + k, op + k, label);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) copyLocated(src, n.get(i), tp + "/" + i, op + "/" + i, label);
        }
    }

    private static Location label(Location l, String label) {
        return label == null ? l : l.in(label);
    }

    private static Path parentOf(String file) {
        Path p = Path.of(file).toAbsolutePath().getParent();
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    private static String key(String file) {
        return Path.of(file).toAbsolutePath().normalize().toString();
    }

    // ---- variables ---------------------------------------------------------------------------------

    private final class VarDecl {
        String name, ptr, type, description, format;
        Object defaultValue;
        List<Object> allowed;
        Double min, max;

        Object check(Object v, String source) {
            if (v == null) throw new EvalException(source + ": null is not a value");
            if (!Evaluator.typeOf(v).equals(type)) throw new EvalException(source + " must be a " + type + ", got " + Evaluator.describe(v));
            if (allowed != null) {
                List<Object> items = v instanceof List<?> l ? new ArrayList<>(l) : v instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : List.of(v);
                for (Object o : items) {
                    if (allowed.stream().noneMatch(a -> Evaluator.same(a, o))) {
                        throw new EvalException(source + ": " + Evaluator.describe(o) + " is not allowed (allowed: " + text(allowed) + ")");
                    }
                }
            }
            if (min != null || max != null) {
                double size = v instanceof Number n ? n.doubleValue() : v instanceof String s ? s.length()
                        : v instanceof List<?> l ? l.size() : v instanceof Map<?, ?> m ? m.size() : 0;
                String what = v instanceof Number ? "" : (v instanceof String ? " character" : " element") + (size == 1 ? "" : "s");
                if (min != null && size < min) throw new EvalException(source + ": " + fmt(size) + what + " is below the minimum " + fmt(min));
                if (max != null && size > max) throw new EvalException(source + ": " + fmt(size) + what + " is above the maximum " + fmt(max));
            }
            if (format != null) {
                List<Object> items = v instanceof List<?> l ? new ArrayList<>(l) : v instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : List.of(v);
                for (Object o : items) {
                    if (!(o instanceof String s)) throw new EvalException(source + ": format " + format + " needs strings, got " + Evaluator.describe(o));
                    Cidr c;
                    try {
                        c = Cidr.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw new EvalException(source + ": " + e.getMessage());
                    }
                    if (format.equals("ipv4-cidr") && c.ipv6()) throw new EvalException(source + ": \"" + s + "\" is not an IPv4 CIDR block");
                    if (format.equals("ipv6-cidr") && !c.ipv6()) throw new EvalException(source + ": \"" + s + "\" is not an IPv6 CIDR block");
                }
            }
            return v;
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** A --var / --var-file / environment value (text) as a value of the variable's type. */
    static Object parseText(String type, String s) {
        switch (type) {
            case "string" -> { return s; }
            case "number" -> {
                try {
                    return s.contains(".") ? (Object) Double.parseDouble(s.trim()) : (Object) Long.parseLong(s.trim());
                } catch (NumberFormatException e) {
                    throw new EvalException("\"" + s + "\" is not a number");
                }
            }
            case "bool" -> {
                if (s.trim().equals("true")) return true;
                if (s.trim().equals("false")) return false;
                throw new EvalException("\"" + s + "\" is not a bool (true or false)");
            }
            default -> {
                try {
                    return toValue(MAPPER.readTree(s));
                } catch (IOException e) {
                    throw new EvalException("\"" + s + "\" is not JSON (a " + type + " is given as JSON, e.g. " + (type.equals("list") ? "[\"a\",\"b\"]" : "{\"k\":\"v\"}") + ")");
                }
            }
        }
    }

    // ---- values <-> JSON ---------------------------------------------------------------------------

    public static Object toValue(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) return n.asLong();
        if (n.isNumber()) return n.asDouble();
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode c : n) l.add(toValue(c));
            return l;
        }
        Map<String, Object> m = Evaluator.map();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), toValue(e.getValue())));
        return m;
    }

    @SuppressWarnings("unchecked") // toValue of a JSON array is a List<Object>
    private static List<Object> listValue(JsonNode array) {
        return (List<Object>) toValue(array);
    }

    public static JsonNode toJson(Object v) {
        if (v == null) return F.nullNode();
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Ref r) return F.textNode(r.text());
        if (v instanceof Long l) return F.numberNode(l);
        if (v instanceof Double d) return F.numberNode(new java.math.BigDecimal(String.valueOf(d)));
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            for (Object o : l) a.add(toJson(o));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
            return o;
        }
        if (v instanceof Instances in) throw new EvalException(in.id() + " is repeated (forEach): use " + in.id() + "[key] or " + in.id() + "[*]");
        throw new EvalException("cannot write " + Evaluator.describe(v) + " into the stack");
    }

    static String text(Object v) {
        if (v instanceof String s) return s;
        return toJson(v).toString();
    }

    // ---- one file: the root stack or one instance of a module --------------------------------------

    private record Inst(String key, Object value, long index, String outId) {}

    private final class Template {
        final String id, ptr;
        final JsonNode block;
        final boolean module, repeated;
        List<Inst> instances;
        boolean resolving;
        Object handle;
        /** Module instance key → its unit (after expansion). */
        final Map<String, Unit> modules = new LinkedHashMap<>();
        boolean expanded, expanding;
        final LinkedHashMap<String, JsonNode> emitted = new LinkedHashMap<>();

        Template(String id, String ptr, JsonNode block) {
            this.id = id;
            this.ptr = ptr;
            this.block = block;
            this.module = block.isObject() && block.has("module");
            this.repeated = block.isObject() && block.has("forEach");
        }
    }

    private final class Unit {
        final LocatedJson src;
        final Path dir;
        final String prefix;
        /** Labels of the module instances this unit is inside, outermost first ("module net"). */
        final List<String> chain;
        final Set<String> files;
        final Map<String, VarDecl> decls = new LinkedHashMap<>();
        final Map<String, Object> varValues = new HashMap<>();
        final Map<String, Object> localValues = new HashMap<>();
        final Set<String> localsResolving = new LinkedHashSet<>();
        final Map<String, Template> templates = new LinkedHashMap<>();
        Map<String, Object> outputs;
        /** The module instance ids this unit is inside, outermost first; the innermost one's forEach key (or null). */
        List<String> modules = List.of();
        String moduleKey;

        Unit(LocatedJson src, Path dir, String prefix, List<String> chain, Set<String> files) {
            this.src = src;
            this.dir = dir;
            this.prefix = prefix;
            this.chain = chain;
            this.files = files;
            JsonNode res = src.root().get("resources");
            if (res != null && res.isObject()) {
                res.fields().forEachRemaining(e -> templates.put(e.getKey(), new Template(e.getKey(), "/resources/" + LocatedJson.escape(e.getKey()), e.getValue())));
            }
        }

        void declareVariables() {
            JsonNode vars = src.root().get("variables");
            if (vars == null) return;
            if (!vars.isObject()) {
                errors.add(new StackError(src.at("/variables"), "\"variables\" must be an object"));
                return;
            }
            vars.fields().forEachRemaining(e -> {
                String ptr = "/variables/" + LocatedJson.escape(e.getKey());
                JsonNode v = e.getValue();
                if (!v.isObject()) {
                    errors.add(new StackError(src.at(ptr), "variable \"" + e.getKey() + "\" must be an object {\"type\": …, \"default\": …, \"description\": …}"));
                    return;
                }
                VarDecl d = new VarDecl();
                d.name = e.getKey();
                d.ptr = ptr;
                v.fieldNames().forEachRemaining(k -> {
                    if (!VAR_KEYS.contains(k)) errors.add(new StackError(src.keyAt(ptr + "/" + k), "unknown key \"" + k + "\" in variable (expected " + String.join(", ", new java.util.TreeSet<>(VAR_KEYS)) + ")"));
                });
                d.description = v.path("description").asText(null);
                d.defaultValue = toValue(v.get("default"));
                JsonNode t = v.get("type");
                if (t != null) {
                    if (!t.isTextual() || !TYPES.contains(t.asText())) {
                        errors.add(new StackError(src.at(ptr + "/type"), "variable type must be one of bool, list, map, number, string"));
                        return;
                    }
                    d.type = t.asText();
                } else {
                    d.type = d.defaultValue == null ? "string" : Evaluator.typeOf(d.defaultValue);
                }
                JsonNode allowed = v.get("allowed");
                if (allowed != null) {
                    if (!allowed.isArray() || allowed.isEmpty()) errors.add(new StackError(src.at(ptr + "/allowed"), "\"allowed\" must be a non-empty list of values"));
                    else d.allowed = listValue(allowed);
                }
                for (String k : List.of("min", "max")) {
                    JsonNode n = v.get(k);
                    if (n == null) continue;
                    if (!n.isNumber()) errors.add(new StackError(src.at(ptr + "/" + k), "\"" + k + "\" must be a number (a range for numbers, a length for strings, lists and maps)"));
                    else if (k.equals("min")) d.min = n.asDouble();
                    else d.max = n.asDouble();
                }
                JsonNode f = v.get("format");
                if (f != null) {
                    if (!f.isTextual() || !FORMATS.contains(f.asText())) errors.add(new StackError(src.at(ptr + "/format"), "\"format\" must be one of cidr, ipv4-cidr, ipv6-cidr"));
                    else d.format = f.asText();
                }
                if (d.defaultValue != null) {
                    try {
                        d.check(d.defaultValue, "default of " + d.name);
                    } catch (EvalException ex) {
                        errors.add(new StackError(src.at(ptr + "/default"), ex.getMessage()));
                        d.defaultValue = null;
                    }
                }
                decls.put(d.name, d);
            });
        }

        Evaluator.Scope scope(Inst each) {
            Unit u = this;
            return new Evaluator.Scope() {
                @Override
                public Object variable(String name) {
                    if (!decls.containsKey(name)) throw new EvalException("unknown variable var." + name + (decls.isEmpty() ? "" : " (variables: " + String.join(", ", decls.keySet()) + ")"));
                    Object v = varValues.get(name);
                    if (v == ABSENT) throw new Reported();
                    if (v == null && !varValues.containsKey(name)) {
                        throw new EvalException("variable \"" + name + "\" has no value: " + (chain.isEmpty()
                                ? "pass --var " + name + "=…, put it in a --var-file, set " + ENV_PREFIX + name + ", or give it a default"
                                : "pass it in the module's \"inputs\", or give it a default"));
                    }
                    return v;
                }

                @Override
                public Object local(String name) {
                    return u.local(name);
                }

                @Override
                public Object each(String field) {
                    if (each == null || each.key() == null) throw new EvalException("each." + field + " is only defined inside a resource with \"forEach\"");
                    return switch (field) {
                        case "key" -> each.key();
                        case "value" -> each.value();
                        case "index" -> each.index();
                        default -> throw new EvalException("each has key, value and index, not " + field);
                    };
                }

                @Override
                public Object resource(String id) {
                    return u.handle(id);
                }

                @Override
                public String region() {
                    return region;
                }
            };
        }

        Object local(String name) {
            JsonNode locals = src.root().get("locals");
            if (locals == null || !locals.isObject() || !locals.has(name)) throw new EvalException("unknown local.\"" + name + "\"");
            if (localValues.containsKey(name)) {
                Object v = localValues.get(name);
                if (v == ABSENT) throw new Reported();
                return v;
            }
            String ptr = "/locals/" + LocatedJson.escape(name);
            if (!localsResolving.add(name)) {
                List<String> cycle = new ArrayList<>(localsResolving);
                cycle = cycle.subList(cycle.indexOf(name), cycle.size());
                throw new EvalException("cycle between locals: " + String.join(" → ", cycle) + " → " + name);
            }
            try {
                Object v = value(locals.get(name), ptr, scope(null), moduleLabel());
                localValues.put(name, v);
                return v;
            } catch (Reported r) {
                localValues.put(name, ABSENT);
                throw r;
            } finally {
                localsResolving.remove(name);
            }
        }

        String moduleLabel() {
            return chain.isEmpty() ? null : String.join(", ", chain);
        }

        /** What {@code ${id}} means here: a Ref, Instances, module outputs; fails for absent resources. */
        Object handle(String id) {
            Template t = templates.get(id);
            if (t == null) {
                if (chain.isEmpty()) return new Ref(id, null); // v1: the validator reports unknown references
                throw new EvalException("unknown resource " + id + " in this module (a module sees only its own resources, variables and locals)");
            }
            List<Inst> inst = instances(t);
            if (t.module) {
                expandTemplate(t);
                if (t.repeated) {
                    Map<String, Object> byKey = new LinkedHashMap<>();
                    for (Inst i : inst) {
                        Unit m = t.modules.get(i.key());
                        if (m != null && m.outputs != null) byKey.put(i.key(), m.outputs);
                    }
                    return new Instances(prefix + id, byKey);
                }
                Unit m = inst.isEmpty() ? null : t.modules.get("");
                if (m == null) throw new EvalException("module " + id + " is not used: its \"if\" is false");
                if (m.outputs == null) throw new Reported();
                return m.outputs;
            }
            if (t.repeated) {
                Map<String, Object> byKey = new LinkedHashMap<>();
                for (Inst i : inst) byKey.put(i.key(), new Ref(i.outId(), null));
                return new Instances(prefix + id, byKey);
            }
            if (inst.isEmpty()) throw new EvalException("resource " + prefix + id + " is not created: its \"if\" is false (guard the reference with the same condition)");
            return new Ref(inst.get(0).outId(), null);
        }

        /** The instances of a template: its forEach keys (or one), filtered by its "if"; cached. */
        List<Inst> instances(Template t) {
            if (t.instances != null) return t.instances;
            if (t.resolving) throw new EvalException("cycle: the \"forEach\" or \"if\" of " + prefix + t.id + " depends on itself");
            t.resolving = true;
            List<Inst> out = new ArrayList<>();
            try {
                if (!t.block.isObject()) return t.instances = out;
                List<Inst> candidates = new ArrayList<>();
                if (t.repeated) {
                    Object each;
                    try {
                        each = value(t.block.get("forEach"), t.ptr + "/forEach", scope(null), moduleLabel());
                    } catch (Reported r) {
                        return t.instances = out;
                    }
                    Map<String, String> idOfKey = new HashMap<>();
                    Map<String, String> keyOfId = new HashMap<>();
                    String problem = null;
                    long index = 0;
                    List<Map.Entry<String, Object>> entries = new ArrayList<>();
                    if (each instanceof List<?> l) {
                        for (Object o : l) {
                            if (o instanceof String || o instanceof Long) entries.add(Map.entry(String.valueOf(o), o));
                            else { problem = "forEach over a list needs strings or numbers (they become the instance keys); use a map for " + Evaluator.describe(o); break; }
                        }
                    } else if (each instanceof Map<?, ?> m) {
                        for (Map.Entry<?, ?> e : m.entrySet()) entries.add(Map.entry(String.valueOf(e.getKey()), e.getValue() == null ? "" : e.getValue()));
                    } else if (each instanceof Ref r) {
                        problem = "forEach is " + r.text() + ", known only after apply: repetition keys must be known offline (variables, literals, functions of them)";
                    } else {
                        problem = "forEach must be a list or a map, got " + Evaluator.describe(each);
                    }
                    if (problem != null) {
                        errors.add(new StackError(label(src.at(t.ptr + "/forEach"), moduleLabel()), problem));
                        return t.instances = out;
                    }
                    for (Map.Entry<String, Object> e : entries) {
                        String k = e.getKey();
                        if (idOfKey.containsKey(k)) {
                            errors.add(new StackError(label(src.at(t.ptr + "/forEach"), moduleLabel()), "forEach key \"" + k + "\" appears twice"));
                            continue;
                        }
                        String sanitized = sanitize(k);
                        String outId = prefix + t.id + "-" + sanitized;
                        if (sanitized.isEmpty() || keyOfId.containsKey(outId)) {
                            errors.add(new StackError(label(src.at(t.ptr + "/forEach"), moduleLabel()), sanitized.isEmpty()
                                    ? "forEach key \"" + k + "\" gives no usable id (keys are lower-cased, and characters other than a-z, 0-9 and - become -)"
                                    : "forEach keys \"" + keyOfId.get(outId) + "\" and \"" + k + "\" both give the id " + outId));
                            continue;
                        }
                        idOfKey.put(k, outId);
                        keyOfId.put(outId, k);
                        candidates.add(new Inst(k, e.getValue(), index++, outId));
                    }
                } else {
                    candidates.add(new Inst(null, null, 0, prefix + t.id));
                }
                for (Inst i : candidates) {
                    JsonNode cond = t.block.get("if");
                    if (cond != null) {
                        try {
                            Object c = value(cond, t.ptr + "/if", scope(i), instanceLabel(t, i));
                            if (!Evaluator.bool(c, "\"if\"")) continue;
                        } catch (EvalException ex) {
                            errors.add(new StackError(label(src.at(t.ptr + "/if"), instanceLabel(t, i)), ex.getMessage()));
                            continue;
                        } catch (Reported r) {
                            continue;
                        }
                    }
                    out.add(i);
                }
                return t.instances = out;
            } finally {
                t.resolving = false;
            }
        }

        String instanceLabel(Template t, Inst i) {
            List<String> parts = new ArrayList<>(chain);
            if (t.repeated) parts.add("forEach key \"" + i.key() + "\"");
            if (parts.isEmpty()) return null;
            return (t.module ? "module " + i.outId() : i.outId()) + ": " + String.join(", ", parts);
        }

        ObjectNode expandResources() {
            ObjectNode res = F.objectNode();
            Map<String, String> where = new HashMap<>();
            collect(res, where);
            return res;
        }

        void collect(ObjectNode res, Map<String, String> where) {
            for (Template t : templates.values()) {
                expandTemplate(t);
                if (t.module) {
                    for (Unit m : t.modules.values()) m.collect(res, where);
                    continue;
                }
                for (Map.Entry<String, JsonNode> e : t.emitted.entrySet()) {
                    if (res.has(e.getKey())) {
                        errors.add(new StackError(locs.get("/resources/" + LocatedJson.escape(e.getKey()) + "#key"),
                                "two resources expand to the id " + e.getKey() + " (the other is written at " + where.get(e.getKey()) + ")"));
                        continue;
                    }
                    where.put(e.getKey(), src.keyAt(t.ptr).toString());
                    res.set(e.getKey(), e.getValue());
                }
            }
        }

        void expandTemplate(Template t) {
            if (t.expanded) return;
            if (t.expanding) throw new EvalException("cycle: module " + prefix + t.id + " depends on its own outputs");
            t.expanding = true;
            try {
                if (!t.block.isObject()) {
                    // v1 reports a non-object block; keep it so that it does
                    if (chain.isEmpty()) {
                        t.emitted.put(t.id, t.block);
                        copyLocated(src, t.block, t.ptr, "/resources/" + LocatedJson.escape(t.id), null);
                        locs.put("/resources/" + LocatedJson.escape(t.id) + "#key", src.keyAt(t.ptr));
                    } else {
                        errors.add(new StackError(src.at(t.ptr), "resource \"" + t.id + "\" must be an object with a \"type\""));
                    }
                    return;
                }
                for (Inst i : instances(t)) {
                    if (t.module) expandModule(t, i);
                    else expandResource(t, i);
                }
            } finally {
                t.expanded = true;
                t.expanding = false;
            }
        }

        void expandResource(Template t, Inst i) {
            String label = instanceLabel(t, i);
            String op = "/resources/" + LocatedJson.escape(i.outId());
            if (!StackLoader.RESOURCE_ID.matcher(i.outId()).matches()) {
                errors.add(new StackError(label(src.keyAt(t.ptr), label), "resource id \"" + i.outId() + "\" must match [a-z][a-z0-9-]{0,62}"));
                return;
            }
            locs.put(op + "#key", label(src.keyAt(t.ptr), label));
            locs.put(op, label(src.at(t.ptr), label));
            ObjectNode block = F.objectNode();
            Evaluator.Scope sc = scope(i);
            for (Iterator<Map.Entry<String, JsonNode>> it = t.block.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("forEach") || e.getKey().equals("if")) continue;
                String k = "/" + LocatedJson.escape(e.getKey());
                locs.put(op + k + "#key", label(src.keyAt(t.ptr + k), label));
                JsonNode v = expand(e.getValue(), t.ptr + k, op + k, sc, label);
                if (v != null) block.set(e.getKey(), v);
            }
            t.emitted.put(i.outId(), block);
            if (t.repeated || !modules.isEmpty()) origins.put(i.outId(), new Origin(modules, moduleKey, t.repeated ? i.key() : null, src.keyAt(t.ptr)));
        }

        void expandModule(Template t, Inst i) {
            String label = instanceLabel(t, i);
            Location at = label(src.at(t.ptr), label);
            for (Iterator<String> it = t.block.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!MODULE_BLOCK_KEYS.contains(k)) {
                    errors.add(new StackError(label(src.keyAt(t.ptr + "/" + LocatedJson.escape(k)), label), "unknown key \"" + k + "\" in a module block (expected forEach, if, inputs, module)"));
                }
            }
            JsonNode path = t.block.get("module");
            if (!path.isTextual() || path.asText().isBlank()) {
                errors.add(new StackError(label(src.at(t.ptr + "/module"), label), "\"module\" must be the path of a module file, relative to this file"));
                return;
            }
            Path file = dir.resolve(path.asText()).normalize();
            String shown = displayPath(file);
            String fileKey = key(file.toString());
            if (files.contains(fileKey)) {
                errors.add(new StackError(label(src.at(t.ptr + "/module"), label), "module cycle: " + shown + " uses itself (through " + String.join(" → ", files.stream().map(f -> displayPath(Path.of(f))).toList()) + ")"));
                return;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                errors.add(new StackError(label(src.at(t.ptr + "/module"), label), "cannot read module " + shown + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage())));
                return;
            }
            sourceText.append('\0').append(shown).append('\0').append(text);
            LocatedJson msrc = LocatedJson.parse(shown, text);
            if (!msrc.root().isObject()) {
                errors.add(new StackError(msrc.at(""), "a module file must be a JSON object"));
                return;
            }
            for (Iterator<String> it = msrc.root().fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!MODULE_TOP_LEVEL.contains(k)) {
                    errors.add(new StackError(msrc.keyAt("/" + LocatedJson.escape(k)), "unknown top-level key \"" + k + "\" in a module (expected " + String.join(", ", new java.util.TreeSet<>(MODULE_TOP_LEVEL)) + "; stack, region and tags come from the stack that uses it)"));
                }
            }
            List<String> chain2 = new ArrayList<>(chain);
            chain2.add("module " + i.outId());
            Set<String> files2 = new LinkedHashSet<>(files);
            files2.add(fileKey);
            Unit m = new Unit(msrc, file.getParent(), i.outId() + "-", chain2, files2);
            List<String> modules2 = new ArrayList<>(modules);
            modules2.add(i.outId());
            m.modules = List.copyOf(modules2);
            m.moduleKey = i.key();
            m.declareVariables();
            // inputs, evaluated here (they may use this file's variables, each, resources)
            JsonNode inputs = t.block.get("inputs");
            Set<String> given = new HashSet<>();
            if (inputs != null && !inputs.isObject()) {
                errors.add(new StackError(label(src.at(t.ptr + "/inputs"), label), "\"inputs\" must be an object of variable name → value"));
            } else if (inputs != null) {
                Evaluator.Scope sc = scope(i);
                for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String ip = t.ptr + "/inputs/" + LocatedJson.escape(e.getKey());
                    VarDecl d = m.decls.get(e.getKey());
                    if (d == null) {
                        errors.add(new StackError(label(src.keyAt(ip), label), "module " + shown + " has no variable \"" + e.getKey() + "\"" + (m.decls.isEmpty() ? "" : " (variables: " + String.join(", ", m.decls.keySet()) + ")")));
                        continue;
                    }
                    given.add(e.getKey());
                    try {
                        Object v = value(e.getValue(), ip, sc, label);
                        if (v instanceof Ref || containsRef(v)) {
                            // references pass through to the module's resources as v1 references
                            m.varValues.put(d.name, v);
                        } else {
                            m.varValues.put(d.name, d.check(v, "input " + d.name));
                        }
                    } catch (EvalException ex) {
                        errors.add(new StackError(label(src.at(ip), label), ex.getMessage()));
                        m.varValues.put(d.name, ABSENT);
                    } catch (Reported r) {
                        m.varValues.put(d.name, ABSENT);
                    }
                }
            }
            for (VarDecl d : m.decls.values()) {
                if (!given.contains(d.name) && d.defaultValue != null) m.varValues.put(d.name, d.defaultValue);
                else if (!given.contains(d.name)) errors.add(new StackError(at, "module " + i.outId() + " needs input \"" + d.name + "\"" + (d.description == null ? "" : " (" + d.description + ")")));
            }
            t.modules.put(i.key() == null ? "" : i.key(), m);
            // outputs first need only handles, so they are available to resources written before the module
            Map<String, Object> outs = new LinkedHashMap<>();
            JsonNode o = msrc.root().get("outputs");
            if (o != null && o.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    try {
                        outs.put(e.getKey(), m.value(e.getValue(), "/outputs/" + LocatedJson.escape(e.getKey()), m.scope(null), m.moduleLabel()));
                    } catch (EvalException ex) {
                        errors.add(new StackError(label(msrc.at("/outputs/" + LocatedJson.escape(e.getKey())), m.moduleLabel()), ex.getMessage()));
                    } catch (Reported r) {
                        // reported where it happened
                    }
                }
            } else if (o != null) {
                errors.add(new StackError(msrc.at("/outputs"), "\"outputs\" must be an object of name → value"));
            }
            m.outputs = outs;
            for (Template mt : m.templates.values()) m.expandTemplate(mt);
        }

        /** Evaluates a template value (a JSON string with ${…}, or JSON holding such strings) to a typed value. */
        Object value(JsonNode n, String tp, Evaluator.Scope sc, String label) {
            if (n == null) return null;
            if (n.isTextual()) {
                try {
                    return interpolate(n.asText(), sc);
                } catch (EvalException | Expr.ParseException ex) {
                    errors.add(new StackError(label(src.at(tp), label), ex.getMessage()));
                    throw new Reported();
                }
            }
            if (n.isArray()) {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < n.size(); i++) l.add(value(n.get(i), tp + "/" + i, sc, label));
                return l;
            }
            if (n.isObject()) {
                Map<String, Object> m = Evaluator.map();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), value(e.getValue(), tp + "/" + LocatedJson.escape(e.getKey()), sc, label));
                }
                return m;
            }
            return toValue(n);
        }

        /**
         * Expands one template node into v1 JSON, recording locations; null = left out (a false "if").
         * Errors are recorded and the node is left out.
         */
        JsonNode expand(JsonNode n, String tp, String op, Evaluator.Scope sc, String label) {
            Location at = label(src.at(tp), label);
            if (n.isTextual()) {
                Object v;
                try {
                    v = interpolate(n.asText(), sc);
                    JsonNode j = toJson(v);
                    recordAll(j, op, at);
                    return j;
                } catch (EvalException | Expr.ParseException ex) {
                    errors.add(new StackError(at, ex.getMessage()));
                    return null;
                } catch (Reported r) {
                    return null;
                }
            }
            if (n.isObject()) {
                if (n.has("if")) {
                    boolean holds;
                    try {
                        holds = Evaluator.bool(value(n.get("if"), tp + "/if", sc, label), "\"if\"");
                    } catch (EvalException ex) {
                        errors.add(new StackError(label(src.at(tp + "/if"), label), ex.getMessage()));
                        return null;
                    } catch (Reported r) {
                        return null;
                    }
                    boolean conditional = n.has("then") && n.size() <= 3 && (n.size() == 2 || n.has("else"));
                    if (conditional) {
                        String branch = holds ? "then" : "else";
                        if (!n.has(branch)) return null;
                        return expand(n.get(branch), tp + "/" + branch, op, sc, label);
                    }
                    if (!holds) return null;
                }
                ObjectNode o = F.objectNode();
                locs.put(op, at);
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getKey().equals("if")) continue;
                    String k = "/" + LocatedJson.escape(e.getKey());
                    locs.put(op + k + "#key", label(src.keyAt(tp + k), label));
                    JsonNode v = expand(e.getValue(), tp + k, op + k, sc, label);
                    if (v != null) o.set(e.getKey(), v);
                }
                return o;
            }
            if (n.isArray()) {
                ArrayNode a = F.arrayNode();
                locs.put(op, at);
                for (int i = 0; i < n.size(); i++) {
                    JsonNode item = n.get(i);
                    // a whole-string expression that is a list (e.g. "${public[*]}") is spliced into the list
                    if (item.isTextual() && isWholeExpression(item.asText())) {
                        try {
                            Object v = interpolate(item.asText(), sc);
                            if (v instanceof List<?> l) {
                                for (Object x : l) {
                                    JsonNode j = toJson(x);
                                    recordAll(j, op + "/" + a.size(), label(src.at(tp + "/" + i), label));
                                    a.add(j);
                                }
                                continue;
                            }
                        } catch (EvalException | Expr.ParseException ex) {
                            errors.add(new StackError(label(src.at(tp + "/" + i), label), ex.getMessage()));
                            continue;
                        } catch (Reported r) {
                            continue;
                        }
                    }
                    JsonNode v = expand(item, tp + "/" + i, op + "/" + a.size(), sc, label);
                    if (v != null) a.add(v);
                }
                return a;
            }
            locs.put(op, at);
            return n;
        }

        private void recordAll(JsonNode j, String op, Location at) {
            locs.put(op, at);
            if (j.isObject()) {
                j.fields().forEachRemaining(e -> {
                    String k = op + "/" + LocatedJson.escape(e.getKey());
                    locs.put(k + "#key", at);
                    recordAll(e.getValue(), k, at);
                });
            } else if (j.isArray()) {
                for (int i = 0; i < j.size(); i++) recordAll(j.get(i), op + "/" + i, at);
            }
        }
    }

    private static boolean containsRef(Object v) {
        if (v instanceof Ref) return true;
        if (v instanceof List<?> l) return l.stream().anyMatch(Expander::containsRef);
        if (v instanceof Map<?, ?> m) return m.values().stream().anyMatch(Expander::containsRef);
        return false;
    }

    private static boolean isWholeExpression(String s) {
        if (!s.startsWith("${") || !s.endsWith("}")) return false;
        try {
            List<String> seg = Expr.segments(s);
            return seg.size() == 3 && seg.get(0).isEmpty() && seg.get(2).isEmpty();
        } catch (Expr.ParseException e) {
            return false;
        }
    }

    private String displayPath(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    /** A string with ${…}: one whole expression keeps its type, text around expressions makes a string. */
    private Object interpolate(String s, Evaluator.Scope sc) {
        if (!s.contains("${")) return s;
        List<String> seg = Expr.segments(s);
        if (seg.size() == 3 && seg.get(0).isEmpty() && seg.get(2).isEmpty()) return evalBody(seg.get(1), sc);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < seg.size(); i++) {
            if (i % 2 == 0) {
                b.append(seg.get(i));
                continue;
            }
            Object v = evalBody(seg.get(i), sc);
            if (v instanceof Ref r) b.append(r.text());
            else if (v instanceof List<?> || v instanceof Map<?, ?>) throw new EvalException("cannot put " + Evaluator.describe(v) + " into a string (use join() or format())");
            else if (v instanceof Instances in) throw new EvalException(in.id() + " is repeated (forEach): use " + in.id() + "[key] or " + in.id() + "[*]");
            else b.append(Functions.scalarText("${…}", v));
        }
        return b.toString();
    }

    private Object evalBody(String body, Evaluator.Scope sc) {
        String t = body.trim();
        // v1 references resolved at apply time or from another stack stay as they are
        if (t.startsWith("env.") || t.startsWith("stack:")) return new Ref(t, null);
        if (IAM_POLICY_VARIABLE.matcher(body).matches()) return "${" + body + "}";
        Expr.Node node = parsed.get(body);
        if (node == null) {
            try {
                node = Expr.parse(body);
            } catch (Expr.ParseException e) {
                throw new EvalException("cannot parse ${" + body + "}: " + e.getMessage() + " at character " + (e.offset + 1));
            }
            parsed.put(body, node);
        }
        Object v = new Evaluator(sc).eval(node);
        if (v instanceof Instances in) throw new EvalException(in.id() + " is repeated (forEach): use " + in.id() + "[key] for one instance or " + in.id() + "[*] for all");
        return v;
    }

    /** An instance key as an id suffix: lower case, characters other than a-z 0-9 - become -. */
    static String sanitize(String key) {
        String s = key.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        return s.replaceAll("^-+|-+$", "");
    }
}
