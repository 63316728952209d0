package io.netstack.bench;

/** Apply through the fault proxy: written once the proxy exists. */
final class ApplyBench {
    private ApplyBench() {}

    static void run(Bench.Args a) {
        throw new UnsupportedOperationException("apply bench: not yet");
    }
}
