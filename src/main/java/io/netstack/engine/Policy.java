package io.netstack.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.Permissions;
import io.netstack.spi.Permissions.Need;
import io.netstack.spi.ResourceType;
import io.netstack.spi.TypeRegistry;
import io.netstack.stack.ResourceBlock;
import io.netstack.stack.StackFile;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The least-privilege IAM policy for one kind of run of one stack, from what each declared type
 * says its handlers call ({@link Permissions}) and what the provider's owned-type look-ups and
 * stack lock call ({@link TypeRegistry#scopeNeeds}). Offline: it knows the file, not AWS, so an
 * object of a type the file no longer declares (found and deleted by the next apply) needs that
 * type's list and delete actions too — the access-denied error names the missing one.
 */
public final class Policy {
    public static final String VERSION = "2012-10-17";

    /** What the policy is for: the command that runs with it. */
    public enum Purpose {
        /** {@code plan}, {@code output}, {@code validate}: reads only. */
        PLAN,
        /** {@code apply}: reads, creates, updates, deletes of the file's types, and the stack lock. */
        APPLY,
        /** {@code destroy} and {@code plan --destroy}: reads of every type the stack may own, deletes, the lock. */
        DESTROY,
        /** {@code drift}: the plan's reads and the reads of objects without tags inside owned VPCs. */
        DRIFT,
        /** {@code adopt}: the plan's reads, the import's reads (every adoptable type) and tagging; nothing created or deleted. */
        ADOPT;

        public static Purpose parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    private Policy() {}

    /** The IAM actions, sorted. Fails when a declared type declares no permissions. */
    public static Set<String> actions(StackFile stack, TypeRegistry types, Purpose purpose) {
        TypeRegistry.ScopeNeeds scope = types.scopeNeeds();
        Set<String> out = new TreeSet<>(scope.lookups());
        Set<String> declared = new TreeSet<>();
        for (ResourceBlock b : stack.resources().values()) declared.add(b.type());
        Set<String> read = new TreeSet<>(declared);
        if (purpose == Purpose.DESTROY) read.addAll(scope.destroyReads());
        // a found object of a declared type may be one of its companions': the run reads those too
        for (String name : declared) read.addAll(scope.companions().getOrDefault(name, Set.of()));
        for (String name : read) {
            ResourceType t = types.find(name).orElseThrow(() -> new PlanException("unknown type " + name));
            Permissions p = t.permissions();
            if (!p.declared()) throw new PlanException("type " + name + " declares no IAM permissions");
            Set<Need> needs = switch (purpose) {
                case PLAN, DRIFT, ADOPT -> EnumSet.of(Need.LIST);
                case APPLY -> EnumSet.of(Need.LIST, Need.CREATE, Need.UPDATE, Need.DELETE);
                case DESTROY -> declared.contains(name) ? EnumSet.of(Need.LIST, Need.DELETE) : EnumSet.of(Need.LIST);
            };
            out.addAll(p.actions(needs));
        }
        // adopt reads the network again as import did (every type it can adopt, declared or not: what
        // else is in the VPCs decides nothing but must be read to be told apart), then tags
        if (purpose == Purpose.ADOPT) {
            for (ResourceType t : types.all()) {
                if (t.adoptActions().isEmpty()) continue;
                out.addAll(t.permissions().actions(EnumSet.of(Need.LIST)));
                out.addAll(t.adoptActions());
            }
        }
        // drift asks every type for untagged objects inside the owned VPCs, declared or not
        if (purpose == Purpose.DRIFT) for (ResourceType t : types.all()) out.addAll(t.permissions().drift());
        if (purpose == Purpose.APPLY || purpose == Purpose.DESTROY) out.addAll(scope.lock());
        // the provider's marker of the types it records (AWS: the global types): written before an
        // apply creates one, removed by the apply or destroy after which none is left
        boolean declaresMarked = declared.stream().anyMatch(scope.markedTypes()::contains);
        if (purpose == Purpose.APPLY && declaresMarked || purpose == Purpose.DESTROY) out.addAll(scope.marker());
        return out;
    }

    /** The policy document: one Allow statement per service, actions sorted. */
    public static ObjectNode document(StackFile stack, TypeRegistry types, Purpose purpose) {
        Map<String, Set<String>> byService = new TreeMap<>();
        for (String a : actions(stack, types, purpose)) byService.computeIfAbsent(a.substring(0, a.indexOf(':')), k -> new TreeSet<>()).add(a);
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("Version", VERSION);
        ArrayNode statements = doc.putArray("Statement");
        byService.forEach((service, actions) -> {
            ObjectNode s = statements.addObject();
            s.put("Sid", "Netstack" + capital(purpose.name().toLowerCase(Locale.ROOT)) + capital(service));
            s.put("Effect", "Allow");
            ArrayNode a = s.putArray("Action");
            actions.forEach(a::add);
            // The resource ids of a stack are not known before it exists, and most List/Describe
            // actions support no resource-level permissions: "*", narrowed by the action list.
            s.put("Resource", "*");
        });
        return doc;
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).replace("-", "");
    }
}
