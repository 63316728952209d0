package io.netstack.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One Describe action of one client, shared by every caller that looks up objects by id at the same
 * time (issue 12): callers register their ids; one of them sends a single Describe with all the ids
 * gathered while the previous one was in flight, and each caller gets its own object (absent = not
 * found for that id). Without it, 100 subnets waiting to become {@code available} cost 100 calls per
 * polling round, and EC2's per-action token bucket (DescribeSubnets: 100 burst, 20/s) becomes the
 * apply's bound.
 *
 * <p>Two ways a caller shares:
 * <ul>
 *   <li><b>Any lookup</b> ({@link AwsType#findOne} through {@link AwsType#findBatched}) joins the round
 *       that has not been sent yet, so what it gets was read after it asked: a read after a write
 *       still sees the write.</li>
 *   <li><b>A wait's poll</b> ({@link AwsType#await}) may also take an answer about its id that another
 *       caller's round brought back since this id was last asked about and not longer than
 *       {@link #FRESH} ago: polling only needs a recent state, not one of its own. Every round asks
 *       about the ids polled in the last {@link #RECENT} too, so waiters on the same action end up
 *       sharing one call per round. A poll that finds no such answer joins the next round, which is
 *       held until the wait's cadence ({@code Waiter.FIRST_DELAY}) after the previous round of polls: one
 *       call per cadence for all the waits on the action, however their own polls fall.</li>
 *   <li><b>A gathered lookup</b> ({@link AwsType#gathered}) is answered by a round sent after it
 *       asked, like any lookup, but held like a round of polls, to share it with the callers
 *       asking within the cadence.</li>
 * </ul>
 * A lookup of the first kind joining a held round sends it at once: a read after a write is never held.
 *
 * @param <T> the SDK's object (Subnet, Vpc…)
 */
final class DescribeBatch<T> {
    /** How old another caller's answer may be for a wait's poll to use it (waits poll every 1–10 s). */
    static final Duration FRESH = Duration.ofMillis(1500);
    /** Ids polled this recently ride along in every round: their waiter will very likely poll again. */
    static final Duration RECENT = Duration.ofSeconds(5);
    /**
     * EC2 takes at most 200 values in one filter (EC2 API reference, "Filter": "up to 200 values");
     * a round with more ids sends one call per 200.
     */
    static final int MAX_IDS = 200;

    /** Inside a wait's poll: the cadence its rounds keep ({@link Duration#ZERO}: none); {@code null} outside a poll. */
    private static final ThreadLocal<Duration> POLLING = new ThreadLocal<>();
    /** Inside a gathered lookup ({@link #gathering}): the cadence its round keeps; {@code null} outside one. */
    private static final ThreadLocal<Duration> GATHERING = new ThreadLocal<>();

    private record Answer<T>(Optional<T> object, long at) {}

    private final class Round {
        final Set<String> ids = new LinkedHashSet<>();
        final CompletableFuture<Map<String, T>> result = new CompletableFuture<>();
        boolean led;
        long at;
        /** The longest cadence of the polls in it; a lookup (read after a write) joining it sends it at once. */
        long cadence;
        boolean urgent;
    }

    private final Object lock = new Object();
    private final LongSupplier clock;
    private final Map<String, Answer<T>> answers = new HashMap<>();
    private final Map<String, Long> asked = new HashMap<>();
    /** Per id, when the answer its last caller got was read: a poll only takes a newer one. */
    private final Map<String, Long> seen = new HashMap<>();
    private Round open;
    private boolean inFlight;
    private long calls;
    /**
     * When the last round with a held caller (a poll, a gathered lookup) went (clock nanos): the
     * next such round goes no sooner than a cadence after it. A round of lookups only does not
     * count: a poll or gathered lookup right after one (an update's ensureExists, say) is not held
     * when there is no stream of held callers to share with.
     */
    private long lastHeld = Long.MIN_VALUE;

    DescribeBatch(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** Runs {@code poll} as a wait's poll: lookups in it may use another caller's fresh answer. */
    static <R> R polling(java.util.function.Supplier<R> poll) {
        return polling(Duration.ZERO, poll);
    }

    /**
     * {@link #polling(java.util.function.Supplier)} on a shared cadence: a poll that finds no fresh
     * answer joins the next round, which goes no sooner than {@code cadence} after the previous
     * round of this action that held a caller. Every waiter on the action then rides the same round, one call per
     * cadence however the waits' own (jittered) schedules fall (issue 12: 108 subnet waits cost
     * 30–65 DescribeSubnets from run to run, with how their polls happened to line up).
     */
    static <R> R polling(Duration cadence, java.util.function.Supplier<R> poll) {
        return with(POLLING, cadence, poll);
    }

    /**
     * Runs {@code read} as a lookup that needs an answer read after it asked (never another
     * caller's earlier one) but not at once: it joins the next round, held as a round of polls is
     * (no sooner than {@code cadence} after the previous round that held a caller), so lookups of the same objects by
     * many callers within a cadence share one call (issue 12: the NACLs of an apply reading their
     * new subnets' associations on the VPC's default NACL).
     */
    static <R> R gathering(Duration cadence, java.util.function.Supplier<R> read) {
        return with(GATHERING, cadence, read);
    }

    /** Runs {@code body} with this thread's {@code mode} set to {@code cadence}, then restores it. */
    private static <R> R with(ThreadLocal<Duration> mode, Duration cadence, java.util.function.Supplier<R> body) {
        Duration was = mode.get();
        mode.set(cadence);
        try {
            return body.get();
        } finally {
            mode.set(was);
        }
    }

    /** Describe calls sent (for tests). */
    long calls() {
        synchronized (lock) {
            return calls;
        }
    }

    /**
     * The object with id {@code awsId}, or empty if the Describe did not return it.
     *
     * @param describe one Describe of the given ids (at most {@link #MAX_IDS}) returning what exists of
     *                 them; it must not fail because one id does not exist (use EC2's {@code *-id}
     *                 filter, not the {@code …Ids} parameter); its failure is every caller's failure
     * @param idOf     an object's id
     */
    Optional<T> get(String awsId, Function<List<String>, Collection<T>> describe, Function<T, String> idOf) {
        Round round;
        boolean lead = false;
        synchronized (lock) {
            long now = clock.getAsLong();
            asked.put(awsId, now);
            Answer<T> a = answers.get(awsId);
            Long last = seen.get(awsId);
            Duration cadence = POLLING.get();
            if (cadence != null && a != null && (last == null || a.at() > last) && now - a.at() <= FRESH.toNanos()) {
                seen.put(awsId, a.at());
                return a.object();
            }
            if (open == null) open = new Round();
            round = open;
            round.ids.add(awsId);
            Duration hold = cadence != null ? cadence : GATHERING.get();
            if (hold == null) {
                round.urgent = true;
                lock.notifyAll();
            } else {
                round.cadence = Math.max(round.cadence, hold.toNanos());
            }
            if (!round.led) {
                round.led = true;
                lead = true;
            }
        }
        if (lead) send(round, describe, idOf);
        try {
            Map<String, T> found = round.result.join();
            synchronized (lock) {
                seen.put(awsId, round.at);
            }
            return Optional.ofNullable(found.get(awsId));
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private void send(Round round, Function<List<String>, Collection<T>> describe, Function<T, String> idOf) {
        List<String> ids;
        synchronized (lock) {
            try {
                // A round of polls only: hold it until a cadence after the last round, gathering
                // every poll of the action meanwhile; a lookup joining it sends it at once.
                long hold = lastHeld == Long.MIN_VALUE ? 0 : lastHeld + round.cadence - clock.getAsLong();
                long until = System.nanoTime() + hold;
                while (!round.urgent && hold > 0) {
                    lock.wait(Math.max(1, hold / 1_000_000));
                    hold = until - System.nanoTime();
                }
                // One call of this action at a time: who asks meanwhile joins this round, which goes next.
                while (inFlight) lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (open == round) open = null;
                round.result.completeExceptionally(new IllegalStateException("interrupted", e));
                return;
            }
            inFlight = true;
            open = open == round ? null : open;
            long now = clock.getAsLong();
            if (round.cadence > 0) lastHeld = now;
            asked.values().removeIf(t -> now - t > RECENT.toNanos());
            Set<String> all = new LinkedHashSet<>(round.ids);
            all.addAll(asked.keySet());
            ids = new ArrayList<>(all);
        }
        Map<String, T> found = new HashMap<>();
        try {
            for (int i = 0; i < ids.size(); i += MAX_IDS) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + MAX_IDS));
                synchronized (lock) {
                    calls++;
                }
                for (T o : describe.apply(chunk)) {
                    String id = idOf.apply(o);
                    if (id != null && chunk.contains(id)) found.put(id, o);
                }
            }
            synchronized (lock) {
                long at = clock.getAsLong();
                for (String id : ids) answers.put(id, new Answer<>(Optional.ofNullable(found.get(id)), at));
                answers.keySet().retainAll(asked.keySet());
                seen.keySet().retainAll(asked.keySet());
                round.at = at;
            }
            round.result.complete(found);
        } catch (RuntimeException e) {
            round.result.completeExceptionally(e);
        } finally {
            synchronized (lock) {
                inFlight = false;
                lock.notifyAll();
            }
        }
    }
}
