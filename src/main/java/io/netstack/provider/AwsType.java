package io.netstack.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.LiveResource;
import io.netstack.spi.ResourceSpec;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Schema;
import io.netstack.spi.Validation;
import io.netstack.stack.Cidr;
import io.netstack.stack.ResourceBlock;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import java.time.Duration;
import java.util.Collection;
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
 */
public abstract class AwsType<C> implements ResourceType {
    /**
     * Eventual consistency: "poll with exponential backoff … up to about 5 minutes" (docs/aws-facts.md,
     * EC2 developer guide); Terraform's ec2PropagationTimeout is 2–5 min. Direct Connect and
     * CloudFront get the same bound.
     */
    public static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(5);
    /** The state most finders count as gone: EC2 lists deleted objects for a while (docs/aws-facts.md). */
    public static final Set<String> DELETED = Set.of("deleted");
    /** The gone states of objects whose delete goes through "deleting" (gateways, VPN connections, transit gateways). */
    public static final Set<String> DELETING_OR_DELETED = Set.of("deleting", "deleted");

    /** A service's error model: runs one SDK call and turns its failure into an {@link AwsFailure}. */
    @FunctionalInterface
    public interface Calls {
        <T> T call(String id, String action, Supplier<T> call);
    }

    protected final AwsSession aws;
    private final Function<AwsSession, C> clientOf;
    private final Calls calls;
    private final String name, noun;
    private final Schema schema;

    /**
     * @param name   the {@code type} string of stack files ("vpc", "nat-gateway")
     * @param noun   how the object is named in messages ("VPC", "NAT gateway")
     * @param schema the type's properties and attributes
     */
    protected AwsType(AwsSession aws, Function<AwsSession, C> clientOf, String name, String noun, Schema schema) {
        this(aws, clientOf, AwsCalls::call, name, noun, schema);
    }

    /** A type of a service with its own error model ({@code calls}: Direct Connect's, RAM's). */
    protected AwsType(AwsSession aws, Function<AwsSession, C> clientOf, Calls calls, String name, String noun, Schema schema) {
        this.aws = aws;
        this.clientOf = clientOf;
        this.calls = calls;
        this.name = name;
        this.noun = noun;
        this.schema = schema;
    }

