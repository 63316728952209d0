package io.netstack.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Options every command takes. */
public class GlobalOptions {
    @Option(names = {"-v", "--verbose"}, description = "Debug logs and stack traces (never secrets).")
    boolean verbose;

    @Option(names = "--json", description = "Machine-readable output on stdout; logs and progress on stderr.")
    boolean json;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send every AWS call to URL (moto, LocalStack). Default: $AWS_ENDPOINT_URL.")
    URI endpoint;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS profile from ~/.aws/config and credentials.")
    String profile;
}
