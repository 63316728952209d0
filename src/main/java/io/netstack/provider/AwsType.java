package io.netstack.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.Schema;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The provider vocabulary every AWS type is written in, for any SDK client {@code C} (EC2, Direct
 * Connect, CloudFront), modelled on terraform-provider-aws's per-type {@code find…}/{@code status…}/
 * {@code wait…} functions:
 * <ul>
 *   <li><b>find</b>: {@link #findOne} returns the object or {@code Optional.empty()} — for a NotFound
 *       error, an empty answer, an answer about another id, or a state that means gone
 *       ({@link #DELETED} unless the type says otherwise);</li>
 *   <li><b>status</b>: a {@link Status} function, object → state, declared once per kind of object;</li>
 *   <li><b>wait</b>: a {@link Wait} constant with its named timeout, run by {@link #await}; every
 *       message names the resource and the object;</li>
 *   <li><b>update</b>: {@link #ensureExists} first (an object deleted by hand fails at once as NotFound,
 *       naming it, instead of retrying its NotFound for {@link #PROPAGATION_TIMEOUT}), then
 *       {@link #updated} instead of the {@code touched ? readOne : live} tail;</li>
 *   <li><b>delete</b>: {@link #deleteAndWaitGone} with a {@link Deletion}: only the object's own
 *       NotFound codes mean "already gone", DependencyViolation and the busy codes are retried.</li>
 * </ul>
 * Retries follow terraform-provider-aws (tfresource.RetryWhenAWSErrCodeEquals): calls that name a
 * just-created object ({@link #mutate}, {@link #readBack}) retry NotFound for {@link #PROPAGATION_TIMEOUT}.
 * The identity, calls and find/status/wait half lives in {@link AwsTypeCore}; this class adds
 * validation, read-back, update and delete.
 */
public abstract class AwsType<C> extends AwsTypeCore<C> {
    /**
     * @param name   the {@code type} string of stack files ("vpc", "nat-gateway")
     * @param noun   how the object is named in messages ("VPC", "NAT gateway")
     * @param schema the type's properties and attributes
     */
    protected AwsType(AwsSession aws, Function<AwsSession, C> clientOf, String name, String noun, Schema schema) {
        super(aws, clientOf, name, noun, schema);
    }

    /** A type of a service with its own error model ({@code calls}: Direct Connect's, RAM's). */
    protected AwsType(AwsSession aws, Function<AwsSession, C> clientOf, Calls calls, String name, String noun, Schema schema) {
        super(aws, clientOf, calls, name, noun, schema);
    }

    /**
     * Validation: warns once, on the block that takes the file past a default AWS quota of this
     * type ({@code quota}), i.e. the type's first block beyond it in file order.
     */
    protected final void warnPastQuota(ResourceBlock b, Validation v, int quota, String message) {
        int n = 0;
        for (ResourceBlock other : v.blocksOfType(name())) {
            if (!other.type().equals(name())) continue;
            n++;
            if (other.id().equals(b.id())) break;
        }
        if (n == quota + 1) v.warning(b, "", message);
    }

    /** What validation checks of one CIDR of a list: {@code at} is its JSON pointer, {@code before} the CIDRs listed before it. */
    @FunctionalInterface
    protected interface CidrCheck {
        void check(Cidr c, String at, List<Cidr> before);
    }

    /**
     * Validation of a list property of CIDRs ({@code allowedPrefixes}, {@code cidrBlocks}): runs
     * {@code check} on each element that parses (the schema check reports the others), in order.
     */
    protected static void eachCidr(ResourceBlock b, String property, CidrCheck check) {
        JsonNode list = b.properties().get(property);
        if (list == null || !list.isArray()) return;
        List<Cidr> seen = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Cidr c;
            try {
                c = Cidr.parse(list.get(i).asText());
            } catch (IllegalArgumentException e) {
                continue; // reported by the schema check
            }
            check.check(c, "/" + property + "/" + i, List.copyOf(seen));
            seen.add(c);
        }
    }

    // ---- read back / update --------------------------------------------------------------------

    /**
     * Waits until what {@code find} reads passes {@code written} (what was just written reads back:
     * EC2 is eventually consistent, docs/aws-facts.md) and returns the object as last read (never
     * null: the wait ends only on an answer that passed).
     */
    protected final <T> T awaitWritten(TypeContext ctx, String id, String what, Duration timeout, Supplier<Optional<T>> find, Predicate<T> written) {
        var last = new AtomicReference<T>();
        ctx.waiter().until(id, what, timeout, Set.of("visible"), Set.of(), () -> {
            Optional<T> now = find.get();
            if (now.isEmpty()) return new Waiter.Outcome("not visible yet", null);
            last.set(now.get());
            return new Waiter.Outcome(written.test(now.get()) ? "visible" : "propagating", null);
        });
        return last.get();
    }

    /**
     * Reads one object back after a create or update; a just-created object may not be visible
     * yet, so absence is retried for {@link #PROPAGATION_TIMEOUT}.
     */
    protected LiveResource readBack(TypeContext ctx, String id, String awsId, Supplier<Optional<LiveResource>> read) {
        return ctx.retrying(id, "read " + awsId, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () ->
                read.get().orElseThrow(() -> new AwsFailure(ErrorCategory.NOT_FOUND, id, null, noun() + " " + awsId + " is not visible yet")));
    }

    /**
     * The first step of every update: the object as AWS has it now, or a NotFound naming it at
     * once. Without it an update of an object deleted by hand retries its calls' NotFound (which
     * right after a create means "not visible yet") for {@link #PROPAGATION_TIMEOUT}.
     */
    protected final <T> T ensureExists(String id, String awsId, Supplier<Optional<T>> find) {
        return find.get().orElseThrow(() -> notFound(id, awsId));
    }

    /**
     * The {@code tags} step of an update, where the service's base knows how to tag ({@code Ec2Type},
     * {@code DxType}): writes the tags if the plan changed them; says whether it called AWS.
     */
    protected boolean syncTags(LiveResource live, ResourceSpec spec, Set<String> changed) {
        throw new UnsupportedOperationException(name() + ": " + getClass().getSimpleName() + " has no tags step");
    }

    /**
     * The whole update of an object that must exist: {@link #ensureExists} (an object deleted by hand
     * fails at once as NotFound, naming it), the type's {@code steps} on the object as AWS has it now
     * (they say whether they called AWS), then {@link #updatedAfterTags} (the {@code tags} step, the
     * object read back if anything was written).
     */
    protected final <T> LiveResource updateExisting(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed,
                                                   Supplier<Optional<T>> find, Predicate<T> steps, Supplier<Optional<LiveResource>> read) {
        T now = ensureExists(spec.id(), live.awsId(), find);
        return updatedAfterTags(ctx, live, spec, changed, steps.test(now), read);
    }

    /**
     * The last two steps of an update: the {@code tags} step ({@link #syncTags}), then the object read
     * back if it or an earlier step ({@code touched}) called AWS, else {@code live}.
     */
    protected final LiveResource updatedAfterTags(TypeContext ctx, LiveResource live, ResourceSpec spec, Set<String> changed, boolean touched,
                                                  Supplier<Optional<LiveResource>> read) {
        return updated(ctx, live, syncTags(live, spec, changed) | touched, read);
    }

    /** The last step of an update: the object read back if anything was changed, else {@code live}. */
    protected final LiveResource updated(TypeContext ctx, LiveResource live, boolean touched, Supplier<Optional<LiveResource>> read) {
        return touched ? readBack(ctx, live.id(), live.awsId(), read) : live;
    }

    /**
     * {@code live}, an object as its create answered it, with the spec's {@code lists} written: what
     * a new object is after writes that each answered success, without a read (issue 12).
     */
    protected final LiveResource withListsWritten(LiveResource live, ResourceSpec spec, List<String> lists) {
        ObjectNode p = live.properties().deepCopy();
        for (String list : lists) {
            JsonNode want = spec.properties().get(list);
            p.set(list, want == null ? JsonNodeFactory.instance.arrayNode() : want.deepCopy());
        }
        return new LiveResource(live.id(), live.type(), live.awsId(), normalize(p), live.attributes());
    }

    // ---- delete --------------------------------------------------------------------------------

    /**
     * Deletes and waits until the object is gone. The delete's own NotFound codes mean it was
     * already gone; any other failure (a NotFound about another object included) surfaces at once;
     * DependencyViolation and the busy codes are retried for the deletion's timeout, which also
     * bounds the wait.
     */
    protected final <T> void deleteAndWaitGone(TypeContext ctx, String id, String awsId, Deletion d, Runnable call,
                                               Supplier<Optional<T>> find, Status<T> status) {
        deleteAndWaitGone(ctx, id, awsId, d, call, find, status, Wait.deleted(d.timeout()));
    }

    /** {@link #deleteAndWaitGone} of {@code live}, for a type whose delete call takes the AWS id and whose finder (logical id, AWS id). */
    protected final <T> void deleteAndWaitGone(TypeContext ctx, LiveResource live, Deletion d, Consumer<String> call,
                                               BiFunction<String, String, Optional<T>> find, Status<T> status) {
        String id = live.id(), awsId = live.awsId();
        deleteAndWaitGone(ctx, id, awsId, d, () -> call.accept(awsId), () -> find.apply(id, awsId), status);
    }

    /** {@link #deleteAndWaitGone} with its own wait for the object to go (one with failure states). */
    protected final <T> void deleteAndWaitGone(TypeContext ctx, String id, String awsId, Deletion d, Runnable call,
                                               Supplier<Optional<T>> find, Status<T> status, Wait gone) {
        if (!deleteOnly(ctx, id, d, call)) return;
        await(ctx, id, awsId, gone, find, status);
    }

    /**
     * {@link #deleteAndWaitGone} of an object that AWS keeps listing in state "deleted" for a while
     * (gone) and that may be "deleting" already (then only the wait): the transit gateway family.
     * Asking first also spares moto's HTTP 500 on deleting an unknown id (docs/moto-notes.md).
     *
     * @param first run before the delete when there is one to make (what must go before the object)
     */
    protected final <T> void deleteUnlessDeleting(TypeContext ctx, String id, String awsId, Deletion d, Runnable first, Runnable call,
                                                  Supplier<Optional<T>> describe, Function<T, String> stateOf) {
        Supplier<Optional<T>> find = () -> describe.get().filter(o -> !"deleted".equals(stateOf.apply(o)));
        Optional<T> now = find.get();
        if (now.isEmpty()) return;
        Status<T> state = Status.of(stateOf);
        if ("deleting".equals(stateOf.apply(now.get()))) {
            await(ctx, id, awsId, Wait.deleted(d.timeout()), find, state);
            return;
        }
        first.run();
        deleteAndWaitGone(ctx, id, awsId, d, call, find, state);
    }

    /** {@link #deleteUnlessDeleting} of {@code live} with nothing to remove first, for a type whose delete call takes the AWS id and whose finder (logical id, AWS id). */
    protected final <T> void deleteUnlessDeleting(TypeContext ctx, LiveResource live, Deletion d, Consumer<String> call,
                                                  BiFunction<String, String, Optional<T>> describe, Function<T, String> stateOf) {
        String id = live.id(), awsId = live.awsId();
        deleteUnlessDeleting(ctx, id, awsId, d, () -> { }, () -> call.accept(awsId), () -> describe.apply(id, awsId), stateOf);
    }

    /**
     * Only the delete call of {@link #deleteAndWaitGone}, for objects that are gone when it returns.
     *
     * @return false if the object was already gone
     */
    protected final boolean deleteOnly(TypeContext ctx, String id, Deletion d, Runnable call) {
        try {
            runWhileBusy(ctx, id, d.action(), d.busyCodes(), d.timeout(), call);
            return true;
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND && d.notFoundCodes().contains(f.code())) return false;
            throw f;
        }
    }
}
