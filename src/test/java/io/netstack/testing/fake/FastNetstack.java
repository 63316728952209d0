package io.netstack.testing.fake;

import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Plan;
import io.netstack.provider.AwsSettings;
import io.netstack.spi.Sleeper;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine through its API ({@link Netstack}) against a test endpoint, with every wait and retry
 * delay scaled down so that the fakes' transitional states cost milliseconds, and two SDK attempts
 * per call so that a missing fake action fails fast. Plans and applies exactly as the CLI does.
 */
public final class FastNetstack implements AutoCloseable {
    /** Waits poll after 2 s × this: 2 ms. */
    public static final double DELAY_SCALE = 0.001;

    private final Netstack ns;

    public FastNetstack(URI endpoint, String region) {
        // The SDK takes credentials from the environment or system properties; any value works locally.
        if (System.getProperty("aws.accessKeyId") == null) System.setProperty("aws.accessKeyId", "test");
        if (System.getProperty("aws.secretAccessKey") == null) System.setProperty("aws.secretAccessKey", "test");
        this.ns = new Netstack(new AwsSettings(region, endpoint, null, 2, List.of()), Sleeper.SYSTEM, DELAY_SCALE);
    }

    public StackFile load(Path file) {
        StackFile s = ns.load(file, Map.of());
        ns.validate(s);
        return s;
    }

    public Plan plan(Path file) {
        return ns.plan(load(file), false);
    }

    public Plan planDestroy(Path file) {
        return ns.plan(load(file), true);
    }

    /** Plans and applies; fails with the errors if any step failed. */
    public ApplyResult apply(Path file) {
        StackFile s = load(file);
        return check(ns.apply(s, ns.plan(s, false), 4, ExecutionListener.NONE, new AtomicBoolean()));
    }

    public ApplyResult destroy(Path file) {
        StackFile s = load(file);
        return check(ns.apply(s, ns.plan(s, true), 4, ExecutionListener.NONE, new AtomicBoolean()));
    }

    private static ApplyResult check(ApplyResult r) {
        if (!r.success()) {
            StringBuilder sb = new StringBuilder("apply failed:");
            r.failed().forEach((step, e) -> sb.append("\n  ").append(step).append(": ").append(e));
            if (!r.notStarted().isEmpty()) sb.append("\n  not started: ").append(r.notStarted());
            AssertionError err = new AssertionError(sb.toString());
            r.failed().values().forEach(err::addSuppressed);
            throw err;
        }
        return r;
    }

    @Override
    public void close() {
        ns.close();
    }
}
