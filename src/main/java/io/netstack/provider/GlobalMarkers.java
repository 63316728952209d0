package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Ownership;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.model.CreateKeyPairResponse;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The stack's <b>marker</b>: which global types ({@link OwnedTypes#GLOBAL_TYPES}: CloudFront, Direct
 * Connect, RAM shares, whose lists take no tag filter) the stack may own objects of, so that a plan
 * of a stack that has none asks the tagging API nothing. An EC2 key pair named
 * {@code netstack-marker-<stack>} (free, in no VPC, tagged at creation), tagged
 * {@code netstack:stack=<stack>} and, per type, {@code netstack:global:<type>=<stack>}: the plan's
 * one {@code DescribeTags} ({@link OwnedTypes#ec2}) returns those tags as rows of their own.
 *
 * <p>The invariant: <em>an object of a global type exists ⇒ the marker names its type</em>.
 * {@link #ensure} runs before the first create of such an object in a run (a crash between the two
 * leaves a marker without an object: it costs a hint call, never a missed object); {@link #settle}
 * removes a type only after a successful run whose full read of that type ({@code list}, not the
 * eventually consistent hint) finds no owned object, under the stack lock. A stack applied before
 * markers existed has none: its destroy still asks the hint for every unmarked global type, and
 * its first apply that changes something marks the global types it holds.
 *
 * <p>Separate from the stack lock's key pair ({@code netstack-lock-<stack>}), which carries no
 * {@code netstack:stack} tag and comes and goes with every apply. The private key AWS returns for a
 * new key pair is discarded unread and never logged. One instance per {@link AwsSession}: what it
 * knows of each stack's marker (from the look-up or its own writes) saves calls within a run.
 */
public final class GlobalMarkers {
    static final String PREFIX = "netstack-marker-";
    static final String GLOBAL_TAG = "netstack:global:";
    static final String DUPLICATE = "InvalidKeyPair.Duplicate";
    /** IAM actions of the marker: created tagged, tags added and removed, deleted by name. */
    public static final List<String> ACTIONS = List.of("ec2:CreateKeyPair", "ec2:CreateTags", "ec2:DeleteKeyPair", "ec2:DeleteTags", "ec2:DescribeKeyPairs");

    /** What this session knows of one stack's marker. */
    private static final class Known {
        final Set<String> marked = ConcurrentHashMap.newKeySet();
        volatile String id;
    }

    private final AwsSession aws;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    GlobalMarkers(AwsSession aws) {
        this.aws = aws;
    }

    static String name(String stack) {
        return PREFIX + stack;
    }

    public static String tagKey(String type) {
        return GLOBAL_TAG + type;
    }

    /** The type a marker tag names, or null for any other key. */
    static String typeOfTag(String key) {
        return key != null && key.startsWith(GLOBAL_TAG) ? key.substring(GLOBAL_TAG.length()) : null;
    }

    private Known known(String stack) {
        return known.computeIfAbsent(stack, k -> new Known());
    }

    /** What the owned-type look-up saw of the stack's marker (it replaces what was known). */
    void seen(String stack, Set<String> marked, String markerId) {
        Known k = known(stack);
        synchronized (k) {
            k.marked.clear();
            k.marked.addAll(marked);
            k.id = markerId;
        }
    }

    /** The global types this session knows the stack's marker to name. */
    public Set<String> marked(String stack) {
        Known k = known.get(stack);
        return k == null ? Set.of() : Set.copyOf(k.marked);
    }

    /**
     * Makes the stack's marker name {@code type} before an object of it is created (a no-op for a
     * type that is not global, and after the first call per stack and type in this session):
     * CreateKeyPair tagged; if the key pair exists (InvalidKeyPair.Duplicate), DescribeKeyPairs and
     * CreateTags unless it already names the type.
     *
     * @param resource the resource whose create needs it (named in an error)
     */
    public void ensure(String stack, String resource, String type) {
        if (!OwnedTypes.GLOBAL_TYPES.contains(type)) return;
        Known k = known(stack);
        if (k.marked.contains(type)) return;
        synchronized (k) {
            if (k.marked.contains(type)) return;
            if (k.id == null && create(stack, resource, type, k)) return;
            try {
                tag(stack, resource, k.id, tags(stack, Set.of(type)));
            } catch (AwsFailure f) {
                // the marker the look-up saw is gone (deleted by hand): make it again
                if (f.category() != ErrorCategory.NOT_FOUND) throw f;
                k.id = null;
                if (create(stack, resource, type, k)) return;
                tag(stack, resource, k.id, tags(stack, Set.of(type)));
            }
            k.marked.add(type);
        }
    }

    /**
     * Creates the marker naming {@code type}; true if it did. False when it exists: {@code k} then
     * holds its id and the types it names, and the caller tags it unless it names {@code type}.
     */
    private boolean create(String stack, String resource, String type, Known k) {
        try {
            CreateKeyPairResponse r = AwsCalls.call(resource, "CreateKeyPair", () -> aws.ec2().createKeyPair(x -> x.keyName(name(stack))
                    .tagSpecifications(Ec2Tags.spec(ResourceType.KEY_PAIR, tags(stack, Set.of(type))))));
            // r.keyMaterial() is a private key nobody needs: never read, never logged
            k.id = r.keyPairId();
            k.marked.add(type);
            return true;
        } catch (AwsFailure f) {
            if (!DUPLICATE.equals(f.code())) throw f;
        }
        KeyPairInfo found = find(stack, resource).orElseThrow(() -> new AwsFailure(ErrorCategory.CONFLICT, resource, "DescribeKeyPairs",
                "key pair " + name(stack) + " exists (CreateKeyPair: " + DUPLICATE + ") but cannot be read"));
        k.id = found.keyPairId();
        Set<String> names = globalTypes(found, stack);
        k.marked.addAll(names);
        // a marker whose netstack:stack tag is missing (a removal stopped half-way) gets it back with the type
        return names.contains(type) && stack.equals(KeyPairs.tag(found, Ownership.STACK_TAG));
    }

    private void tag(String stack, String resource, String id, Map<String, String> tags) {
        AwsCalls.run(resource, "CreateTags", () -> aws.ec2().createTags(r -> r.resources(id).tags(Ec2Tags.toTags(tags))));
    }

    /**
     * After a run of the stack in which every step succeeded (under its lock): the global types
     * the stack holds live objects of ({@code live}) but its marker does not name are marked (a
     * stack applied before markers existed); then each marked type the file does not declare
     * ({@code destroy}: every marked type) is read in full ({@code list}) and, if no owned object
     * is left, removed from the marker; the marker goes when it names no type. Nothing is called
     * when nothing is marked or to be marked. A failure leaves the marker as it is (a hint call too
     * many, never a missed object) with a warning: it never fails the run.
     *
     * @param list type → its owned objects, read in full
     */
    public void settle(String stack, Set<String> declared, boolean destroy, Set<String> live, Function<String, List<LiveResource>> list) {
        try {
            for (String t : new TreeSet<>(live)) if (!destroy) ensure(stack, null, t);
            Known k = known.get(stack);
            if (k == null || k.marked.isEmpty()) return;
            Set<String> candidates = new TreeSet<>(k.marked);
            if (!destroy) candidates.removeAll(declared);
            Set<String> none = new TreeSet<>();
            for (String t : candidates) if (list.apply(t).isEmpty()) none.add(t);
            if (none.isEmpty()) return;
            synchronized (k) {
                Optional<KeyPairInfo> found = find(stack, null);
                if (found.isEmpty()) {
                    k.marked.clear();
                    k.id = null;
                    return;
                }
                Set<String> names = globalTypes(found.get(), stack);
                Set<String> left = new TreeSet<>(names);
                left.removeAll(none);
                List<Tag> drop = new java.util.ArrayList<>();
                for (String t : names) if (!left.contains(t)) drop.add(Tag.builder().key(tagKey(t)).build());
                // the last type: the stack tag goes too, before the key pair, so a stop in between
                // leaves an untagged key pair (ensure tags it again), never a marker naming nothing
                if (left.isEmpty()) drop.add(Tag.builder().key(Ownership.STACK_TAG).build());
                String id = found.get().keyPairId();
                if (!drop.isEmpty()) AwsCalls.run(null, "DeleteTags", () -> aws.ec2().deleteTags(r -> r.resources(id).tags(drop)));
                if (left.isEmpty()) AwsCalls.run(null, "DeleteKeyPair", () -> aws.ec2().deleteKeyPair(r -> r.keyName(name(stack))));
                k.marked.clear();
                k.marked.addAll(left);
                k.id = left.isEmpty() ? null : id;
            }
        } catch (AwsFailure f) {
            warnLeft(stack, f.describe());
        } catch (RuntimeException e) {
            // a type's read failing in a way AwsCalls does not map: the run succeeded all the same
            warnLeft(stack, String.valueOf(e.getMessage()));
        }
    }

    private static void warnLeft(String stack, String why) {
        LoggerFactory.getLogger(GlobalMarkers.class).warn("{}; the marker {} of stack {} is left as it is (a later apply or destroy removes "
                + "what it no longer needs)", why, name(stack), stack);
    }

    private Optional<KeyPairInfo> find(String stack, String resource) {
        return KeyPairs.byName(aws, resource, name(stack));
    }

    /** The global types a marker's tags name for {@code stack}. */
    static Set<String> globalTypes(KeyPairInfo k, String stack) {
        Set<String> out = new TreeSet<>();
        for (Tag t : k.tags()) {
            String type = typeOfTag(t.key());
            if (type != null && OwnedTypes.GLOBAL_TYPES.contains(type) && stack.equals(t.value())) out.add(type);
        }
        return out;
    }

    /** The marker's tags naming {@code types}: netstack:stack (so the look-up finds it), Name, one tag per type. */
    static Map<String, String> tags(String stack, Set<String> types) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(Ownership.STACK_TAG, stack);
        t.put(Ownership.NAME_TAG, name(stack));
        for (String type : new TreeSet<>(types)) t.put(tagKey(type), stack);
        return t;
    }
}
