package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.ImportScope;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Permissions;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Unmanaged;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;

/** An EC2 type: {@link AwsType} over the session's EC2 client, plus EC2's ARN shape. */
public abstract class Ec2Type extends AwsType<Ec2Client> {
    protected Ec2Type(AwsSession aws, String name, String noun, Schema schema) {
        super(aws, AwsSession::ec2, name, noun, schema);
    }

    protected Ec2Client ec2() {
        return client();
    }

    /**
     * How a type reads its objects in bulk, declared once per type with {@link #reads}: the Describe's
     * action, the call for one filter, the object's id and tags, which objects are the type's to
     * report (gone states, AWS defaults) and their translation under a logical id.
     */
    protected record Reads<T>(String action, Function<Filter, ? extends Iterable<T>> describe, Function<T, String> idOf,
                              Function<T, List<Tag>> tagsOf, Predicate<T> keep, Translation<T> translate) {
    }

    /** An object in the canonical shape under its logical id (the function a read-back uses too). */
    @FunctionalInterface
    protected interface Translation<T> {
        LiveResource of(TypeContext ctx, String id, T object);
    }

    /** The type's {@link Reads}, when it declared them: then {@link #list} is derived from them. */
    private Reads<?> reads;

    /** Declares the type's {@link Reads}; {@link #list} is then {@link #listOwned} of them. */
    protected final <T> Reads<T> reads(String action, Function<Filter, ? extends Iterable<T>> describe, Function<T, String> idOf,
                                       Function<T, List<Tag>> tagsOf, Predicate<T> keep, Translation<T> translate) {
        Reads<T> r = new Reads<>(action, describe, idOf, tagsOf, keep, translate);
        this.reads = r;
        return r;
    }

    /** {@link #reads} keeping every object. */
    protected final <T> Reads<T> reads(String action, Function<Filter, ? extends Iterable<T>> describe, Function<T, String> idOf,
                                       Function<T, List<Tag>> tagsOf, Translation<T> translate) {
        return reads(action, describe, idOf, tagsOf, o -> true, translate);
    }

    /** The objects of the type's {@link #reads} that the stack owns; a type that declared none lists its own way. */
    @Override
    public List<LiveResource> list(TypeContext ctx) {
        if (reads == null) throw new IllegalStateException(name() + " declares no reads(...) and does not override list");
        return listOwned(ctx, reads);
    }

    /**
     * {@link #findBatched} with the Describe of the type's {@code reads}, filtered by {@code idFilter}
     * ("route-table-id"), not by the call's {@code …Ids}: one missing id would fail the whole batched
     * call; objects written together are read back with one call (issue 12).
     */
    protected final <T> Optional<T> findBatched(String id, Reads<T> reads, String idFilter, String awsId, Function<T, String> stateOf, Set<String> goneStates) {
        return findBatched(id, reads.action(), awsId, ids -> {
            List<T> found = new ArrayList<>();
            reads.describe().apply(Ec2Tags.filter(idFilter, ids)).forEach(found::add);
            return found;
        }, reads.idOf(), stateOf, goneStates);
    }

    /** {@link #listOwned} of {@code reads}: one Describe filtered by the stack's tag. */
    protected final <T> List<LiveResource> listOwned(TypeContext ctx, Reads<T> reads) {
        return listOwned(ctx, reads.action(), () -> reads.describe().apply(Ec2Tags.stackFilter(ctx.stack())), reads.tagsOf(), reads.keep(),
                (id, o) -> reads.translate().of(ctx, id, o));
    }

    /**
     * {@link #importInVpcs} of {@code reads}: {@code describe} reads the import's VPCs (by a filter,
     * or a read shared with the vpc type), {@code keep} says which of them to import.
     */
    protected final <T> List<LiveResource> importInVpcs(TypeContext ctx, ImportScope scope, Reads<T> reads, Supplier<? extends Iterable<T>> describe,
                                                        Predicate<T> keep) {
        return importInVpcs(scope, reads.action(), describe, keep, reads.idOf(), reads.tagsOf(), (id, o) -> reads.translate().of(ctx, id, o));
    }

