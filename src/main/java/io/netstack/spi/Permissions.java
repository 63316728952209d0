package io.netstack.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IAM actions ({@code service:Action}) a resource type's handlers need, as CloudFormation's
 * resource schemas declare {@code handlers.<list|create|update|delete>.permissions}. {@code netstack
 * policy} builds a stack's least-privilege policy from them, so every call a handler makes must be
 * here; a missing one shows as an access-denied error that names it.
 *
 * @param list   {@code list}: the Describe calls of a plan (and of the read-back of the other handlers)
 * @param create {@code create}, besides {@code list}: the create call, tagging at creation, children
 * @param update {@code update}, besides {@code list}
 * @param delete {@code delete}, besides {@code list}: deletes, detaches, the waits until gone
 * @param drift  the extra reads of {@code unmanaged} (objects without tags inside owned VPCs), for drift
 */
public record Permissions(List<String> list, List<String> create, List<String> update, List<String> delete, List<String> drift) {
    /** A type that declares nothing: {@code netstack policy} refuses to guess. */
    public static final Permissions UNDECLARED = new Permissions(List.of(), List.of(), List.of(), List.of(), List.of());

    public Permissions {
        list = List.copyOf(list);
        create = List.copyOf(create);
        update = List.copyOf(update);
        delete = List.copyOf(delete);
        drift = List.copyOf(drift);
        for (List<String> l : List.of(list, create, update, delete, drift)) {
            for (String a : l) {
                if (!a.matches("[a-z0-9-]+:[A-Za-z0-9*]+")) throw new IllegalArgumentException("not a service:Action: " + a);
            }
        }
    }

    public Permissions(List<String> list, List<String> create, List<String> update, List<String> delete) {
        this(list, create, update, delete, List.of());
    }

    public boolean declared() {
        return !list.isEmpty();
    }

    /** What a stack's run needs of this type. */
    public enum Need { LIST, CREATE, UPDATE, DELETE, DRIFT }

    /** The actions for the given needs ({@code list} always included: every handler reads). */
    public Set<String> actions(Set<Need> needs) {
        List<String> out = new ArrayList<>(list);
        if (needs.contains(Need.CREATE)) out.addAll(create);
        if (needs.contains(Need.UPDATE)) out.addAll(update);
        if (needs.contains(Need.DELETE)) out.addAll(delete);
        if (needs.contains(Need.DRIFT)) out.addAll(drift);
        return new TreeSet<>(out);
    }
}
