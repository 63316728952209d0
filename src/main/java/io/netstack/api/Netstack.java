package io.netstack.api;

import io.netstack.engine.ApplyResult;
import io.netstack.engine.EngineContext;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Executor;
import io.netstack.engine.LiveState;
import io.netstack.engine.Plan;
import io.netstack.engine.Planner;
import io.netstack.engine.Validator;
import io.netstack.provider.AwsProvider;
import io.netstack.provider.AwsSession;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.LiveResource;
import io.netstack.spi.Progress;
import io.netstack.spi.Sleeper;
import io.netstack.stack.Reference;
import io.netstack.stack.StackFile;
import io.netstack.stack.StackLoader;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One netstack session against one AWS API: load and validate stack files, plan, apply, read
 * outputs. Holds one {@link AwsSession} per region (created on first use).
 */
public final class Netstack implements AutoCloseable {
    private final AwsSettings settings;
    private final Map<String, AwsProvider> providers = new ConcurrentHashMap<>();
    private final Sleeper sleeper;
    private final double delayScale;

    public Netstack(AwsSettings settings) {
        this(settings, Sleeper.SYSTEM, 1.0);
    }

    /** {@code delayScale} < 1 shortens waits and retry delays (tests against a local API). */
    public Netstack(AwsSettings settings, Sleeper sleeper, double delayScale) {
        this.settings = settings;
        this.sleeper = sleeper;
        this.delayScale = delayScale;
    }

    public static Netstack forEndpoint(URI endpoint) {
        return new Netstack(AwsSettings.of(null, endpoint));
    }

    public StackFile load(Path file, Map<String, String> vars) {
        return StackLoader.load(file, vars, false);
    }

    /** As {@link #load}, but declared variables may stay without a value (for {@code validate}). */
    public StackFile loadForValidation(Path file, Map<String, String> vars) {
        return StackLoader.load(file, vars, true);
    }

    /** {@link #loadForValidation(Path, Map)} with the environment's {@code NETSTACK_VAR_<name>} values. */
    public StackFile loadForValidation(Path file, Map<String, String> vars, Map<String, String> env) {
        return StackLoader.load(file, vars, env, true);
    }

    /** {@code env}: where {@code NETSTACK_VAR_<name>} sets variables not in {@code vars}. */
    public StackFile load(Path file, Map<String, String> vars, Map<String, String> env) {
        return StackLoader.load(file, vars, env);
    }

    /** Validates against every type's schema and rules; throws StackException, returns warnings. */
    public Validator.Result validate(StackFile stack) {
        return new Validator(provider(stack)).validate(stack);
    }

    /**
     * Checks the stack's {@code ${env.NAME}} secrets against their properties' rules (see
     * {@link Validator#checkSecrets}); with {@code requireSet}, unset ones are errors too.
     */
    public void checkSecrets(StackFile stack, java.util.function.Function<String, String> env, boolean requireSet) {
        new Validator(provider(stack)).checkSecrets(stack, env, requireSet);
    }

    public AwsProvider provider(String region) {
        String r = region == null ? "us-east-1" : region;
        return providers.computeIfAbsent(r, x -> new AwsProvider(new AwsSession(settings.withRegion(x), sleeper)));
    }

    /**
     * The provider of the stack's region and account: a stack with an {@code "account"} gets a
     * session of its own (its role or profile, its own rate limiter: EC2's buckets are per account
     * and region), shared only with stacks of the same account block and region.
     */
    public AwsProvider provider(StackFile stack) {
        io.netstack.stack.Account a = stack.account();
        if (a == null) return provider(stack.region());
        String r = stack.region() == null ? "us-east-1" : stack.region();
        String key = r + "|" + a.id() + "|" + a.roleArn() + "|" + a.externalId() + "|" + a.profile();
        return providers.computeIfAbsent(key, x -> new AwsProvider(new AwsSession(settings.withRegion(r).withAccount(a.profile(),
                new AwsSettings.AccountAccess(a.id(), a.roleArn(), a.externalId(), "netstack-" + stack.name())), sleeper)));
    }

    /**
     * Who the stack's calls run as, checked against its {@code "account"} (a mismatch or a role
     * that cannot be assumed fails here, before anything is read).
     */
    public AwsSession.Identity identity(StackFile stack) {
        return provider(stack).session().identity(stack.name());
    }

