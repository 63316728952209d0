package io.netstack.testing;

import io.netstack.cli.Console;
import io.netstack.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real CLI in-process (same parsing, engine and exit codes as {@code scripts/netstack},
 * without a JVM start per call) against the test AWS API, capturing stdout and stderr.
 * No terminal: commands that would prompt must be given --auto-approve, as in CI.
 */
public final class Cli {
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    public static Result run(AwsApi api, String region, String... args) {
        return run(api.cliEnv(region), args);
    }

    public static synchronized Result run(Map<String, String> env, String... args) {
        // The SDK reads credentials from the real environment or system properties, not from `env`.
        Map<String, String> e = new HashMap<>(env);
        if (e.containsKey("AWS_ACCESS_KEY_ID")) System.setProperty("aws.accessKeyId", e.get("AWS_ACCESS_KEY_ID"));
        if (e.containsKey("AWS_SECRET_ACCESS_KEY")) System.setProperty("aws.secretAccessKey", e.get("AWS_SECRET_ACCESS_KEY"));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream r = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, new Console(o, r, e, false));
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
