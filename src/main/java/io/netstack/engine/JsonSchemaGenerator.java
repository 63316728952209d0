package io.netstack.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON Schema of stack files (stacks/schema/netstack-stack.schema.json), generated from the
 * registered types so that editors complete and check exactly what the validator accepts.
 * A test fails when the committed file is out of date.
 */
public final class JsonSchemaGenerator {
    private static final String REF_PATTERN = "^\\$\\{[^}]+\\}$";

    private JsonSchemaGenerator() {}

    public static ObjectNode generate(TypeRegistry types) {
        ObjectNode root = Json.object();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://netstack.io/schema/netstack-stack.schema.json");
        root.put("title", "netstack stack file (v1, with templates)");
        root.put("type", "object");
        root.put("additionalProperties", false);
        ArrayNode req = root.putArray("required");
        req.add("stack").add("region").add("resources");
        ObjectNode props = root.putObject("properties");
        props.putObject("$schema").put("type", "string");
        props.putObject("stack").put("type", "string").put("pattern", "^[a-z][a-z0-9-]{0,39}$")
                .put("description", "stack name; the value of the netstack:stack tag");
        props.putObject("region").put("type", "string").put("description", "AWS region of every resource in the stack");
        ObjectNode account = props.putObject("account").put("type", "object").put("additionalProperties", false)
                .put("description", "where the stack runs: a role to assume (roleArn, externalId) or a profile; id is the account the credentials must be in (checked before any read)");
        account.put("minProperties", 1);
        ObjectNode ap = account.putObject("properties");
        ap.putObject("id").put("type", "string").put("pattern", "^\\d{12}$").put("description", "AWS account id (12 digits); default: the role's account");
        ap.putObject("roleArn").put("type", "string").put("pattern", "^arn:[a-z-]+:iam::\\d{12}:role/.+$").put("description", "IAM role netstack assumes with STS AssumeRole");
        ap.putObject("externalId").put("type", "string").put("description", "sent with AssumeRole when the role's trust policy requires one");
        ap.putObject("profile").put("type", "string").put("description", "a profile of ~/.aws/config and credentials (instead of roleArn)");
        account.putObject("not").putArray("required").add("roleArn").add("profile");
        props.set("tags", tags("tags added to every taggable resource (netstack:* and aws:* are reserved; Name is set per resource)"));
        ObjectNode vars = props.putObject("variables").put("type", "object");
        vars.put("description", "{name: {type?, default?, description?, allowed?, min?, max?, format?}}; set with --var name=value, --var-file FILE.json or NETSTACK_VAR_name; used as ${var.name}");
        ObjectNode v = vars.putObject("additionalProperties").put("type", "object").put("additionalProperties", false);
        ObjectNode vp = v.putObject("properties");
        vp.putObject("type").put("description", "string (default when there is no default), number, bool, list or map")
                .putArray("enum").add("string").add("number").add("bool").add("list").add("map");
        vp.putObject("default").put("description", "a value of the variable's type; without one, the variable must be set wherever it is used");
        vp.putObject("description").put("type", "string");
        vp.putObject("allowed").put("type", "array").put("minItems", 1).put("description", "the values allowed (for lists and maps: for each element)");
        vp.putObject("min").put("type", "number").put("description", "smallest number, or shortest string, list or map");
        vp.putObject("max").put("type", "number").put("description", "largest number, or longest string, list or map");
        vp.putObject("format").put("description", "strings (or list/map elements) must be CIDR blocks").putArray("enum").add("cidr").add("ipv4-cidr").add("ipv6-cidr");
        props.putObject("locals").put("type", "object").put("description", "name → value or ${expression}, used as ${local.name} (templates: see docs/stack-format.md)");
        ObjectNode outputs = props.putObject("outputs").put("type", "object").put("description", "name → ${id} or ${id.attribute}");
        outputs.putObject("additionalProperties").put("type", "string").put("pattern", REF_PATTERN);
        ObjectNode drift = props.putObject("driftIgnore").put("type", "array")
                .put("description", "property paths \"<id>.<property>[.<key>]\" that plans and drift detection leave alone, for values other tools own");
        drift.putObject("items").put("type", "string").put("pattern", "^[a-z][a-z0-9-]*\\..+$");
        ObjectNode lint = props.putObject("lintIgnore").put("type", "array")
                .put("description", "lint findings accepted on purpose: a rule (id or name), optionally one resource, and why");
        ObjectNode li = lint.putObject("items").put("type", "object").put("additionalProperties", false);
        li.putArray("required").add("rule").add("reason");
        ObjectNode lip = li.putObject("properties");
        lip.putObject("rule").put("type", "string").put("description", "rule id (NS101) or name (admin-port-exposed)");
        lip.putObject("id").put("type", "string").put("pattern", "^[a-z][a-z0-9-]{0,62}$").put("description", "the resource; omitted = the whole file");
        lip.putObject("reason").put("type", "string").put("minLength", 1);

        ObjectNode resources = props.putObject("resources").put("type", "object").put("description", "logical id → resource block");
        resources.putObject("propertyNames").put("pattern", "^[a-z][a-z0-9-]{0,62}$");
        ObjectNode one = resources.putObject("additionalProperties");
        one.put("type", "object");
        ArrayNode oneOf = one.putArray("oneOf");
        oneOf.addObject().putArray("required").add("type");
        ObjectNode moduleBlock = oneOf.addObject();
        moduleBlock.putArray("required").add("module");
        moduleBlock.put("additionalProperties", false);
        ObjectNode mp = moduleBlock.putObject("properties");
        mp.putObject("module").put("type", "string").put("description", "path of a module file, relative to this file; its resources get ids <this id>-<their id>");
        mp.putObject("inputs").put("type", "object").put("description", "module variable → value");
        mp.set("forEach", forEach());
        mp.set("if", condition());
        ObjectNode oneProps = one.putObject("properties");
        ObjectNode typeEnum = oneProps.putObject("type");
        ArrayNode names = typeEnum.putArray("enum");
        ArrayNode allOf = one.putArray("allOf");
        List<ResourceType> sorted = types.all().stream().sorted(Comparator.comparing(ResourceType::name)).toList();
        for (ResourceType t : sorted) {
            names.add(t.name());
            ObjectNode cond = allOf.addObject();
            ObjectNode ifType = cond.putObject("if");
            ifType.putArray("required").add("type");
            ifType.putObject("properties").putObject("type").put("const", t.name());
            ObjectNode then = cond.putObject("then");
            then.put("additionalProperties", false);
            ObjectNode tp = then.putObject("properties");
            tp.putObject("type").put("const", t.name());
            tp.set("forEach", forEach());
            tp.set("if", condition());
            ArrayNode required = Json.MAPPER.createArrayNode();
            for (Property p : t.schema().properties().values()) {
                tp.set(p.name(), property(p));
                if (p.required()) required.add(p.name());
            }
            if (!required.isEmpty()) then.set("required", required);
        }
        return root;
    }

