package io.netstack.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Reads a stack file: JSON with locations, the top-level contract of docs/stack-format.md, and
 * {@code ${var.name}} substitution. Resource properties are checked later against each type's
 * schema ({@code engine.Validation}); everything found here is reported at once.
 */
public final class StackLoader {
    public static final Pattern STACK_NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    public static final Pattern RESOURCE_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Set<String> TOP_LEVEL = Set.of("$schema", "stack", "region", "account", "tags", "variables", "resources", "outputs", "driftIgnore", "lintIgnore");
    /** The form of a region name; whether AWS has it is the provider's check (TypeRegistry.knownRegions). eusc: European Sovereign Cloud. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-gov|-iso[a-z]?)?(-[a-z]+){1,2}-\\d{1,2}");
    /** AWS: tag keys ≤ 128 characters, values ≤ 256; "aws:" is reserved by AWS, "netstack:" by us. */
    public static final int MAX_TAG_KEY = 128;
    public static final int MAX_TAG_VALUE = 256;

    private StackLoader() {}

    /**
     * The largest stack file read: 50,000 resources are ~7 MB. Without a limit a 50 MB file took
     * 20 s and 3 GB to accept (every node keeps its location).
     */
    public static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

    public static StackFile load(Path path, Map<String, String> vars) {
        return load(path, vars, Map.of(), false);
    }

    /**
     * @param unsetAllowed whether declared variables may stay without a value ({@code validate}:
     *                     CI checks every file without secrets or environment values, as
     *                     {@code terraform validate} does). Their {@code ${var.x}} stays in the text
     *                     and the validator skips the checks that need the value. Templated files
     *                     (forEach, if, modules) need their values: expansion cannot skip them.
     */
    public static StackFile load(Path path, Map<String, String> vars, boolean unsetAllowed) {
        return load(path, vars, Map.of(), unsetAllowed);
    }

    /** {@code env}: the environment, where {@code NETSTACK_VAR_<name>} sets a variable that --var does not. */
    public static StackFile load(Path path, Map<String, String> vars, Map<String, String> env) {
        return load(path, vars, env, false);
    }

    public static StackFile load(Path path, Map<String, String> vars, Map<String, String> env, boolean unsetAllowed) {
        return parse(path.toString(), read(path), vars, env, unsetAllowed);
    }

    /** The file's text: UTF-8, at most {@link #MAX_FILE_BYTES}, a leading byte-order mark dropped. */
    static String read(Path path) {
        String file = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) throw new StackException(Location.unknown(file), "is a directory, not a stack file");
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                throw new StackException(new Location(file, 1, 1), String.format(java.util.Locale.ROOT,
                        "the file is %.1f MB; stack files are at most %d MB (split the stack, and use ${stack:other/id} across stacks)",
                        size / 1048576.0, MAX_FILE_BYTES / 1048576));
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new StackException(Location.unknown(file), "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StackException(new Location(file, 1, 1), "cannot read the file: permission denied");
        } catch (IOException e) {
            throw new StackException(new Location(file, 1, 1), "cannot read the file: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        return decode(file, bytes);
    }

    /** Strict UTF-8 (Java's own message for bad bytes is "Input length = 3", with no place). */
    static String decode(String file, byte[] bytes) {
        java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            int bad = in.position();
            int line = 1, lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8).length() + 1;
            throw new StackException(new Location(file, line, column), String.format(java.util.Locale.ROOT,
                    "the file is not UTF-8 text: byte 0x%02X here is not valid UTF-8 (save the file as UTF-8)", bytes[bad] & 0xff));
        }
        dec.flush(out);
        out.flip();
        String text = out.toString();
        // A byte-order mark: some Windows editors write one; JSON parsers may ignore it (RFC 8259 §8.1).
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    public static StackFile parse(String file, String text, Map<String, String> vars) {
        return parse(file, text, vars, Map.of(), false);
    }

    public static StackFile parse(String file, String text, Map<String, String> vars, boolean unsetAllowed) {
        return parse(file, text, vars, Map.of(), unsetAllowed);
    }

    public static StackFile parse(String file, String text, Map<String, String> vars, Map<String, String> env) {
        return parse(file, text, vars, env, false);
    }

