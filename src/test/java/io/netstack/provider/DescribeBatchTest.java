package io.netstack.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DescribeBatchTest {
    /** What "AWS" has: every id except those starting with "gone". */
    private final List<List<String>> sent = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final DescribeBatch<String> batch = new DescribeBatch<>(clock::get);

    private Function<List<String>, Collection<String>> describe(CountDownLatch hold) {
        return ids -> {
            sent.add(List.copyOf(ids));
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return ids.stream().filter(i -> !i.startsWith("gone")).toList();
        };
    }

    @Test
    void callersAskingWhileACallIsInFlightShareTheNextCall() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(11);
        try {
            Future<Optional<String>> first = pool.submit(() -> batch.get("subnet-0", describe(hold), s -> s));
            while (sent.isEmpty()) Thread.sleep(5);
            List<Future<Optional<String>>> rest = new ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                String id = "subnet-" + i;
                rest.add(pool.submit(() -> batch.get(id, describe(hold), s -> s)));
            }
            Future<Optional<String>> gone = pool.submit(() -> batch.get("gone-1", describe(hold), s -> s));
            Thread.sleep(200); // all ten are queued behind the first call
            hold.countDown();
            assertEquals(Optional.of("subnet-0"), first.get(5, TimeUnit.SECONDS));
            for (int i = 1; i <= 9; i++) assertEquals(Optional.of("subnet-" + i), rest.get(i - 1).get(5, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), gone.get(5, TimeUnit.SECONDS), "an id the Describe did not return is not found");
            assertEquals(2, sent.size(), "one call for the first caller, one for the ten that came meanwhile: " + sent);
            assertTrue(sent.get(1).containsAll(List.of("subnet-1", "subnet-9", "gone-1")), sent.toString());
            assertEquals(2, batch.calls());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedCallFailsEveryCallerOfItsRoundAndTheNextRoundTriesAgain() {
        IllegalStateException boom = new IllegalStateException("RequestLimitExceeded");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> batch.get("subnet-1", ids -> {
            throw boom;
        }, s -> s));
        assertSame(boom, thrown);
        assertEquals(Optional.of("subnet-1"), batch.get("subnet-1", describe(new CountDownLatch(0)), s -> s));
    }

    @Test
    void aWaitsPollTakesAnotherCallersFreshAnswerButALookupAlwaysAsksAws() {
        CountDownLatch open = new CountDownLatch(0);
        DescribeBatch.polling(() -> batch.get("subnet-1", describe(open), s -> s)); // subnet-1's waiter polls
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        batch.get("subnet-2", describe(open), s -> s); // another caller: subnet-1 (polled recently) rides along
        assertEquals(Set.of("subnet-1", "subnet-2"), Set.copyOf(sent.get(1)), sent.toString());
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));

        assertEquals(Optional.of("subnet-1"), DescribeBatch.polling(() -> batch.get("subnet-1", describe(open), s -> s)));
        assertEquals(2, sent.size(), "the poll used the answer the second call brought back");
        assertEquals(Optional.of("subnet-1"), DescribeBatch.polling(() -> batch.get("subnet-1", describe(open), s -> s)));
        assertEquals(3, sent.size(), "an answer is used once per waiter: the next poll asks again");

        batch.get("subnet-1", describe(open), s -> s);
        assertEquals(4, sent.size(), "a lookup outside a wait (a read after a write) never takes a cached answer");
    }

    @Test
    void anOldAnswerIsNotUsed() {
        CountDownLatch open = new CountDownLatch(0);
        DescribeBatch.polling(() -> batch.get("subnet-1", describe(open), s -> s));
        batch.get("subnet-2", describe(open), s -> s);
        clock.addAndGet(DescribeBatch.FRESH.toNanos() + 1);
        DescribeBatch.polling(() -> batch.get("subnet-1", describe(open), s -> s));
        assertEquals(3, sent.size(), "older than FRESH: asked again");
    }

    @Test
    void moreIdsThanAFilterTakesAreSplitIntoCallsOf200() {
        CountDownLatch open = new CountDownLatch(0);
        // 450 ids polled within RECENT all ride along in the next round.
        for (int i = 0; i < 450; i++) {
            String id = "subnet-" + i;
            DescribeBatch.polling(() -> batch.get(id, ids -> List.of(), s -> s));
        }
        sent.clear();
        long before = batch.calls();
        assertEquals(Optional.of("subnet-x"), batch.get("subnet-x", describe(open), s -> s));
        assertEquals(3, batch.calls() - before);
        assertEquals(List.of(200, 200, 51), sent.stream().map(List::size).toList());
    }

    @Test
    void pollsOnACadenceShareOneRoundPerCadenceAndALookupDoesNotWaitForIt() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        java.time.Duration cadence = java.time.Duration.ofMillis(400);
        DescribeBatch<String> real = new DescribeBatch<>(System::nanoTime);
        DescribeBatch.polling(cadence, () -> real.get("subnet-0", describe(open), s -> s)); // a round of polls just went
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            long start = System.nanoTime();
            List<Future<Optional<String>>> polls = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String id = "subnet-" + i;
                polls.add(pool.submit(() -> DescribeBatch.polling(cadence, () -> real.get(id, describe(open), s -> s))));
                Thread.sleep(40); // five waits polling at their own times, all within one cadence
            }
            for (int i = 1; i <= 5; i++) assertEquals(Optional.of("subnet-" + i), polls.get(i - 1).get(5, TimeUnit.SECONDS));
            long took = System.nanoTime() - start;
            assertEquals(2, sent.size(), "the five polls rode one round: " + sent);
            assertTrue(sent.get(1).containsAll(List.of("subnet-1", "subnet-2", "subnet-3", "subnet-4", "subnet-5")), sent.toString());
            assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(300), "the round waited for the cadence: " + took / 1_000_000 + " ms");

            // A lookup (a read after a write) joining a held round of polls sends it at once.
            long before = System.nanoTime();
            Future<Optional<String>> poll = pool.submit(() -> DescribeBatch.polling(cadence, () -> real.get("subnet-6", describe(open), s -> s)));
            Thread.sleep(50);
            assertEquals(Optional.of("subnet-7"), real.get("subnet-7", describe(open), s -> s));
            assertEquals(Optional.of("subnet-6"), poll.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - before < TimeUnit.MILLISECONDS.toNanos(300), "not held for the cadence");
            assertEquals(3, sent.size(), "the poll and the lookup shared one round: " + sent);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void gatheredLookupsWithinACadenceShareOneFreshRound() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        java.time.Duration cadence = java.time.Duration.ofMillis(400);
        DescribeBatch<String> real = new DescribeBatch<>(System::nanoTime);
        DescribeBatch.polling(cadence, () -> real.get("acl-default", describe(open), s -> s)); // a poll's round just went, answering the id
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Optional<String>>> reads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reads.add(pool.submit(() -> DescribeBatch.gathering(cadence, () -> real.get("acl-default", describe(open), s -> s))));
                Thread.sleep(40);
            }
            for (Future<Optional<String>> r : reads) assertEquals(Optional.of("acl-default"), r.get(5, TimeUnit.SECONDS));
            assertEquals(2, sent.size(), "the fresh answer was not taken; the three lookups shared one new round: " + sent);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPollRightAfterALookupIsNotHeld() {
        CountDownLatch open = new CountDownLatch(0);
        java.time.Duration cadence = java.time.Duration.ofSeconds(5);
        DescribeBatch<String> real = new DescribeBatch<>(System::nanoTime);
        real.get("subnet-1", describe(open), s -> s); // an update's look-up: no stream of polls to share with
        long before = System.nanoTime();
        assertEquals(Optional.of("subnet-2"), DescribeBatch.polling(cadence, () -> real.get("subnet-2", describe(open), s -> s)));
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(2), "sent at once");
        assertEquals(2, sent.size(), sent.toString());
    }
}