    /** Templates: one instance per element or key, with id {@code <id>-<key>}. */
    private static ObjectNode forEach() {
        ObjectNode o = Json.object().put("description", "a list (of strings or numbers) or map, or ${expression} of one: one instance per key, id <id>-<key>");
        ArrayNode any = o.putArray("anyOf");
        any.addObject().put("type", "array");
        any.addObject().put("type", "object");
        any.addObject().put("type", "string").put("pattern", REF_PATTERN);
        return o;
    }

    /** Templates: the block, property or list element is there only when this holds. */
    private static ObjectNode condition() {
        ObjectNode o = Json.object().put("description", "included only when this boolean ${expression} of variables holds");
        ArrayNode any = o.putArray("anyOf");
        any.addObject().put("type", "boolean");
        any.addObject().put("type", "string").put("pattern", REF_PATTERN);
        return o;
    }

    /** A value of {@code type}, or a template expression that yields one. */
    private static void orExpression(ObjectNode o, String type) {
        o.remove("type");
        ArrayNode any = o.putArray("anyOf");
        any.addObject().put("type", type);
        any.addObject().put("type", "string").put("pattern", REF_PATTERN);
    }

    private static ObjectNode tags(String description) {
        ObjectNode o = Json.object().put("type", "object").put("description", description);
        o.putObject("additionalProperties").put("type", "string").put("maxLength", 256);
        o.putObject("propertyNames").put("maxLength", 128);
        return o;
    }

    static ObjectNode property(Property p) {
        ObjectNode o = Json.object();
        StringBuilder d = new StringBuilder(p.description() == null ? "" : p.description());
        if (p.createOnly()) d.append(d.length() > 0 ? " " : "").append("(create-only: a change replaces the resource)");
        if (p.writeOnly()) d.append(d.length() > 0 ? " " : "").append("(write-only: never read back or printed; may use ${env.NAME})");
        if (d.length() > 0) o.put("description", d.toString());
        if (p.defaultValue() != null) o.set("default", p.defaultValue());
        switch (p.kind()) {
            case STRING -> {
                o.put("type", "string");
                if (!p.enumValues().isEmpty()) {
                    ArrayNode any = o.putArray("anyOf");
                    ArrayNode e = any.addObject().putArray("enum");
                    p.enumValues().forEach(e::add);
                    any.addObject().put("pattern", REF_PATTERN);
                }
            }
            case BOOLEAN -> orExpression(o, "boolean");
            case INTEGER -> {
                orExpression(o, "integer");
                if (p.min() != Long.MIN_VALUE) o.put("minimum", p.min());
                if (p.max() != Long.MAX_VALUE) o.put("maximum", p.max());
            }
            case CIDR -> o.put("type", "string").put("pattern", "^[0-9a-fA-F:.]+/[0-9]{1,3}$|" + REF_PATTERN);
            case REF -> {
                o.put("type", "string");
                StringBuilder pat = new StringBuilder(REF_PATTERN);
                for (String prefix : p.idPrefixes()) pat.append("|^").append(prefix.replace("-", "\\-")).append(".+$");
                o.put("pattern", pat.toString());
                if (!p.refTypes().isEmpty()) o.put("x-netstack-ref", String.join("|", p.refTypes()));
            }
            case LIST -> {
                o.put("type", "array");
                o.set("items", property(p.item()));
                if (!p.ordered()) o.put("x-netstack-set", true);
            }
            case OBJECT -> {
                o.put("type", "object");
                o.put("additionalProperties", false);
                ObjectNode fp = o.putObject("properties");
                fp.set("if", condition());
                ArrayNode req = Json.MAPPER.createArrayNode();
                for (Property f : p.fields()) {
                    fp.set(f.name(), property(f));
                    if (f.required()) req.add(f.name());
                }
                if (!req.isEmpty()) o.set("required", req);
            }
            case MAP -> {
                o.put("type", "object");
                o.putObject("additionalProperties").put("type", "string");
            }
            case JSON -> { }
        }
        return o;
    }
}