    /**
     * Starts building the region's SDK clients on a background thread, so that a command that is
     * about to call AWS overlaps that (~0.5 s of a cold start: three clients, their endpoint rules,
     * signers and marshallers) with loading and validating the stack. Sends nothing to AWS and
     * resolves no credentials; if the command then stops (an invalid stack), nothing is lost.
     */
    public void prewarm(String region) {
        prewarm(provider(region).session());
    }

    public void prewarm(StackFile stack) {
        prewarm(provider(stack).session());
    }

    private void prewarm(AwsSession session) {
        Thread t = new Thread(() -> {
            try {
                session.prewarm();
            } catch (RuntimeException | LinkageError e) {
                // the command's own first use of the client reports whatever this was
            }
        }, "netstack-prewarm");
        t.setDaemon(true);
        t.start();
    }

    public EngineContext context(StackFile stack, Progress progress) {
        return EngineContext.of(stack.name(), stack.region(), progress, sleeper, delayScale);
    }

    /** What the stack owns, read from the types it declares or is found to own ({@link Planner#scope}). */
    public LiveState read(StackFile stack) {
        return read(stack, false);
    }

    /** With {@code destroy}, from every type the stack may own. */
    public LiveState read(StackFile stack, boolean destroy) {
        AwsProvider p = provider(stack);
        EngineContext ctx = context(stack, Progress.NONE);
        return LiveState.read(p, destroy ? ctx : io.netstack.engine.DeclaredContext.of(ctx, stack), Planner.scope(p, stack, ctx, destroy));
    }

    public Plan plan(StackFile stack, boolean destroy) {
        return new Planner(provider(stack)).plan(stack, read(stack, destroy), destroy);
    }

    /** With the other stacks of a multi-stack command ({@link MultiStack}): their references resolve in their own account and region. */
    public Plan plan(StackFile stack, boolean destroy, Planner.CommandStacks others) {
        return new Planner(provider(stack), System::getenv, others).plan(stack, read(stack, destroy), destroy);
    }

    /** The least-privilege IAM policy document for {@code purpose} runs of the stack. */
    public com.fasterxml.jackson.databind.node.ObjectNode policy(StackFile stack, io.netstack.engine.Policy.Purpose purpose) {
        return io.netstack.engine.Policy.document(stack, provider(stack), purpose);
    }

    public ApplyResult apply(StackFile stack, Plan plan, int parallelism, ExecutionListener listener, AtomicBoolean stop) {
        return apply(stack, plan, io.netstack.engine.Parallelism.fixed(parallelism), listener, stop);
    }

    public ApplyResult apply(StackFile stack, Plan plan, io.netstack.engine.Parallelism parallelism, ExecutionListener listener, AtomicBoolean stop) {
        AwsProvider p = provider(stack);
        EngineContext ctx = context(stack, listener);
        ApplyResult r = new Executor(p, parallelism).apply(plan, ctx, listener, stop);
        if (r.success()) {
            // the provider's record of what the stack may own (the global-type marker), still under the lock
            java.util.Set<String> declared = new java.util.TreeSet<>(), live = new java.util.TreeSet<>();
            stack.resources().values().forEach(b -> declared.add(b.type()));
            r.resources().values().forEach(l -> live.add(l.type()));
            p.settled(ctx, declared, live, plan.destroy());
        }
        return r;
    }

    /** Takes the stack's lock for an apply or destroy (see {@link io.netstack.engine.LockLease}). */
    public io.netstack.engine.LockLease lock(StackFile stack, boolean forceUnlock, java.util.function.Consumer<String> warn) {
        io.netstack.spi.StackLocks locks = provider(stack).locks()
                .orElseThrow(() -> new IllegalStateException("this provider has no stack lock"));
        return io.netstack.engine.LockLease.acquire(locks, stack.name(), forceUnlock, java.time.Clock.systemUTC(), warn);
    }

    /** Drift of the stack: the plan's reads, no writes. */
    public io.netstack.drift.DriftReport drift(StackFile stack) {
        return drift(stack, Planner.CommandStacks.NONE);
    }

    public io.netstack.drift.DriftReport drift(StackFile stack, Planner.CommandStacks others) {
        return new io.netstack.drift.DriftDetector(provider(stack), java.time.Clock.systemUTC(), others)
                .detect(stack, read(stack), context(stack, Progress.NONE));
    }