    /**
     * The body of a {@code list}: the objects of one stack-filtered Describe that the stack owns
     * (tags re-checked client-side: some backends ignore filters), each translated with its
     * logical id. {@code keep} drops what is not the type's to report (gone states, defaults).
     */
    protected final <T> List<LiveResource> listOwned(TypeContext ctx, String action, Supplier<? extends Iterable<T>> describe,
                                                     Function<T, List<Tag>> tagsOf, Predicate<T> keep, BiFunction<String, T, LiveResource> translate) {
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(null, action, () -> describe.get().forEach(o -> {
            if (keep.test(o)) Ec2Tags.ownedId(tagsOf.apply(o), ctx.stack()).ifPresent(id -> out.add(translate.apply(id, o)));
        }));
        return out;
    }

    /**
     * The body of an {@code importable} that reads by the import's VPCs (nothing for an import by
     * reference or without VPCs): the objects of one Describe that {@code keep} accepts, each
     * translated under its AWS id and marked with its tags, netstack's or not.
     */
    protected final <T> List<LiveResource> importInVpcs(ImportScope scope, String action, Supplier<? extends Iterable<T>> describe, Predicate<T> keep,
                                                        Function<T, String> idOf, Function<T, List<Tag>> tagsOf, BiFunction<String, T, LiveResource> translate) {
        if (scope.byReference() || scope.vpcIds().isEmpty()) return List.of();
        List<LiveResource> out = new ArrayList<>();
        AwsCalls.run(null, action, () -> describe.get().forEach(o -> {
            if (keep.test(o)) out.add(Ec2Tags.any().mark(translate.apply(idOf.apply(o), o), tagsOf.apply(o)));
        }));
        return out;
    }

    /**
     * The body of an {@code unmanaged} (drift): the objects of one Describe by the stack's VPCs that
     * carry no netstack ownership tags, each as {@code unmanaged} describes it (empty: not the
     * type's to report: another VPC's, AWS's default, gone).
     */
    protected static <T> List<Unmanaged> unmanagedIn(Set<String> vpcIds, String action, Supplier<? extends Iterable<T>> describe,
                                                     Function<T, List<Tag>> tagsOf, Function<T, Optional<Unmanaged>> unmanaged) {
        if (vpcIds.isEmpty()) return List.of();
        List<Unmanaged> out = new ArrayList<>();
        AwsCalls.run(null, action, () -> describe.get().forEach(o -> {
            if (!Ec2Tags.hasOwnership(tagsOf.apply(o))) unmanaged.apply(o).ifPresent(out::add);
        }));
        return out;
    }

    /** {@link #unmanagedIn} with the Describe of the type's {@code reads}, filtered by {@code vpcFilter} ("vpc-id", "attachment.vpc-id") = the VPCs. */
    protected static <T> List<Unmanaged> unmanagedIn(Set<String> vpcIds, Reads<T> reads, String vpcFilter, Function<T, Optional<Unmanaged>> unmanaged) {
        return unmanagedIn(vpcIds, reads.action(), () -> reads.describe().apply(Ec2Tags.filter(vpcFilter, vpcIds)), reads.tagsOf(), unmanaged);
    }

    /**
     * One paginated Describe of the import's objects, read once per import and shared by the types
     * that need it (the vpc type takes its default group, main table and default NACL from them).
     */
    public static <T> List<T> importRead(ImportScope scope, String action, Supplier<? extends Iterable<T>> describe) {
        return scope.shared(action, () -> {
            List<T> all = new ArrayList<>();
            AwsCalls.run(null, action, () -> describe.get().forEach(all::add));
            return all;
        });
    }

    /**
     * {@code netstack adopt}: one CreateTags on the object (tags differ per object: netstack:id), and
     * nothing else. CreateTags only adds or overwrites the keys it names, so the object's other tags stay.
     */
    @Override
    public void adopt(TypeContext ctx, LiveResource live, java.util.Map<String, String> tags) {
        mutateRun(ctx, live.id(), "CreateTags", () -> ec2().createTags(r -> r.resources(live.awsId()).tags(Ec2Tags.toTags(tags))));
    }

    @Override
    public List<String> adoptActions() {
        return List.of("ec2:CreateTags");
    }

