package io.netstack.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netstack.api.Netstack;
import io.netstack.engine.ApplyResult;
import io.netstack.engine.ExecutionListener;
import io.netstack.engine.Json;
import io.netstack.engine.Parallelism;
import io.netstack.engine.Plan;
import io.netstack.provider.AwsSettings;
import io.netstack.provider.ratelimit.RateLimits;
import io.netstack.spi.ResourceType;
import io.netstack.stack.StackFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * netstack's benchmarks (run by {@code scripts/bench}, which starts moto, builds, and passes the
 * endpoint). Subcommands:
 * <pre>
 *   generate SIZE FILE [STACK]                     write a generated stack file
 *   plan     --endpoint URL [--sizes 100,1000,3000] [--runs 5] [--jar target/netstack.jar]
 *   startup  --jar target/netstack.jar [--runs 5]
 *   apply    --endpoint URL [--runs 3] ...         (see ApplyBench)
 *   expand   [--instances 1000] [--runs 5]         validate of a templated stack (see ExpandBench)
 *   validate [--runs 3]                             validate of 20,000 overlapping subnets and 50,000 resources (see ValidateBench)
 * </pre>
 * Every subcommand prints its table and rewrites its own section of {@code --md BENCHMARKS.md}
 * (between {@code <!-- bench:NAME -->} markers), leaving the rest of the file alone. Raw results go
 * to {@code target/bench/NAME.json}.
 */
public final class Bench {
    static final String REGION = "eu-west-1";