    /** The session's client (built on first use, shared by every type). */
    protected final C client() {
        return clientOf.apply(aws);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Schema schema() {
        return schema;
    }

    /** How the object is named in messages: "VPC", "subnet", "Direct Connect gateway". */
    protected final String noun() {
        return noun;
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

    // ---- calls ---------------------------------------------------------------------------------

    /** One SDK call with this service's error model ({@link AwsCalls} unless the constructor named another). */
    protected final <T> T call(String id, String action, Supplier<T> call) {
        return calls.call(id, action, call);
    }

    protected final void run(String id, String action, Runnable call) {
        call(id, action, () -> {
            call.run();
            return null;
        });
    }

    /** A call that may name objects created a moment ago: NotFound is retried for a while. */
    protected <T> T mutate(TypeContext ctx, String id, String action, Supplier<T> call) {
        return ctx.retrying(id, action, Set.of(ErrorCategory.NOT_FOUND), PROPAGATION_TIMEOUT, () -> call(id, action, call));
    }

    protected void mutateRun(TypeContext ctx, String id, String action, Runnable call) {
        mutate(ctx, id, action, () -> {
            call.run();
            return null;
        });
    }

    /** A read; NotFound becomes {@code Optional.empty()}. Only for reads: a write must not hide NotFound. */
    protected <T> Optional<T> find(String id, String action, Supplier<T> call) {
        try {
            return Optional.ofNullable(call(id, action, call));
        } catch (AwsFailure f) {
            if (f.category() == ErrorCategory.NOT_FOUND) return Optional.empty();
            throw f;
        }
    }

    /**
     * A write that AWS refuses while the object or what it depends on is busy: DependencyViolation
     * and {@code busyCodes} (e.g. IncorrectState while a transit gateway is still 'modifying') are
     * retried for {@code timeout}.
     */
    protected final void runWhileBusy(TypeContext ctx, String id, String action, Set<String> busyCodes, Duration timeout, Runnable call) {
        ctx.retrying(id, action, Set.of(ErrorCategory.DEPENDENCY_VIOLATION), timeout,
                () -> busyIsRetryable(busyCodes, () -> call(id, action, () -> {
                    call.run();
                    return null;
                })));
    }

    /**
     * A write whose object may already be gone, in which case there is nothing left to do (revoking
     * rules of a group being deleted): {@code goneCodes} are success, any other failure is not.
     *
     * @return false if one of {@code goneCodes} came back
     */
    protected final boolean runUnlessGone(String id, String action, Set<String> goneCodes, Runnable call) {
        try {
            run(id, action, call);
            return true;
        } catch (AwsFailure f) {
            if (f.code() != null && goneCodes.contains(f.code())) return false;
            throw f;
        }
    }

    // ---- find / status / wait ------------------------------------------------------------------

    /**
     * Finds one object by its AWS id: empty for NotFound, an empty answer, an answer about another
     * id (a filter AWS ignored) or a state in {@code goneStates}.
     *
     * @param describe the Describe call asking for {@code awsId}
     * @param idOf     the object's id
     * @param stateOf  its state ({@code null} for objects that have none)
     */
    protected final <T> Optional<T> findOne(String id, String action, String awsId, Supplier<? extends Collection<T>> describe,
                                            Function<T, String> idOf, Function<T, String> stateOf, Set<String> goneStates) {
        return find(id, action, describe).flatMap(all -> all.stream()
                .filter(o -> awsId.equals(idOf.apply(o)))
                .filter(o -> stateOf == null || !goneStates.contains(stateOf.apply(o)))
                .findFirst());
    }

    /**
     * {@link #findOne} through the session's {@link DescribeBatch} of {@code action}: callers looking
     * up objects of this action at the same time share one Describe (issue 12).
     *
     * @param describeIds one Describe of the given ids that returns what exists of them and does not
     *                    fail for an id that does not (EC2: the {@code *-id} filter, not {@code …Ids},
     *                    which fails the whole call with InvalidXxxID.NotFound)
     */
    protected final <T> Optional<T> findBatched(String id, String action, String awsId, Function<List<String>, ? extends Collection<T>> describeIds,
                                                Function<T, String> idOf, Function<T, String> stateOf, Set<String> goneStates) {
        DescribeBatch<T> batch = aws.batch(client(), action);
        return find(id, action, () -> batch.get(awsId, ids -> List.copyOf(call(id, action, () -> describeIds.apply(ids))), idOf).orElse(null))
                .filter(o -> stateOf == null || !goneStates.contains(stateOf.apply(o)));
    }

    /** {@link #findBatched} with {@link #DELETED} as the gone state. */
    protected final <T> Optional<T> findBatched(String id, String action, String awsId, Function<List<String>, ? extends Collection<T>> describeIds,
                                                Function<T, String> idOf, Function<T, String> stateOf) {
        return findBatched(id, action, awsId, describeIds, idOf, stateOf, DELETED);
    }

    /**
     * The type's {@link Finder}: {@code describe} asks for one AWS id, {@code goneStates} are the
     * states in which the object counts as gone.
     */
    protected final <T> Finder<T> finder(String action, Function<String, ? extends Collection<T>> describe,
                                         Function<T, String> idOf, Function<T, String> stateOf, Set<String> goneStates) {
        return new Finder<>(this, action, describe, idOf, stateOf, goneStates);
    }

    /** {@link #findOne} with {@link #DELETED} as the gone state. */
    protected final <T> Optional<T> findOne(String id, String action, String awsId, Supplier<? extends Collection<T>> describe,
                                            Function<T, String> idOf, Function<T, String> stateOf) {
        return findOne(id, action, awsId, describe, idOf, stateOf, DELETED);
    }

    /**
     * Waits on the object {@code awsId} until {@code wait} ends; absence is what the wait says it is.
     * Messages name the resource and {@code noun() + " " + awsId}.
     */
    protected final <T> Waiter.Outcome await(TypeContext ctx, String id, String awsId, Wait wait, Supplier<Optional<T>> find, Status<T> status) {
        return awaitOn(ctx, id, noun() + " " + awsId, awsId, wait, find, status);
    }

    /** {@link #await} on a part of an object ("secondary CIDRs of vpc-1"), named by {@code object}. */
    protected final <T> Waiter.Outcome awaitOn(TypeContext ctx, String id, String object, String awsId, Wait wait,
                                               Supplier<Optional<T>> find, Status<T> status) {
        return ctx.waiter().until(id, wait.what(object), wait.timeout(), wait.targets(), wait.failures(), () -> {
            // Polls of one action share a round a FIRST_DELAY apart, the shortest any wait polls at.
            Optional<T> o = DescribeBatch.polling(pollCadence(ctx), find);
            if (o.isPresent()) return status.of(o.get());
            if (wait.whenMissing() == null) throw notFound(id, awsId);
            return new Waiter.Outcome(wait.whenMissing(), null);
        });
    }

    /**
     * Runs {@code read}, whose batched lookups ({@link #findBatched}) need an answer read after they
     * asked but may wait up to {@link Waiter#FIRST_DELAY} to share it with the other callers of the
     * action meanwhile ({@link DescribeBatch#gathering}).
     */
    protected final <R> R gathered(TypeContext ctx, Supplier<R> read) {
        return DescribeBatch.gathering(pollCadence(ctx), read);
    }

    /** {@link Waiter#FIRST_DELAY} as the session's waiter scales it (tests shrink every delay). */
    private static Duration pollCadence(TypeContext ctx) {
        return Duration.ofNanos((long) (Waiter.FIRST_DELAY.toNanos() * ctx.waiter().scale()));
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

    /** Fails an update whose object has gone, rather than recreating it (the contract's rule). */
    protected final AwsFailure notFound(String id, String awsId) {
        return new AwsFailure(ErrorCategory.NOT_FOUND, id, null, noun() + " " + awsId + " not found (deleted outside netstack?); run plan again to recreate it");
    }

    /** {@link #notFound} for code that has no type at hand. */
    protected static AwsFailure gone(String id, String awsId) {
        return new AwsFailure(ErrorCategory.NOT_FOUND, id, null, awsId + " not found (deleted outside netstack?); run plan again to recreate it");
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

    /** Failures with one of {@code busyCodes} ("busy, try again") become DependencyViolations, which deletes retry. */
    public static <T> T busyIsRetryable(Set<String> busyCodes, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsFailure f) {
            if (f.code() != null && busyCodes.contains(f.code())) {
                throw new AwsFailure(ErrorCategory.DEPENDENCY_VIOLATION, f.resource(), f.action(), f.code(), f.requestId(), f.getMessage(), f);
            }
            throw f;
        }
    }
}
