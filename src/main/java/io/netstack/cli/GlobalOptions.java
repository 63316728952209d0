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

    @Option(names = "--endpoint-url", paramLabel = "URL", converter = EndpointConverter.class, description = "Send every AWS call to URL (moto, LocalStack). Default: $AWS_ENDPOINT_URL.")
    URI endpoint;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile from ~/.aws/config and credentials.")
    String profile;

    @Option(names = "--rate-limit", paramLabel = "aws|off|SHARE", converter = RateLimitConverter.class,
            description = "Pace EC2 calls to AWS's per-action token buckets: aws (default), off, or a share of them such as 50%% when other tools use the same account.")
    io.netstack.provider.ratelimit.RateLimits rateLimit;

    /** An endpoint the SDK can call: http(s)://host[:port][/path]. Anything else is invalid input (exit 3), not an AWS error later. */
    static URI endpoint(String value, String what) {
        URI u;
        try {
            u = new URI(value.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(what + " \"" + value + "\" is not a URL (e.g. http://127.0.0.1:5000)");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException(what + " \"" + value + "\" must be an http:// or https:// URL with a host (e.g. http://127.0.0.1:5000)");
        }
        return u;
    }

    static final class EndpointConverter implements picocli.CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                return endpoint(value, "the endpoint");
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

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