    private Bench() {}

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: Bench generate|plan|startup|apply ...");
            System.exit(2);
        }
        Args a = new Args(argv);
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", "test");
            System.setProperty("aws.secretAccessKey", "test");
        }
        switch (argv[0]) {
            case "generate" -> {
                int size = Integer.parseInt(a.positional(1));
                Path file = Path.of(a.positional(2));
                String stack = a.positional.size() > 3 ? a.positional(3) : "bench-" + size;
                writeStack(file, stack, size, registeredTypes());
                System.out.println(file + ": " + StackGenerator.shape(size, registeredTypes()));
            }
            case "plan" -> PlanBench.run(a);
            case "startup" -> StartupBench.run(a);
            case "apply" -> ApplyBench.run(a);
            case "expand" -> ExpandBench.run(a);
            case "validate" -> ValidateBench.run(a);
            default -> {
                System.err.println("unknown subcommand " + argv[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /** The resource types the provider registers now (the generator uses only these). */
    static Set<String> registeredTypes() {
        try (Netstack ns = new Netstack(AwsSettings.of(REGION, URI.create("http://127.0.0.1:1")))) {
            return ns.provider(REGION).all().stream().map(ResourceType::name).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static Path writeStack(Path file, String stack, int size, Set<String> types) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                    StackGenerator.generate(stack, REGION, size, types)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Settings of an in-process run against {@code endpoint} (moto or the fault proxy): the
     * client-side rate limiter as given (the CLI's default is on: {@link RateLimits#awsDefaults()}).
     */
    static AwsSettings settings(URI endpoint, List<ExecutionInterceptor> interceptors, RateLimits limits) {
        return new AwsSettings(REGION, endpoint, null, AwsSettings.DEFAULT_MAX_ATTEMPTS, interceptors).withRateLimit(limits);
    }

    /** Brings the stack to its file (used to set up the no-change plan); fails loudly otherwise. */
    static void converge(Netstack ns, StackFile s, int parallelism) {
        for (int round = 0; round < 3; round++) {
            Plan p = ns.plan(s, false);
            if (!p.hasChanges()) return;
            ApplyResult r = ns.apply(s, p, Parallelism.fixed(parallelism), ExecutionListener.NONE, new AtomicBoolean());
            if (!r.success()) {
                throw new IllegalStateException("apply of " + s.name() + " failed: " + r.failed().values().stream()
                        .map(Throwable::getMessage).limit(3).toList());
            }
        }
        Plan p = ns.plan(s, false);
        if (p.hasChanges()) {
            throw new IllegalStateException(s.name() + " does not converge: the re-plan still has " + p.actionable().size()
                    + " changes, e.g. " + p.actionable().get(0).id() + " " + p.actionable().get(0).diffs());
        }
    }

    /** Deletes everything the stack owns (what {@code netstack destroy} does, without the lock); fails loudly otherwise. */
    static void destroy(Netstack ns, StackFile s, int parallelism) {
        for (int round = 0; round < 3; round++) {
            Plan p = ns.plan(s, true);
            if (!p.hasChanges()) return;
            ApplyResult r = ns.apply(s, p, Parallelism.fixed(parallelism), ExecutionListener.NONE, new AtomicBoolean());
            if (r.success()) return;
            System.err.println("destroy of " + s.name() + " failed (round " + round + "): " + r.failed().values().stream().map(Throwable::getMessage).limit(3).toList());
        }
        throw new IllegalStateException("destroy of " + s.name() + " did not finish in 3 rounds");
    }

    // ---- small helpers shared by the benches -------------------------------------------------

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String actions(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** Median per action over runs (all runs make the same calls in a no-change plan). */
    static Map<String, Long> medianCounts(List<Map<String, Long>> runs) {
        Set<String> keys = new TreeSet<>();
        runs.forEach(r -> keys.addAll(r.keySet()));
        Map<String, Long> out = new TreeMap<>();
        for (String k : keys) {
            out.put(k, Math.round(median(runs.stream().map(r -> (double) r.getOrDefault(k, 0L)).toList())));
        }
        return out;
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        long memGb = Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1024.0 / 1024 / 1024);
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGb + " GiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java " + System.getProperty("java.version")
                + ", load average " + fmt(load, 1) + " at start";
    }

    static String now() {
        return java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString();
    }

    /** Writes {@code body} between {@code <!-- bench:name -->} markers of the markdown file, creating it if needed. */
    static void updateMarkdown(Path md, String name, String body) throws IOException {
        String begin = "<!-- bench:" + name + " -->", end = "<!-- /bench:" + name + " -->";
        String text = Files.exists(md) ? Files.readString(md) : "# netstack benchmarks\n\n";
        String block = begin + "\n" + body.strip() + "\n" + end;
        int i = text.indexOf(begin), j = text.indexOf(end);
        if (i >= 0 && j > i) text = text.substring(0, i) + block + text.substring(j + end.length());
        else text = text.stripTrailing() + "\n\n" + block + "\n";
        Files.writeString(md, text);
    }

    static void writeJson(String name, ObjectNode o) throws IOException {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o));
    }

    static ObjectNode countsJson(Map<String, Long> m) {
        ObjectNode o = Json.object();
        m.forEach(o::put);
        return o;
    }

    static ArrayNode array(List<Double> xs) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        xs.forEach(x -> a.add(Math.round(x * 1000) / 1000.0));
        return a;
    }

    /** A tiny argument parser: {@code --name value} options and positionals. */
    static final class Args {
        final Map<String, String> options = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();

        Args(String[] argv) {
            for (int i = 0; i < argv.length; i++) {
                if (argv[i].startsWith("--")) {
                    String k = argv[i].substring(2);
                    if (k.contains("=")) options.put(k.substring(0, k.indexOf('=')), k.substring(k.indexOf('=') + 1));
                    else options.put(k, i + 1 < argv.length ? argv[++i] : "");
                } else {
                    positional.add(argv[i]);
                }
            }
        }

        String positional(int i) {
            if (i >= positional.size()) throw new IllegalArgumentException("missing argument " + i);
            return positional.get(i);
        }

        String get(String k, String def) {
            return options.getOrDefault(k, def);
        }

        String require(String k) {
            String v = options.get(k);
            if (v == null || v.isEmpty()) throw new IllegalArgumentException("--" + k + " is required");
            return v;
        }

        int integer(String k, int def) {
            return Integer.parseInt(get(k, Integer.toString(def)));
        }

        List<Integer> ints(String k, String def) {
            List<Integer> out = new ArrayList<>();
            for (String s : get(k, def).split(",")) if (!s.isBlank()) out.add(Integer.parseInt(s.trim()));
            return out;
        }
    }
}
