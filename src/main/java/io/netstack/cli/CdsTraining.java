package io.netstack.cli;

import io.netstack.provider.training.AwsStandIn;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run of netstack's class-data-sharing archive (AppCDS), not a user command.
 * {@code scripts/netstack} runs it once per jar, in the background, as
 * {@code java -XX:ArchiveClassesAtExit=netstack.jsa -cp netstack.jar io.netstack.cli.CdsTraining STACK…};
 * later runs start with {@code -XX:SharedArchiveFile=netstack.jsa} and map the classes it loaded
 * (parsed and verified) instead of reading them from the jar. Most of a cold plan's start-up is
 * loading and verifying the AWS SDK's ~4,800 classes, which the archive makes cheap.
 *
 * <p>It runs {@code --version}, {@code --help}, {@code schema}, and {@code validate} and
 * {@code plan} of each stack file given, against a loopback stand-in for AWS: the same classes as
 * a plan against AWS are loaded (clients, signing, marshalling, the credential chain, HTTP), with
 * no network, no credentials and nothing changed anywhere. EC2 calls are answered with one sample
 * item in every list, made from the SDK's own model of the response ({@link AwsStandIn}), so that
 * the model classes of what a plan reads (VPCs, subnets, routes, rules, tags…) are archived too:
 * they are ~650 classes and ~0.4 s of CPU of a cold plan. The samples carry no netstack tags, so
 * the plan sees nothing as owned. Direct Connect and CloudFront get empty answers. The output is
 * discarded; a stack that fails (e.g. a missing {@code --var}) still trains what it reached.
 * Always ends normally (exit code 0).
 */
public final class CdsTraining {
    private CdsTraining() {}

    /** A training run takes a few seconds; should anything in it wait or loop, stop it anyway. */
    static final long MAX_MILLIS = 120_000;

    public static void main(String[] args) throws IOException {
        Thread watchdog = new Thread(() -> {
            try {
                io.netstack.spi.Sleeper.SYSTEM.sleep(java.time.Duration.ofMillis(MAX_MILLIS));
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(1); // scripts/netstack keeps no archive from a failed run
        }, "cds-training-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        train(args);
        // returns normally: every thread left is a daemon, and the JVM writes the archive as it exits

    }

    /** Runs the commands of a training run against the loopback stand-in; returns their exit codes. */
    static List<Integer> train(String... stacks) throws IOException {
        AwsStandIn server = AwsStandIn.start();
        // Static credentials: the default chain stops at system properties, nothing is probed.
        String keyId = System.setProperty("aws.accessKeyId", "training");
        String secret = System.setProperty("aws.secretAccessKey", "training");
        String endpoint = server.endpoint().toString();
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        Console quiet = new Console(devNull, devNull, Map.of(), false);
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--version"});
        runs.add(new String[] {"--help"});
        runs.add(new String[] {"schema"});
        for (String stack : stacks) {
            runs.add(new String[] {"validate", stack});
            runs.add(new String[] {"plan", stack, "--endpoint-url", endpoint});
        }
        List<Integer> codes = new ArrayList<>();
        try {
            for (String[] run : runs) {
                try {
                    codes.add(Main.run(run, quiet));
                } catch (RuntimeException | LinkageError e) {
                    codes.add(-1); // training only: whatever failed, the classes loaded so far are archived
                }
            }
        } finally {
            server.close();
            restore("aws.accessKeyId", keyId);
            restore("aws.secretAccessKey", secret);
        }
        return codes;
    }

    private static void restore(String property, String value) {
        if (value == null) System.clearProperty(property);
        else System.setProperty(property, value);
    }
}
