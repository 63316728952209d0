package io.netstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a stack file: JSON with locations, the top-level contract of stack-format.md, and
 * {@code ${var.name}} substitution. Resource properties are checked later against each type's
 * schema ({@code engine.Validation}); everything found here is reported at once.
 */
public final class StackLoader {
    public static final Pattern STACK_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    public static final Pattern RESOURCE_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Set<String> TOP_LEVEL = Set.of("$schema", "stack", "region", "tags", "variables", "resources", "outputs", "driftIgnore", "lintIgnore");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
    /** AWS: tag keys ≤ 128 characters, values ≤ 256; "aws:" is reserved by AWS, "netstack:" by us. */
    public static final int MAX_TAG_KEY = 128;
    public static final int MAX_TAG_VALUE = 256;

    private StackLoader() {}

    public static StackFile load(Path path, Map<String, String> vars) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StackException(Location.unknown(path.toString()), "no such file");
        } catch (IOException e) {
            throw new StackException(Location.unknown(path.toString()), "cannot read: " + e.getMessage());
        }
        return parse(path.toString(), text, vars);
    }

    public static StackFile parse(String file, String text, Map<String, String> vars) {
        LocatedJson json = LocatedJson.parse(file, text);
        List<StackError> errors = new ArrayList<>();
        JsonNode root = json.root();
        if (!root.isObject()) throw new StackException(json.at(""), "a stack file must be a JSON object");

        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_LEVEL.contains(k)) {
                errors.add(new StackError(json.keyAt("/" + LocatedJson.escape(k)), "unknown top-level key \"" + k + "\" (expected one of " + String.join(", ", new TreeMap<>(Map.of("stack", 1, "region", 1, "tags", 1, "variables", 1, "resources", 1, "outputs", 1, "driftIgnore", 1, "lintIgnore", 1)).keySet()) + ")"));
            }
        }
        String name = requiredString(json, root, "stack", errors);
        if (name != null && !STACK_NAME.matcher(name).matches()) {
            errors.add(new StackError(json.at("/stack"), "stack name \"" + name + "\" must match [a-z][a-z0-9-]{0,39}"));
        }
        String region = requiredString(json, root, "region", errors);
        if (region != null && !REGION.matcher(region).matches()) {
            errors.add(new StackError(json.at("/region"), "\"" + region + "\" is not an AWS region name (e.g. eu-west-1)"));
        }

        Map<String, Variable> variables = new LinkedHashMap<>();
        JsonNode varsNode = root.get("variables");
        if (varsNode != null) {
            if (!varsNode.isObject()) errors.add(new StackError(json.at("/variables"), "\"variables\" must be an object"));
            else varsNode.fields().forEachRemaining(e -> {
                String ptr = "/variables/" + LocatedJson.escape(e.getKey());
                JsonNode v = e.getValue();
                if (!v.isObject()) {
                    errors.add(new StackError(json.at(ptr), "variable \"" + e.getKey() + "\" must be an object {\"default\": …, \"description\": …}"));
                    return;
                }
                v.fieldNames().forEachRemaining(k -> {
                    if (!k.equals("default") && !k.equals("description")) errors.add(new StackError(json.keyAt(ptr + "/" + k), "unknown key \"" + k + "\" in variable (expected default, description)"));
                });
                JsonNode d = v.get("default");
                if (d != null && !d.isValueNode()) errors.add(new StackError(json.at(ptr + "/default"), "a variable default must be a string, number or boolean"));
                variables.put(e.getKey(), new Variable(e.getKey(), d == null || d.isNull() ? null : d.asText(), v.path("description").asText(null)));
            });
        }
        Map<String, String> values = new TreeMap<>();
        for (Variable v : variables.values()) {
            if (vars.containsKey(v.name())) values.put(v.name(), vars.get(v.name()));
            else if (v.defaultValue() != null) values.put(v.name(), v.defaultValue());
        }
        for (String k : vars.keySet()) {
            if (!variables.containsKey(k)) errors.add(new StackError(json.at("/variables"), "--var " + k + " is not a variable of this stack"));
        }

        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagsNode = root.get("tags");
        if (tagsNode != null) {
            substitute(json, tagsNode, "/tags", values, errors);
            readTags(json, tagsNode, "/tags", tags, errors);
        }

        Map<String, ResourceBlock> resources = new LinkedHashMap<>();
        JsonNode res = root.get("resources");
        if (res == null) errors.add(new StackError(json.at(""), "missing required key \"resources\""));
        else if (!res.isObject()) errors.add(new StackError(json.at("/resources"), "\"resources\" must be an object of logical id → resource block"));
        else {
            res.fields().forEachRemaining(e -> {
                String id = e.getKey();
                String ptr = "/resources/" + LocatedJson.escape(id);
                if (!RESOURCE_ID.matcher(id).matches()) {
                    errors.add(new StackError(json.keyAt(ptr), "resource id \"" + id + "\" must match [a-z][a-z0-9-]{0,62}"));
                }
                JsonNode block = e.getValue();
                if (!block.isObject()) {
                    errors.add(new StackError(json.at(ptr), "resource \"" + id + "\" must be an object with a \"type\""));
                    return;
                }
                JsonNode type = block.get("type");
                if (type == null || !type.isTextual()) {
                    errors.add(new StackError(json.at(ptr), "resource \"" + id + "\" needs a \"type\" string"));
                    return;
                }
                substitute(json, block, ptr, values, errors);
                ObjectNode props = ((ObjectNode) block).deepCopy();
                props.remove("type");
                resources.put(id, new ResourceBlock(id, type.asText(), props, ptr));
            });
        }

        Map<String, String> outputs = new LinkedHashMap<>();
        JsonNode out = root.get("outputs");
        if (out != null) {
            if (!out.isObject()) errors.add(new StackError(json.at("/outputs"), "\"outputs\" must be an object of name → reference"));
            else {
                substitute(json, out, "/outputs", values, errors);
                out.fields().forEachRemaining(e -> {
                    if (!e.getValue().isTextual()) errors.add(new StackError(json.at("/outputs/" + LocatedJson.escape(e.getKey())), "output \"" + e.getKey() + "\" must be a string"));
                    else outputs.put(e.getKey(), e.getValue().asText());
                });
            }
        }

        List<String> driftIgnore = new ArrayList<>();
        JsonNode di = root.get("driftIgnore");
        if (di != null) {
            if (!di.isArray()) errors.add(new StackError(json.at("/driftIgnore"), "\"driftIgnore\" must be an array of \"<id>.<property>\" paths"));
            else for (int i = 0; i < di.size(); i++) {
                JsonNode p = di.get(i);
                String s = p.asText("");
                int dot = s.indexOf('.');
                if (!p.isTextual() || dot <= 0 || dot == s.length() - 1) {
                    errors.add(new StackError(json.at("/driftIgnore/" + i), "driftIgnore entries are \"<id>.<property>[.<key>…]\", got " + p));
                } else if (res != null && res.isObject() && !res.has(s.substring(0, dot))) {
                    errors.add(new StackError(json.at("/driftIgnore/" + i), "driftIgnore names unknown resource \"" + s.substring(0, dot) + "\""));
                } else {
                    driftIgnore.add(s);
                }
            }
        }

        lintIgnore(json, root.get("lintIgnore"), res, errors);

        if (!errors.isEmpty()) throw new StackException(errors);
        return new StackFile(file, name, region, tags, variables, values, resources, outputs, driftIgnore, json, digest(text, values));
    }

    /** {@code lintIgnore}: [{"rule", "id"?, "reason"}]; the rule ids are the linter's (netstack lint warns about unknown ones). */
    private static void lintIgnore(LocatedJson json, JsonNode li, JsonNode res, List<StackError> errors) {
        if (li == null) return;
        if (!li.isArray()) {
            errors.add(new StackError(json.at("/lintIgnore"), "\"lintIgnore\" must be an array of {\"rule\", \"id\", \"reason\"}"));
            return;
        }
        for (int i = 0; i < li.size(); i++) {
            String ptr = "/lintIgnore/" + i;
            JsonNode e = li.get(i);
            if (!e.isObject()) {
                errors.add(new StackError(json.at(ptr), "lintIgnore entries are {\"rule\": …, \"id\": …, \"reason\": …}"));
                continue;
            }
            e.fieldNames().forEachRemaining(k -> {
                if (!Set.of("rule", "id", "reason").contains(k)) errors.add(new StackError(json.keyAt(ptr + "/" + LocatedJson.escape(k)), "unknown key \"" + k + "\" in lintIgnore (expected rule, id, reason)"));
            });
            if (!e.path("rule").isTextual() || e.path("rule").asText().isBlank()) errors.add(new StackError(json.at(ptr), "lintIgnore entry needs a \"rule\" (e.g. \"NS101\")"));
            if (!e.path("reason").isTextual() || e.path("reason").asText().isBlank()) errors.add(new StackError(json.at(ptr), "lintIgnore entry needs a \"reason\": say why the finding is accepted"));
            JsonNode id = e.get("id");
            if (id != null && (!id.isTextual() || (res != null && res.isObject() && !res.has(id.asText())))) {
                errors.add(new StackError(json.at(ptr + "/id"), "lintIgnore names unknown resource " + id));
            }
        }
    }

    static void readTags(LocatedJson json, JsonNode tagsNode, String ptr, Map<String, String> into, List<StackError> errors) {
        if (!tagsNode.isObject()) {
            errors.add(new StackError(json.at(ptr), "tags must be an object of key → string value"));
            return;
        }
        tagsNode.fields().forEachRemaining(e -> {
            String k = e.getKey();
            String kp = ptr + "/" + LocatedJson.escape(k);
            if (k.startsWith("netstack:") || k.toLowerCase().startsWith("aws:")) {
                errors.add(new StackError(json.keyAt(kp), "tag key \"" + k + "\" is reserved (netstack:* and aws:* belong to netstack and AWS)"));
            } else if (k.equals("Name")) {
                errors.add(new StackError(json.keyAt(kp), "tag \"Name\" is set by netstack to <stack>/<id>"));
            } else if (k.isEmpty() || k.length() > MAX_TAG_KEY) {
                errors.add(new StackError(json.keyAt(kp), "tag keys are 1 to " + MAX_TAG_KEY + " characters"));
            }
            if (!e.getValue().isTextual()) errors.add(new StackError(json.at(kp), "tag \"" + k + "\" must have a string value"));
            else if (e.getValue().asText().length() > MAX_TAG_VALUE) errors.add(new StackError(json.at(kp), "tag values are at most " + MAX_TAG_VALUE + " characters"));
            else into.put(k, e.getValue().asText());
        });
    }

    /** Replaces {@code ${var.x}} in every string under {@code node}, in place. */
    private static void substitute(LocatedJson json, JsonNode node, String ptr, Map<String, String> values, List<StackError> errors) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String k : names) {
                JsonNode child = o.get(k);
                String cp = ptr + "/" + LocatedJson.escape(k);
                if (child.isTextual()) {
                    String s = substituteText(json, child.asText(), cp, values, errors);
                    if (s != null) o.set(k, TextNode.valueOf(s));
                } else {
                    substitute(json, child, cp, values, errors);
                }
            }
        } else if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                JsonNode child = a.get(i);
                if (child.isTextual()) {
                    String s = substituteText(json, child.asText(), ptr + "/" + i, values, errors);
                    if (s != null) a.set(i, TextNode.valueOf(s));
                } else {
                    substitute(json, child, ptr + "/" + i, values, errors);
                }
            }
        }
    }

    private static String substituteText(LocatedJson json, String s, String ptr, Map<String, String> values, List<StackError> errors) {
        if (!s.contains("${var.")) return null;
        Matcher m = Reference.ANY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String body = m.group(1);
            String rep = m.group(0);
            if (body.startsWith("var.")) {
                String name = body.substring(4);
                String v = values.get(name);
                if (v == null) {
                    errors.add(new StackError(json.at(ptr), "variable \"" + name + "\" has no value: declare it under \"variables\" with a default, or pass --var " + name + "=…"));
                } else {
                    rep = v;
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String requiredString(LocatedJson json, JsonNode root, String key, List<StackError> errors) {
        JsonNode n = root.get(key);
        if (n == null) {
            errors.add(new StackError(json.at(""), "missing required key \"" + key + "\""));
            return null;
        }
        if (!n.isTextual()) {
            errors.add(new StackError(json.at("/" + key), "\"" + key + "\" must be a string"));
            return null;
        }
        return n.asText();
    }

    static String digest(String text, Map<String, String> values) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(text.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
                md.update(("\0" + e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
