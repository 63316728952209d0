package io.netstack.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.api.Netstack;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16's bound, checked on every test run: validating a 1,000-instance expansion takes under 2 s. */
class ExpandBenchTest {
    static final double BOUND_SECONDS = 2.0;

    @Test
    void validateOfA1000InstanceExpansionIsUnder2Seconds(@TempDir Path dir) throws Exception {
        Path f = ExpandBench.write(dir.resolve("expand.json"), 1000);
        try (Netstack ns = Netstack.forEndpoint(URI.create("http://127.0.0.1:9"))) {
            double first = ExpandBench.validateOnce(ns, f, 1000 + ExpandBench.VPCS);
            double best = first;
            // the machine is shared: the best of three is the code's cost, not a neighbour's build
            for (int i = 0; i < 2; i++) best = Math.min(best, ExpandBench.validateOnce(ns, f, 1000 + ExpandBench.VPCS));
            assertTrue(best < BOUND_SECONDS, "validate of 1,000 instances took " + best + " s (first run " + first + " s)");
            System.out.printf("expand+validate 1,000 instances: first %.3f s, best %.3f s%n", first, best);
        }
    }
}
