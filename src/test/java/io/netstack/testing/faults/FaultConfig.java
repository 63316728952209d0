package io.netstack.testing.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the {@link FaultProxy} does to requests. Immutable; build with the {@code with…} methods
 * from {@link #none()} (a transparent proxy that only counts).
 *
 * <p>Random faults are decided per request from {@code seed}, the action's name and the index of
 * the call among that action's calls, so a run that makes the same calls in the same order per
 * action sees the same faults, however its threads interleave.
 *
 * @param seed            seed of every random decision
 * @param buckets         EC2 token buckets (null: no bucket throttling)
 * @param throttleRate    share of calls answered {@code RequestLimitExceeded} at random, on top of buckets
 * @param serverErrorRate share of calls answered 500 {@code InternalError} or 503 {@code ServiceUnavailable}
 *                        (half each) without reaching the API, as AWS does when its front end fails
 * @param resetRate       share of calls whose connection is dropped before the request reaches the API
 * @param lostResponseRate share of calls that do reach the API but whose connection is dropped before
 *                        the response: the client cannot know whether the call happened (the case
 *                        ClientTokens exist for)
 * @param latency         added to every call, before it is forwarded
 * @param jitter          plus a uniform random 0…jitter
 * @param notFoundWindow  for this long after the proxy saw an object created, requests naming its id
 *                        are answered {@code Invalid…ID.NotFound} (EC2 eventual consistency); zero: off
 * @param pendingWindow   for this long after creation, Describe responses report the object
 *                        {@code pending} instead of {@code available}; zero: off
 * @param faultActions    which actions random faults (throttle, 5xx, reset, lost response) hit; null: all
 * @param faultServices   which services (the SigV4 scope: {@code ec2}, {@code directconnect},
 *                        {@code cloudfront}) random faults hit; null: all
 */
public record FaultConfig(long seed, Ec2Buckets buckets, double throttleRate, double serverErrorRate, double resetRate,
                          double lostResponseRate, Duration latency, Duration jitter, Duration notFoundWindow,
                          Duration pendingWindow, Predicate<String> faultActions, Set<String> faultServices) {

    public FaultConfig {
        for (double r : new double[] {throttleRate, serverErrorRate, resetRate, lostResponseRate}) {
            if (r < 0 || r > 1) throw new IllegalArgumentException("rates are between 0 and 1, not " + r);
        }
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(notFoundWindow, "notFoundWindow");
        Objects.requireNonNull(pendingWindow, "pendingWindow");
    }

    /** Forwards everything untouched (still counts calls). */
    public static FaultConfig none() {
        return new FaultConfig(0, null, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, null, null);
    }

    public FaultConfig withSeed(long s) {
        return new FaultConfig(s, buckets, throttleRate, serverErrorRate, resetRate, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withBuckets(Ec2Buckets b) {
        return new FaultConfig(seed, b, throttleRate, serverErrorRate, resetRate, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withThrottleRate(double r) {
        return new FaultConfig(seed, buckets, r, serverErrorRate, resetRate, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withServerErrorRate(double r) {
        return new FaultConfig(seed, buckets, throttleRate, r, resetRate, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withResetRate(double r) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, r, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withLostResponseRate(double r) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, resetRate, r, latency, jitter, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withLatency(Duration fixed, Duration jitterUpTo) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, resetRate, lostResponseRate, fixed, jitterUpTo, notFoundWindow, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withNotFoundWindow(Duration d) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, resetRate, lostResponseRate, latency, jitter, d, pendingWindow, faultActions, faultServices);
    }

    public FaultConfig withPendingWindow(Duration d) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, resetRate, lostResponseRate, latency, jitter, notFoundWindow, d, faultActions, faultServices);
    }

    /** Random faults only for these actions (buckets, windows and latency still apply to all). */
    public FaultConfig withFaultActions(Set<String> actions) {
        Set<String> copy = Set.copyOf(actions);
        return withFaultActions(copy::contains);
    }

    public FaultConfig withFaultActions(Predicate<String> actions) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, resetRate, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow, actions, faultServices);
    }

    /** Random faults only for requests to these services (e.g. {@code ec2}). */
    public FaultConfig withFaultServices(String... services) {
        return new FaultConfig(seed, buckets, throttleRate, serverErrorRate, resetRate, lostResponseRate, latency, jitter, notFoundWindow, pendingWindow,
                faultActions, Set.of(services));
    }

    boolean faultsApplyTo(String service, String action) {
        return (faultActions == null || faultActions.test(action)) && (faultServices == null || faultServices.contains(service));
    }
}