    /**
     * {@code netstack import}: reads the VPCs {@code vpcIds} plus those tagged with every one of
     * {@code vpcTags}, and everything in them netstack has a type for, into a stack file
     * ({@link io.netstack.engine.Importer}). {@code stack} null: named after the first VPC's Name tag.
     */
    public io.netstack.engine.Importer.Result importNetwork(String region, java.util.Collection<String> vpcIds, Map<String, String> vpcTags, String stack) {
        AwsProvider p = provider(region);
        java.util.Set<String> vpcs = new java.util.TreeSet<>(vpcIds);
        if (!vpcTags.isEmpty()) vpcs.addAll(vpcsTagged(p, vpcTags));
        if (vpcs.isEmpty()) throw new io.netstack.engine.Importer.ImportException("no VPC in " + region + " is tagged " + vpcTags);
        EngineContext ctx = EngineContext.of(stack == null ? "import" : stack, region, Progress.NONE, sleeper, delayScale);
        java.util.List<LiveResource> found = io.netstack.engine.Importer.read(p, ctx, vpcs);
        java.util.Set<String> seen = new java.util.HashSet<>();
        found.stream().filter(r -> r.type().equals("vpc")).forEach(r -> seen.add(r.awsId()));
        java.util.Set<String> missing = new java.util.TreeSet<>(vpcs);
        missing.removeAll(seen);
        if (!missing.isEmpty()) throw new io.netstack.engine.Importer.ImportException("no such VPC in " + region + ": " + String.join(", ", missing));
        String name = stack != null ? stack : stackName(found);
        return io.netstack.engine.Importer.build(name, region, java.util.List.copyOf(vpcs), p, found);
    }

    /** A stack name from the first VPC's Name tag (lower case, [a-z][a-z0-9-]{0,39}), else "imported". */
    private static String stackName(java.util.List<LiveResource> found) {
        for (LiveResource r : found) {
            if (!r.type().equals("vpc")) continue;
            String n = r.properties().path("tags").path("Name").asText("").toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^[^a-z]+|-+$", "");
            if (!n.isEmpty()) return n.length() > 40 ? n.substring(0, 40).replaceAll("-+$", "") : n;
        }
        return "imported";
    }

    /** One DescribeVpcs filtered by the tags. */
    private static java.util.List<String> vpcsTagged(AwsProvider p, Map<String, String> tags) {
        java.util.List<software.amazon.awssdk.services.ec2.model.Filter> filters = new java.util.ArrayList<>();
        tags.forEach((k, v) -> filters.add(io.netstack.provider.Ec2Tags.filter("tag:" + k, v)));
        java.util.List<String> out = new java.util.ArrayList<>();
        io.netstack.provider.AwsCalls.run(null, "DescribeVpcs", () -> p.session().ec2().describeVpcsPaginator(r -> r.filters(filters)).vpcs().forEach(v -> {
            // re-checked client-side: some backends ignore tag filters (docs/moto-notes.md)
            Map<String, String> have = new java.util.HashMap<>();
            v.tags().forEach(t -> have.put(t.key(), t.value()));
            if (tags.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())))) out.add(v.vpcId());
        }));
        return out;
    }

    /** What {@code adopt} would tag, or why it will not: the file planned against the objects the adopt file names. */
    public io.netstack.engine.Adopter.Adoption adoption(StackFile stack, io.netstack.engine.AdoptFile sidecar) {
        AwsProvider p = provider(stack.region());
        java.util.List<LiveResource> found = io.netstack.engine.Importer.read(p, context(stack, Progress.NONE), new java.util.TreeSet<>(sidecar.vpcs()));
        return io.netstack.engine.Adopter.plan(stack, sidecar, found, p);
    }

    /** Puts the ownership tags of {@code adoption} on its objects. */
    public void adopt(StackFile stack, io.netstack.engine.Adopter.Adoption adoption, java.util.function.Consumer<io.netstack.engine.Adopter.Item> progress) {
        io.netstack.engine.Adopter.apply(adoption, provider(stack.region()), context(stack, Progress.NONE), progress);
    }

    /** Output name → value, from the given live resources (e.g. an apply's result) or a fresh read. */
    public Map<String, String> outputs(StackFile stack, Map<String, LiveResource> live) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : stack.outputs().entrySet()) {
            Optional<Reference> r = Reference.whole(e.getValue());
            String value = null;
            if (r.isPresent() && r.get().kind() == Reference.Kind.RESOURCE) {
                LiveResource l = live.get(r.get().target());
                if (l != null) value = r.get().attribute() == null || r.get().attribute().equals("id") ? l.awsId() : l.attributes().get(r.get().attribute());
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    @Override
    public void close() {
        providers.values().forEach(p -> p.session().close());
    }
}
