package io.netstack.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.ImportScope;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import io.netstack.spi.Property;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeContext;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.JsonTexts;
import io.netstack.stack.Reference;
import io.netstack.stack.StackException;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code netstack import}: existing AWS objects → the stack file a person would have written, plus
 * the {@link AdoptFile} that tells {@code adopt} which object each resource is.
 *
 * <ul>
 *   <li>reads with {@link ResourceType#importable} in two passes ({@link ImportScope}): the objects in
 *       the VPCs, then the objects outside them that those name (Elastic IPs, …);</li>
 *   <li>refuses objects that carry a netstack stack tag, naming the stack;</li>
 *   <li>names resources from their {@code Name} tag (sanitised, unique), else type + zone;</li>
 *   <li>writes every AWS id of an imported object as {@code ${id}}: the file holds no literal id of
 *       an imported object (literal ids remain only for what stays outside);</li>
 *   <li>leaves out properties (and object fields) at their schema default, and a property whose
 *       references would make a cycle (a VPC's main route table routing to a gateway of that VPC:
 *       not managed, said in a note);</li>
 *   <li>orders keys as the schema ({@code type} first), and validates its own output.</li>
 * </ul>
 */
public final class Importer {
    /** The stack file, the id map for adopt, and what the user should know (properties left out). */
    public record Result(ObjectNode stack, AdoptFile adopt, List<String> notes) {}

    private Importer() {}

    /** Every importable object of {@code vpcIds} and of what their objects name outside them. */
    public static List<LiveResource> read(TypeRegistry types, TypeContext ctx, Set<String> vpcIds) {
        ImportScope first = ImportScope.vpcs(vpcIds);
        List<LiveResource> found = readAll(types, ctx, first);
        Set<String> known = new HashSet<>();
        for (LiveResource r : found) known.add(r.awsId());
        Set<String> referenced = new TreeSet<>();
        for (LiveResource r : found) texts(r.properties(), referenced);
        referenced.removeAll(known);
        if (!referenced.isEmpty()) found.addAll(readAll(types, ctx, first.byReference(referenced)));
        return found;
    }

    private static List<LiveResource> readAll(TypeRegistry types, TypeContext ctx, ImportScope scope) {
        return LiveState.readEach(new ArrayList<>(types.all()), "import", "reading for import", t -> t.importable(ctx, scope));
    }

    private static void texts(JsonNode n, Set<String> out) {
        if (n.isTextual()) out.add(n.asText());
        else for (JsonNode c : n) texts(c, out);
    }

    /**
     * Builds the stack file from {@code objects} (as {@link #read} returns them).
     *
     * @throws ImportException for objects owned by a netstack stack, or (a bug) an output that does not validate
     */
    public static Result build(String stack, String region, List<String> vpcIds, TypeRegistry types, List<LiveResource> objects) {
        List<String> owned = new ArrayList<>();
        for (LiveResource r : objects) {
            String owner = r.attributes().get(Ownership.STACK_TAG);
            if (owner != null) owned.add(r.type() + " " + r.awsId() + " belongs to netstack stack \"" + owner + "\"");
        }
        if (!owned.isEmpty()) {
            throw new ImportException("refusing to import objects that a netstack stack already manages (plan that stack instead, or destroy it):\n  "
                    + String.join("\n  ", owned));
        }
        List<String> typeOrder = new ArrayList<>();
        for (ResourceType t : types.all()) typeOrder.add(t.name());
        List<LiveResource> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing((LiveResource r) -> typeOrder.indexOf(r.type())).thenComparing(r -> nameTag(r) == null ? "\uffff" : nameTag(r)).thenComparing(LiveResource::awsId));
        Map<String, LiveResource> byAwsId = new HashMap<>();
        for (LiveResource r : sorted) byAwsId.put(r.awsId(), r);

        // Names: Name tag, else type + zone; unique by -2, -3 … in the order above (stable across runs).
        Map<String, String> idOf = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (LiveResource r : sorted) {
            String base = baseName(r, byAwsId);
            String id = base;
            for (int n = 2; taken.contains(id); n++) id = trim(base, ("-" + n).length()) + "-" + n;
            taken.add(id);
            idOf.put(r.awsId(), id);
        }

        Map<String, ObjectNode> props = new LinkedHashMap<>();
        Map<String, ResourceType> typeOf = new HashMap<>();
        for (LiveResource r : sorted) {
            String id = idOf.get(r.awsId());
            ResourceType type = types.find(r.type()).orElseThrow(() -> new ImportException("unknown type " + r.type()));
            typeOf.put(id, type);
            // every string that is the AWS id of an imported object becomes its ${id}
            props.put(id, (ObjectNode) JsonTexts.replace(r.properties().deepCopy(), t -> idOf.containsKey(t) ? Reference.of(idOf.get(t)) : null));
        }
        List<String> notes = new ArrayList<>(breakCycles(props, typeOf));

        ObjectNode resources = Json.object();
        Map<String, AdoptFile.Entry> entries = new LinkedHashMap<>();
        for (LiveResource r : sorted) {
            String id = idOf.get(r.awsId());
            ResourceType type = typeOf.get(id);
            ObjectNode block = Json.object();
            block.put("type", type.name());
            ObjectNode p = props.get(id);
            secretPlaceholders(id, type, p);
            for (Property prop : type.schema().properties().values()) {
                JsonNode v = p.get(prop.name());
                if (v == null || v.isNull() || prop.writeOnly()) continue;
                JsonNode written = withoutDefaults(prop, v);
                if (written == null) continue;
                block.set(prop.name(), written);
            }
            resources.set(id, block);
            entries.put(id, new AdoptFile.Entry(type.name(), r.awsId()));
        }
        ObjectNode file = Json.object();
        file.put("stack", stack);
        file.put("region", region);
        file.set("resources", resources);
        check(file, types);
        return new Result(file, new AdoptFile(stack, region, List.copyOf(vpcIds), entries), notes);
    }

    /** The output must load and validate like any stack file: a failure here is netstack's bug, said plainly. */
    private static void check(ObjectNode file, TypeRegistry types) {
        try {
            StackFile s = StackLoader.parse("(import)", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(file), Map.of());
            new Validator(types).validate(s);
        } catch (StackException e) {
            throw new ImportException("the stack file import would write does not validate (a netstack bug; nothing was written):\n" + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ImportException("cannot render the stack file: " + e.getMessage());
        }
    }

    /** The Name tag, else a {@code name} property (a security group's group name, which it always has). */
    private static String nameTag(LiveResource r) {
        JsonNode n = r.properties().path("tags").get(Ownership.NAME_TAG);
        if (n == null || n.asText().isBlank()) n = r.properties().get("name");
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
    }

    /** A resource id from the Name tag (or name, sanitised to {@code [a-z][a-z0-9-]{0,62}}), else the type and the zone's letter. */
    static String baseName(LiveResource r, Map<String, LiveResource> byAwsId) {
        String name = nameTag(r);
        if (name != null) {
            String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            if (!s.isEmpty()) {
                if (!Character.isLetter(s.charAt(0))) s = r.type() + "-" + s;
                return trim(s, 0);
            }
        }
        String zone = zone(r, byAwsId);
        return zone == null ? r.type() : trim(r.type() + "-" + zone, 0);
    }

    /** The object's zone letter(s), or that of the first object it names that has a zone (a NAT gateway's subnet). */
    private static String zone(LiveResource r, Map<String, LiveResource> byAwsId) {
        String z = r.properties().path("zone").asText(null);
        if (z == null) {
            Set<String> named = new java.util.LinkedHashSet<>();
            texts(r.properties(), named);
            for (String t : named) {
                LiveResource o = byAwsId.get(t);
                if (o != null && o != r && o.properties().has("zone")) {
                    z = o.properties().get("zone").asText();
                    break;
                }
            }
        }
        if (z == null || z.isEmpty()) return null;
        // eu-west-1a → a; a Local Zone (us-west-2-lax-1a) → lax-1a
        String suffix = z.replaceFirst("^[a-z]{2}(-gov)?-[a-z]+-\\d+-?", "");
        return suffix.isEmpty() ? null : suffix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String trim(String s, int room) {
        String out = s.length() > 63 - room ? s.substring(0, 63 - room) : s;
        return out.replaceAll("-+$", "");
    }

    /**
     * Leaves out optional properties whose references would close a cycle (the VPC's
     * {@code mainRouteTable} routing to the VPC's own internet gateway: the gateway needs the VPC
     * first). They stay as they are in AWS, not managed; the note says which and why.
     */
    private static List<String> breakCycles(Map<String, ObjectNode> props, Map<String, ResourceType> typeOf) {
        List<String> notes = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, Set<String>> deps = new HashMap<>();
            props.forEach((id, p) -> deps.put(id, refs(p, typeOf.get(id), null)));
            outer:
            for (Map.Entry<String, ObjectNode> e : props.entrySet()) {
                String id = e.getKey();
                ResourceType type = typeOf.get(id);
                for (Property prop : type.schema().properties().values()) {
                    if (prop.required() || prop.lateBound() || !e.getValue().has(prop.name())) continue;
                    for (String target : refs(e.getValue(), type, prop.name())) {
                        if (reaches(target, id, deps)) {
                            e.getValue().remove(prop.name());
                            notes.add(id + "." + prop.name() + " is left out (not managed): it names " + target + ", which needs " + id
                                    + " first (a reference cycle). Manage it from a resource of its own, or keep it by hand.");
                            changed = true;
                            break outer;
                        }
                    }
                }
            }
        }
        return notes;
    }

    /** The ids referenced by {@code p} (only by property {@code only} if given), late-bound properties and the resource itself aside. */
    private static Set<String> refs(ObjectNode p, ResourceType type, String only) {
        Set<String> out = new TreeSet<>();
        References.forEach(only == null ? p : p.get(only), only == null ? "" : "/" + only, (ptr, ref) -> {
            if (ref.kind() != Reference.Kind.RESOURCE) return;
            String top = ptr.length() > 1 ? ptr.substring(1).split("/")[0] : "";
            Property prop = type.schema().property(top);
            if (prop != null && prop.lateBound()) return;
            out.add(ref.target());
        });
        return out;
    }

    private static boolean reaches(String from, String to, Map<String, Set<String>> deps) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (n.equals(to)) return true;
            if (!seen.add(n)) continue;
            todo.addAll(deps.getOrDefault(n, Set.of()));
        }
        return false;
    }

    /**
     * The value as the file should say it: null when it is the property's default (or an empty
     * map), object fields at their defaults left out and in the schema's order.
     */
    static JsonNode withoutDefaults(Property p, JsonNode v) {
        if (p.defaultValue() != null && Json.canonical(Normalizer.value(p, v)).equals(Json.canonical(Normalizer.value(p, p.defaultValue())))) return null;
        if (p.kind() == Property.Kind.MAP && v.isObject() && v.isEmpty()) return null;
        if (p.kind() == Property.Kind.OBJECT && v.isObject() && p.fields() != null) return fields(p, (ObjectNode) v);
        if (p.kind() == Property.Kind.LIST && v.isArray() && p.item() != null && p.item().kind() == Property.Kind.OBJECT) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (JsonNode e : v) a.add(e.isObject() ? fields(p.item(), (ObjectNode) e) : e);
            return a;
        }
        return v;
    }

    /**
     * Secrets are never read into properties (and never written): each write-only field of a list
     * element that was read (a VPN tunnel's {@code preSharedKey}) gets an {@code ${env.NAME}}
     * placeholder, {@code NAME} from the resource id, the field and the element's position
     * ({@code ONPREM_VPN_TUNNELS_1_PRESHAREDKEY}). {@code plan} and {@code adopt} then need the value
     * in the environment, and compare it with AWS's without showing either.
     */
    static void secretPlaceholders(String id, ResourceType type, ObjectNode p) {
        for (Property prop : type.schema().properties().values()) {
            JsonNode v = p.get(prop.name());
            if (prop.kind() != Property.Kind.LIST || v == null || !v.isArray() || prop.item() == null || prop.item().fields() == null) continue;
            for (Property f : prop.item().fields()) {
                if (!f.writeOnly()) continue;
                for (int i = 0; i < v.size(); i++) {
                    if (v.get(i).isObject()) {
                        String name = (id + "_" + prop.name() + "_" + (i + 1) + "_" + f.name()).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
                        ((ObjectNode) v.get(i)).put(f.name(), "${env." + name + "}");
                    }
                }
            }
        }
    }

    private static ObjectNode fields(Property p, ObjectNode v) {
        ObjectNode o = Json.object();
        Map<String, JsonNode> rest = new TreeMap<>();
        v.fields().forEachRemaining(e -> rest.put(e.getKey(), e.getValue()));
        for (Property f : p.fields()) {
            JsonNode fv = rest.remove(f.name());
            if (fv == null || fv.isNull()) continue;
            if (f.writeOnly()) {
                if (fv.isTextual() && fv.asText().startsWith("${env.")) o.set(f.name(), fv); // a placeholder, never a value
                continue;
            }
            JsonNode w = withoutDefaults(f, fv);
            if (w != null) o.set(f.name(), w);
        }
        rest.forEach(o::set);
        return o;
    }

    /** Import cannot go on: objects owned by a stack, or an output that does not validate. */
    public static final class ImportException extends PlanException {
        public ImportException(String message) {
            super(message);
        }
    }
}