    public static StackFile parse(String file, String text, Map<String, String> vars, Map<String, String> env, boolean unsetAllowed) {
        LocatedJson parsed = LocatedJson.parse(file, text);
        if (Expander.isTemplate(parsed.root())) {
            // A templated file (docs/stack-format.md, "Templates") is expanded to plain v1 first;
            // the expansion keeps the template's locations, so everything below is unchanged.
            Expander.Expansion x = Expander.expand(parsed, text, vars, env);
            StackFile s = parse(x.json(), text, Map.of(), Map.of(), false);
            return new StackFile(s.file(), s.name(), s.region(), s.tags(), x.variables(), x.values(), s.resources(), s.outputs(),
                    s.driftIgnore(), s.source(), digest(x.sourceText(), x.values()), Set.of(), s.account());
        }
        return parse(parsed, text, vars, env, unsetAllowed);
    }

    /** The fully expanded v1 tree of a stack file (templated or not): what {@code netstack render} prints. */
    public static LocatedJson render(Path path, Map<String, String> vars, Map<String, String> env) {
        String text = read(path);
        return Expander.expand(LocatedJson.parse(path.toString(), text), text, vars, env).json();
    }

    private static StackFile parse(LocatedJson json, String text, Map<String, String> vars, Map<String, String> env, boolean unsetAllowed) {
        String file = json.file();
        List<StackError> errors = new ArrayList<>();
        JsonNode root = json.root();
        if (!root.isObject()) throw new StackException(json.at(""), "a stack file must be a JSON object");

        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_LEVEL.contains(k)) {
                errors.add(new StackError(json.keyAt("/" + LocatedJson.escape(k)), "unknown top-level key \"" + k + "\" (expected one of " + String.join(", ", new TreeMap<>(Map.of("stack", 1, "region", 1, "account", 1, "tags", 1, "variables", 1, "resources", 1, "outputs", 1, "driftIgnore", 1, "lintIgnore", 1)).keySet()) + ")"));
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
            else if (env.containsKey(Expander.ENV_PREFIX + v.name())) values.put(v.name(), env.get(Expander.ENV_PREFIX + v.name()));
            else if (v.defaultValue() != null) values.put(v.name(), v.defaultValue());
        }
        Set<String> unset = new java.util.TreeSet<>();
        if (unsetAllowed) for (Variable v : variables.values()) if (!values.containsKey(v.name())) unset.add(v.name());
        for (String k : vars.keySet()) {
            if (!variables.containsKey(k)) errors.add(new StackError(json.at("/variables"), "--var " + k + " is not a variable of this stack"));
        }

        Account account = null;
        JsonNode accountNode = root.get("account");
        if (accountNode != null) {
            substitute(json, accountNode, "/account", values, unset, errors);
            account = account(json, accountNode, errors);
        }

        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagsNode = root.get("tags");
        if (tagsNode != null) {
            substitute(json, tagsNode, "/tags", values, unset, errors);
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
                substitute(json, block, ptr, values, unset, errors);
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
                substitute(json, out, "/outputs", values, unset, errors);
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
        return new StackFile(file, name, region, tags, variables, values, resources, outputs, driftIgnore, json, digest(text, values), unset, account);
    }

