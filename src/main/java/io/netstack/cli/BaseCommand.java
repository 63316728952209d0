package io.netstack.cli;

import io.netstack.api.Netstack;
import io.netstack.engine.Validator;
import io.netstack.provider.AwsSettings;
import io.netstack.stack.StackError;
import io.netstack.stack.StackFile;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** Shared plumbing of the subcommands: options, console, and a {@link Netstack} session. */
abstract class BaseCommand implements Callable<Integer> {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    Console console = Console.system();

    /** Human-readable progress: stdout normally, stderr under --json. */
    java.io.PrintStream human() {
        return global.json ? console.err() : console.out();
    }

    Netstack netstack() {
        URI endpoint = global.endpoint;
        if (endpoint == null) {
            String env = console.env().get("AWS_ENDPOINT_URL");
            if (env != null && !env.isBlank()) {
                try {
                    endpoint = GlobalOptions.endpoint(env, "AWS_ENDPOINT_URL");
                } catch (IllegalArgumentException e) {
                    throw invalid(e.getMessage());
                }
            }
        }
        AwsSettings settings = new AwsSettings(null, endpoint, global.profile, AwsSettings.DEFAULT_MAX_ATTEMPTS, List.of());
        if (global.rateLimit != null) settings = settings.withRateLimit(global.rateLimit);
        return new Netstack(settings);
    }

    /** A wrong option value or combination: reported as picocli reports its own (exit 3, see Main). */
    picocli.CommandLine.ParameterException invalid(String message) {
        return new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), message);
    }

    /** Whether the command calls AWS after validating (validate and graph do not). */
    boolean callsAws() {
        return true;
    }

    /** Whether declared variables may stay without a value (validate: CI has no secrets or environment values). */
    boolean allowsUnsetVariables() {
        return false;
    }

    StackFile loadAndValidate(Netstack ns, StackArgs args) {
        StackFile stack = allowsUnsetVariables() ? ns.loadForValidation(args.file, args.values(), console.env()) : ns.load(args.file, args.values(), console.env());
        // Build the SDK clients on another core while this one validates (no call is made yet).
        if (callsAws()) ns.prewarm(stack);
        Validator.Result r = ns.validate(stack);
        for (StackError w : r.warnings()) console.err().println(w.location() + ": warning: " + w.message());
        return stack;
    }

    /**
     * The values of the stack's {@code ${env.NAME}} secrets, checked before AWS is called (exit 3
     * naming the variable): {@code required} for commands that will send them (plan, apply), else
     * only the values that are set are checked (validate, which CI runs without secrets).
     */
    void checkSecrets(Netstack ns, StackFile stack, boolean required) {
        ns.checkSecrets(stack, console.env()::get, required);
    }
}
