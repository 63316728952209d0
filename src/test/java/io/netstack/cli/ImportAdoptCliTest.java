package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import io.netstack.testing.CountingEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code import} and {@code adopt} refuse bad input with exit 3 before any AWS call (the endpoint
 * counts every request it gets) and write nothing.
 */
class ImportAdoptCliTest {
    static CountingEndpoint server;

    @BeforeAll
    static void start() {
        server = CountingEndpoint.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL", server.url(), "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_REGION", "eu-west-1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no VPC        | --stack=shop                  | give at least one --vpc or --tag
        bad VPC id    | --vpc=subnet-0123abcd         | is not a VPC id
        bad stack     | --vpc=vpc-0123abcd,--stack=Shop | is not a stack name
        bad region    | --vpc=vpc-0123abcd,--region=eu-west-9 | is not an AWS region
        """)
    void importRefusesBadOptionsWithoutCallingAws(String name, String options, String message, @TempDir Path dir) {
        server.reset();
        Path out = dir.resolve("net.json");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("import", "-o", out.toString()));
        if (!options.contains("--region")) args.add("--region=eu-west-1");
        args.addAll(java.util.List.of(options.split(",")));
        Cli.Result r = Cli.run(env(), args.toArray(String[]::new));
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(message), r.toString());
        assertEquals(0, server.requests(), "no AWS call");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void importNeverOverwrites(@TempDir Path dir) throws Exception {
        server.reset();
        Path out = dir.resolve("net.json");
        Files.writeString(out, "{}");
        Cli.Result r = Cli.run(env(), "import", "--region", "eu-west-1", "--vpc", "vpc-0123abcd", "-o", out.toString());
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("exists"), r.toString());
        assertEquals("{}", Files.readString(out));
        assertEquals(0, server.requests());
    }

    @Test
    void adoptNeedsTheAdoptFile(@TempDir Path dir) throws Exception {
        server.reset();
        Path f = dir.resolve("net.json");
        Files.writeString(f, "{ \"stack\": \"shop\", \"region\": \"eu-west-1\", \"resources\": { \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" } } }");
        Cli.Result r = Cli.run(env(), "adopt", f.toString(), "--auto-approve");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains("net.json.adopt.json: not found"), r.toString());
        Files.writeString(dir.resolve("net.json.adopt.json"), "{ \"resources\": {} }");
        Cli.Result wrong = Cli.run(env(), "adopt", f.toString(), "--auto-approve");
        assertEquals(3, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("not an adopt file written by netstack import"), wrong.toString());
        assertEquals(0, server.requests(), "no AWS call");
    }
}