    /**
     * {@code "account": {"id", "roleArn", "externalId"}} or {@code {"id", "profile"}}: a role and a
     * profile are two answers to one question (whose credentials), so one or the other. A value
     * that still holds {@code ${var.x}} ({@code validate} without the value) is not checked.
     */
    private static Account account(LocatedJson json, JsonNode node, List<StackError> errors) {
        if (!node.isObject()) {
            errors.add(new StackError(json.at("/account"), "\"account\" must be an object: {\"id\": \"123456789012\", \"roleArn\": \"arn:aws:iam::123456789012:role/netstack\"} or {\"profile\": \"name\"}"));
            return null;
        }
        int before = errors.size();
        Set<String> keys = Set.of("id", "roleArn", "externalId", "profile");
        Map<String, String> v = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            String ptr = "/account/" + LocatedJson.escape(e.getKey());
            if (!keys.contains(e.getKey())) {
                errors.add(new StackError(json.keyAt(ptr), "unknown key \"" + e.getKey() + "\" in account (expected id, roleArn, externalId, profile)"));
            } else if (!e.getValue().isTextual() || e.getValue().asText().isEmpty()) {
                errors.add(new StackError(json.at(ptr), "account " + e.getKey() + " must be a non-empty string"));
            } else {
                v.put(e.getKey(), e.getValue().asText());
            }
        });
        String id = v.get("id"), role = v.get("roleArn"), external = v.get("externalId"), profile = v.get("profile");
        java.util.function.Predicate<String> known = s -> s != null && !s.contains("${var.");
        if (known.test(id) && !Account.ID.matcher(id).matches()) {
            errors.add(new StackError(json.at("/account/id"), "account id \"" + id + "\" must be the 12 digits of an AWS account id (a string, e.g. \"123456789012\")"));
        }
        if (known.test(role) && Account.accountOf(role) == null) {
            errors.add(new StackError(json.at("/account/roleArn"), "\"" + role + "\" is not an IAM role ARN (arn:aws:iam::123456789012:role/name)"));
        } else if (known.test(role) && known.test(id) && Account.ID.matcher(id).matches() && !Account.accountOf(role).equals(id)) {
            errors.add(new StackError(json.at("/account/roleArn"), "role " + role + " is in account " + Account.accountOf(role) + ", but account id is " + id));
        }
        if (known.test(external) && !Account.EXTERNAL_ID.matcher(external).matches()) {
            errors.add(new StackError(json.at("/account/externalId"), "externalId must be 2 to 1224 characters of letters, digits and +=,.@:/-_ (STS AssumeRole)"));
        }
        if (external != null && role == null) {
            errors.add(new StackError(json.at("/account/externalId"), "externalId is sent with AssumeRole: it needs a roleArn"));
        }
        if (known.test(profile) && !Account.PROFILE.matcher(profile).matches()) {
            errors.add(new StackError(json.at("/account/profile"), "profile \"" + profile + "\" is not a profile name of the AWS config files"));
        }
        if (role != null && profile != null) {
            errors.add(new StackError(json.at("/account/profile"), "account takes a roleArn or a profile, not both (a profile can itself assume a role: role_arn in ~/.aws/config)"));
        }
        if (id == null && role == null && profile == null && errors.size() == before) {
            errors.add(new StackError(json.at("/account"), "account needs an id, a roleArn or a profile"));
        }
        if (errors.size() != before) return null;
        return new Account(id != null ? id : Account.accountOf(role), role, external, profile);
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
                errors.add(new StackError(json.keyAt(kp), "tag \"Name\" names one resource: set it in the resource's own \"tags\" (it defaults to <stack>/<id>)"));
            } else if (k.isEmpty() || k.length() > MAX_TAG_KEY) {
                errors.add(new StackError(json.keyAt(kp), "tag keys are 1 to " + MAX_TAG_KEY + " characters"));
            }
            if (!e.getValue().isTextual()) errors.add(new StackError(json.at(kp), "tag \"" + k + "\" must have a string value"));
            else if (e.getValue().asText().length() > MAX_TAG_VALUE) errors.add(new StackError(json.at(kp), "tag values are at most " + MAX_TAG_VALUE + " characters"));
            else into.put(k, e.getValue().asText());
        });
    }

    /**
     * Replaces {@code ${var.x}} in every string under {@code node}, in place. A string where an
     * object belongs is left alone: the caller reports the wrong shape.
     */
    private static void substitute(LocatedJson json, JsonNode node, String ptr, Map<String, String> values, Set<String> unset, List<StackError> errors) {
        if (node.isContainerNode()) JsonTexts.replace(node, ptr, (p, s) -> substituteText(json, s, p, values, unset, errors));
    }

    private static String substituteText(LocatedJson json, String s, String ptr, Map<String, String> values, Set<String> unset, List<StackError> errors) {
        if (!s.contains("${var.")) return null;
        Matcher m = Reference.ANY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String body = m.group(1);
            String rep = m.group(0);
            if (body.startsWith("var.")) {
                String name = body.substring(4);
                String v = values.get(name);
                if (v == null && unset.contains(name)) {
                    // left as written: a value known only at plan time
                } else if (v == null) {
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
