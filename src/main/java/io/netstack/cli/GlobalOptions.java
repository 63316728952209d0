package io.netstack.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Options every command takes. */
public class GlobalOptions {
    /**
     * Here rather than on each subcommand: picocli answers a usage-help option before it checks
     * required parameters, so {@code plan --help} prints the usage instead of "Missing required
     * parameter: 'STACK'".
     */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-v", "--verbose"}, description = "Debug logs and stack traces (never secrets).")
    boolean verbose;

    @Option(names = "--json", description = "Machine-readable output on stdout; logs and progress on stderr.")
    boolean json;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send every AWS call to URL (moto, LocalStack). Default: $AWS_ENDPOINT_URL.")
    URI endpoint;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile from ~/.aws/config and credentials.")
    String profile;

    @Option(names = "--rate-limit", paramLabel = "aws|off|SHARE", converter = RateLimitConverter.class,
            description = "Pace EC2 calls to AWS's per-action token buckets: aws (default), off, or a share of them such as 50% when other tools use the same account.")
    io.netstack.provider.ratelimit.RateLimits rateLimit;

    static final class RateLimitConverter implements picocli.CommandLine.ITypeConverter<io.netstack.provider.ratelimit.RateLimits> {
        @Override
        public io.netstack.provider.ratelimit.RateLimits convert(String value) {
            try {
                return io.netstack.provider.ratelimit.RateLimits.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ParallelismConverter implements picocli.CommandLine.ITypeConverter<io.netstack.engine.Parallelism> {
        @Override
        public io.netstack.engine.Parallelism convert(String value) {
            try {
                return io.netstack.engine.Parallelism.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
