package io.netstack.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.netstack.engine.PlanException;
import io.netstack.spi.AwsFailure;
import io.netstack.stack.StackError;
import io.netstack.stack.StackException;
import java.util.List;
import picocli.CommandLine;

/** Entry point: parse, run, map the outcome to an exit code. The only place that exits. */
public final class Main {
    /** Stack errors printed, in file order; past this only their count (5,000 overlapping subnets printed 46,360 lines). */
    static final int MAX_ERRORS_PRINTED = 50;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs one command with the given console; returns the exit code (tests call this in-process). */
    public static int run(String[] args, Console console) {
        boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
        configureLogging(verbose);
        CommandLine cl = new CommandLine(new NetstackCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof BaseCommand b) b.console = console;
                return k;
            }
        });
        // Picocli reflects over every registered command: register only the one being run (all of
        // them for help and errors, none for --version), see NetstackCommand.
        boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        Class<?> only = args.length > 0 ? NetstackCommand.SUBCOMMANDS.get(args[0]) : null;
        if (only == CommandLine.HelpCommand.class) only = null; // `help CMD` needs CMD registered
        for (Class<?> sub : NetstackCommand.SUBCOMMANDS.values()) {
            if (!versionOnly && (only == null || sub == only)) cl.addSubcommand(sub);
        }
        cl.setOut(new java.io.PrintWriter(console.out(), true));
        cl.setErr(new java.io.PrintWriter(console.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            console.err().println("error: " + ex.getMessage());
            console.err().println("Try '" + ex.getCommandLine().getCommandName() + " --help'.");
            return ExitCodes.INVALID_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> handle(ex, console, verbose));
        return cl.execute(args);
    }

    static int handle(Exception ex, Console console, boolean verbose) {
        if (ex instanceof StackException se) {
            List<StackError> errors = se.errors();
            for (StackError e : errors.subList(0, Math.min(errors.size(), MAX_ERRORS_PRINTED))) console.err().println(e);
            if (errors.size() > MAX_ERRORS_PRINTED) {
                console.err().printf(java.util.Locale.ROOT, "… and %,d more errors (the first %d are shown)%n", errors.size() - MAX_ERRORS_PRINTED, MAX_ERRORS_PRINTED);
            }
            console.err().println(errors.size() == 1 ? "1 error; nothing was sent to AWS."
                    : String.format(java.util.Locale.ROOT, "%,d errors; nothing was sent to AWS.", errors.size()));
            return ExitCodes.INVALID_INPUT;
        }
        if (ex instanceof AwsFailure f) {
            console.err().println("error: " + f.describe());
        } else if (ex instanceof PlanException p) {
            console.err().println("error: " + p.getMessage());
        } else {
            console.err().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (!verbose) console.err().println("(run with -v for details)");
        }
        if (verbose) trace(ex, console);
        return ExitCodes.ERROR;
    }

    /** Stack traces are for -v only: user errors never show one by default. */
    static void trace(Throwable t, Console console) {
        t.printStackTrace(console.err());
    }

    /** The level set of this JVM's runs: read by {@link LogConfigurator} when logback starts. */
    private static volatile boolean verboseLogging;
    /** Logback's context once {@link LogConfigurator} has run; null while logback is not started. */
    private static volatile ch.qos.logback.classic.LoggerContext logging;

    /**
     * WARN by default; -v turns netstack's own logs to DEBUG. The AWS SDK stays at INFO even with
     * -v: its DEBUG request logs could carry request bodies, and secrets are never logged.
     *
     * <p>Does not start logback: a run that logs nothing ({@code --version}, {@code validate},
     * {@code schema}) never pays for it. {@link LogConfigurator} applies the levels when the first
     * logger is made (the AWS SDK's, or netstack's); a later run in the same JVM (tests) re-applies.
     */
    static synchronized void configureLogging(boolean verbose) {
        verboseLogging = verbose;
        if (logging != null) applyLevels(logging, verbose);
    }

    static synchronized void loggingConfigured(ch.qos.logback.classic.LoggerContext ctx) {
        logging = ctx;
        applyLevels(ctx, verboseLogging);
    }

    private static void applyLevels(ch.qos.logback.classic.LoggerContext ctx, boolean verbose) {
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(verbose ? Level.INFO : Level.WARN);
        ctx.getLogger("io.netstack").setLevel(verbose ? Level.DEBUG : Level.WARN);
        ctx.getLogger("software.amazon.awssdk").setLevel(verbose ? Level.INFO : Level.WARN);
        ctx.getLogger("software.amazon.awssdk.request").setLevel(Level.INFO);
        ctx.getLogger("software.amazon.awssdk.http").setLevel(Level.INFO);
        ctx.getLogger("org.apache.http.wire").setLevel(Level.OFF);
    }
}
