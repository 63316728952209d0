package io.netstack.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code rather than a {@code logback.xml}: parsing XML with Joran loads
 * some 450 classes and cost ~0.2 s of every run's start-up, including {@code --version}.
 * Logback finds this class through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}
 * and runs it before (and instead of) looking for {@code logback.xml}. A user's own
 * {@code -Dlogback.configurationFile=…} still wins: then this configurator steps aside.
 *
 * <p>Logs go to stderr so that stdout stays clean for JSON output. WARN by default; {@code -v}
 * raises netstack's own logs to DEBUG and the rest to INFO ({@link Main#configureLogging}). The AWS
 * SDK's request and wire logs never go below INFO: DEBUG could carry request bodies, and secrets
 * are never logged.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(ch.qos.logback.classic.Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        Main.loggingConfigured(ctx);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