    /** The whole update of a type whose only updatable property is {@code tags}. */
    protected final <T> LiveResource updateTags(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed,
                                                Supplier<Optional<T>> find, Supplier<Optional<LiveResource>> read) {
        return updateExisting(ctx, live, spec, changed, find, o -> false, read);
    }

    /** {@link #updateTags} for a type whose finder and read take (logical id, AWS id): {@code this::describe, this::readOne}. */
    protected final <T> LiveResource updateTags(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed,
                                                BiFunction<String, String, Optional<T>> find, BiFunction<String, String, Optional<LiveResource>> read) {
        String id = spec.id(), awsId = live.awsId();
        return updateTags(ctx, live, spec, changed, () -> find.apply(id, awsId), () -> read.apply(id, awsId));
    }

    /** The {@code tags} step of an update: the tags written (CreateTags, DeleteTags) if the plan changed them; says whether it called AWS. */
    @Override
    protected final boolean syncTags(LiveResource live, ResourceSpec spec, Set<String> changed) {
        if (!changed.contains("tags")) return false;
        Ec2Tags.update(ec2(), spec.id(), live.awsId(), live.properties().get("tags"), spec.properties().get("tags"));
        return true;
    }

    /**
     * The IAM actions of an EC2 type ({@code permissions()}): the EC2 actions (bare names, as
     * {@link Deletion} and {@link Reads} spell them) that are the type's own in {@code create},
     * {@code update}, {@code delete}, with what every EC2 type's handlers call derived from what the
     * type declares: the Describe of its {@link #reads} (list, with {@code alsoReads}: the reads of
     * a type without {@code reads(...)}, or of other objects), CreateTags (tags at creation), CreateTags
     * and DeleteTags (the update's tags step), the {@code deletion}'s action; drift's scan of
     * unmanaged objects reads what list does when {@code driftReads}.
     */
    protected final Permissions ec2Permissions(List<String> alsoReads, Deletion deletion, List<String> create, List<String> update, List<String> delete,
                                               boolean driftReads) {
        List<String> list = new ArrayList<>();
        if (reads != null) list.add(reads.action());
        list.addAll(alsoReads);
        return new Permissions(ec2Actions(list), ec2Actions(create, "CreateTags"), ec2Actions(update, "CreateTags", "DeleteTags"),
                ec2Actions(delete, deletion.action()), driftReads ? ec2Actions(list) : List.of());
    }

    /** {@link #ec2Permissions(List, Deletion, List, List, List, boolean)} of a type that reads only its {@link #reads}. */
    protected final Permissions ec2Permissions(Deletion deletion, List<String> create, List<String> update, List<String> delete, boolean driftReads) {
        return ec2Permissions(List.of(), deletion, create, update, delete, driftReads);
    }

    /** {@code actions} and {@code more} as IAM actions of EC2 ({@code ec2:DescribeVpcs}). */
    private static List<String> ec2Actions(List<String> actions, String... more) {
        return java.util.stream.Stream.concat(actions.stream(), java.util.Arrays.stream(more)).map(a -> "ec2:" + a).toList();
    }

    /**
     * Batch calls (CreateFlowLogs, DeleteFlowLogs, DeleteVpcEndpointServiceConfigurations) answer
     * 200 and list what failed: the first failure becomes the call's AwsFailure, its code mapped
     * like any other ({@code busyCodes}: a DependencyViolation, which deletes retry).
     */
    protected static void failOnUnsuccessful(String id, String action, List<UnsuccessfulItem> items, Set<String> busyCodes) {
        for (UnsuccessfulItem u : items) {
            String code = u.error() == null ? null : u.error().code();
            String msg = u.error() == null ? "failed" : u.error().message();
            ErrorCategory category = busyCodes.contains(code) ? ErrorCategory.DEPENDENCY_VIOLATION : AwsCalls.category(code, 400, msg);
            throw new AwsFailure(category, id, action, code, null, (u.resourceId() == null ? "" : u.resourceId() + ": ") + msg, null);
        }
    }

    /** {@code arn:aws:ec2:<region>:<owner>:<kind>/<id>}: EC2 returns ARNs for few of its objects. */
    public static String arn(TypeContext ctx, String ownerId, String kind, String awsId) {
        return "arn:aws:ec2:" + ctx.region() + ":" + ownerId + ":" + kind + "/" + awsId;
    }
}
