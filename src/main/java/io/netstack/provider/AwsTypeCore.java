package io.netstack.provider;

import io.netstack.spi.AwsFailure;
import io.netstack.spi.ErrorCategory;
import io.netstack.spi.ResourceType;
import io.netstack.spi.Schema;
import io.netstack.spi.TypeContext;
import io.netstack.spi.Waiter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The first half of the provider vocabulary ({@link AwsType} is the rest, and what types extend): a
 * type's identity (name, noun, schema), its SDK client and error model ({@link Calls}), and the
 * <b>find</b> / <b>status</b> / <b>wait</b> helpers, as terraform-provider-aws splits each EC2 type
 * into find.go, status.go and wait.go. It writes to AWS only through {@link #mutate} and
 * {@link #runWhileBusy}, on which the update and delete helpers of {@link AwsType} build.
 */
public abstract class AwsTypeCore<C> implements ResourceType {
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
    protected AwsTypeCore(AwsSession aws, Function<AwsSession, C> clientOf, String name, String noun, Schema schema) {
        this(aws, clientOf, AwsCalls::call, name, noun, schema);
    }

    /** A type of a service with its own error model ({@code calls}: Direct Connect's, RAM's). */
    protected AwsTypeCore(AwsSession aws, Function<AwsSession, C> clientOf, Calls calls, String name, String noun, Schema schema) {
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

    /** Fails an update whose object has gone, rather than recreating it (the contract's rule). */
    protected final AwsFailure notFound(String id, String awsId) {
        return new AwsFailure(ErrorCategory.NOT_FOUND, id, null, noun() + " " + awsId + " not found (deleted outside netstack?); run plan again to recreate it");
    }

    /** {@link #notFound} for code that has no type at hand. */
    protected static AwsFailure gone(String id, String awsId) {
        return new AwsFailure(ErrorCategory.NOT_FOUND, id, null, awsId + " not found (deleted outside netstack?); run plan again to recreate it");
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
}
