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
            if (env != null && !env.isBlank()) endpoint = URI.create(env.trim());
        }
        AwsSettings settings = new AwsSettings(null, endpoint, global.profile, AwsSettings.DEFAULT_MAX_ATTEMPTS, List.of());
        if (global.rateLimit != null) settings = settings.withRateLimit(global.rateLimit);
        return new Netstack(settings);
    }

    /** Whether the command calls AWS after validating (validate and graph do not). */
    boolean callsAws() {
        return true;
    }

    StackFile loadAndValidate(Netstack ns, StackArgs args) {
        StackFile stack = ns.load(args.file, args.values(), console.env());
        // Build the SDK clients on another core while this one validates (no call is made yet).
        if (callsAws()) ns.prewarm(stack.region());
        Validator.Result r = ns.validate(stack);
        for (StackError w : r.warnings()) console.err().println(w.location() + ": warning: " + w.message());
        return stack;
    }
}
