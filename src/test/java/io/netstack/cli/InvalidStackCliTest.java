package io.netstack.cli;

import io.netstack.testing.CountingEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import io.netstack.testing.StackFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed stack files exit 3 with {@code file:line:col: message} and make no AWS call:
 * the CLI's endpoint is a loopback HTTP server that counts every request it gets.
 */
class InvalidStackCliTest {
    static CountingEndpoint server;

    @BeforeAll
    static void start() {
        server = CountingEndpoint.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static final String VALID_HEAD = "{\n  \"stack\": \"bad\",\n  \"region\": \"eu-west-1\",\n  \"resources\": {\n"
            + "    \"vpc\": { \"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\" },\n";

    /** Each case: the block on line 6, the text its error must point at, and the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown key        | "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24", "colour": "red" }                 | "colour"         | unknown property "colour"
        bad CIDR           | "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.300.0/24" }                                | "10.0.300.0/24"  | is not a valid IPv4 CIDR block
        host bits          | "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.1/24" }                                  | "10.0.1.1/24"    | has host bits set
        subnet outside VPC | "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.1.0.0/24" }                                  | "10.1.0.0/24"    | is outside vpc's CIDR blocks
        unknown reference  | "a": { "type": "subnet", "vpc": "${vcp}", "cidr": "10.0.1.0/24" }                                  | "${vcp}"         | unknown reference ${vcp}
        wrong ref type     | "a": { "type": "subnet", "vpc": "${vpc}", "cidr": "10.0.1.0/24" }, "b": { "type": "subnet", "vpc": "${a}", "cidr": "10.0.2.0/24" } | "${a}" | ${a} is a subnet, expected vpc
        unknown type       | "a": { "type": "sub-net", "vpc": "${vpc}" }                                                        | "sub-net"        | unknown resource type "sub-net"
        port out of range  | "a": { "type": "security-group", "vpc": "${vpc}", "ingress": [ { "protocol": "tcp", "ports": "70000", "from": "0.0.0.0/0" } ] } | "70000" | must be within 0-65535
        """)
    void invalidResourceExits3WithLocationAndNoAwsCall(String name, String block, String token, String message, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", VALID_HEAD + "    " + block + "\n  }\n}\n");
        assertInvalid(f, 6, column(block, token), message);
    }

    @org.junit.jupiter.api.Test
    void overlappingSubnets(@TempDir Path dir) {
        String b = "\"b\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.1.0/24\" }";
        Path f = StackFiles.write(dir, "bad.json", VALID_HEAD
                + "    \"a\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.0.0/23\" },\n"
                + "    " + b + "\n  }\n}\n");
        assertInvalid(f, 7, column(b, "\"10.0.1.0/24\""), "overlaps subnet a (10.0.0.0/23) in the same VPC");
    }

    /** 1-based column of {@code token} in a line indented by four spaces. */
    static int column(String block, String token) {
        int i = block.indexOf(token);
        if (i < 0) throw new IllegalArgumentException(token + " not in " + block);
        return 4 + i + 1;
    }

    @org.junit.jupiter.api.Test
    void referenceCycle(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", VALID_HEAD
                + "    \"app\": { \"type\": \"security-group\", \"vpc\": \"${vpc}\", \"description\": \"${db.arn}\" },\n"
                + "    \"db\": { \"type\": \"security-group\", \"vpc\": \"${vpc}\", \"description\": \"${app.arn}\" }\n  }\n}\n");
        assertInvalid(f, 6, 12, "reference cycle: app → db → app");
    }

    @org.junit.jupiter.api.Test
    void invalidJson(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", VALID_HEAD + "    \"a\": { \"type\": \"subnet\" \"vpc\": \"${vpc}\" }\n  }\n}\n");
        assertInvalid(f, 6, 29, "invalid JSON: Unexpected character");
    }

    @org.junit.jupiter.api.Test
    void allErrorsAtOnce(@TempDir Path dir) {
        Path f = StackFiles.write(dir, "bad.json", VALID_HEAD
                + "    \"a\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.9.0.0/24\" },\n"
                + "    \"b\": { \"type\": \"subnet\", \"vpc\": \"${nope}\", \"cidr\": \"10.0.2.0/24\", \"zone\": 7 }\n  }\n}\n");
        for (String cmd : new String[] {"validate", "plan", "apply"}) {
            int before = server.requests();
            Cli.Result r = cmd.equals("apply") ? Cli.run(env(), cmd, f.toString(), "--auto-approve") : Cli.run(env(), cmd, f.toString());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains(f + ":6:"), r.toString());
            assertTrue(r.err().contains(f + ":7:"), r.toString());
            assertTrue(r.err().contains("unknown reference ${nope}"), r.toString());
            assertTrue(r.err().contains("zone: must be a string"), r.toString());
            assertTrue(r.err().contains("3 errors; nothing was sent to AWS."), r.toString());
            assertEquals(before, server.requests(), "no AWS call for " + cmd);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        --parallelism | 0     | must be at least 1, not 0
        --parallelism | lots  | expected a number or 'adaptive', not 'lots'
        --rate-limit  | fast  | expected aws, off, or a share of AWS's buckets such as 0.5 or 50%, not 'fast'
        --rate-limit  | 200%  | a share of the buckets is more than 0 and at most 1, not 2.0
        """)
    void badApplyOptionsExit3BeforeAnyAwsCall(String option, String value, String message, @TempDir Path dir) {
        Path f = StackFiles.write(dir, "ok.json", VALID_HEAD + "    \"sn\": { \"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.1.0/24\" }\n  }\n}\n");
        int before = server.requests();
        Cli.Result r = Cli.run(env(), "apply", f.toString(), "--auto-approve", option, value);
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.err().contains(message), r.toString());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r);
        assertEquals(before, server.requests(), "no AWS call");
    }

    private static Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL", server.url(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    private static void assertInvalid(Path f, int line, int col, String message) {
        for (String cmd : new String[] {"validate", "plan", "apply", "destroy"}) {
            int before = server.requests();
            Cli.Result r = cmd.equals("apply") || cmd.equals("destroy")
                    ? Cli.run(env(), cmd, f.toString(), "--auto-approve") : Cli.run(env(), cmd, f.toString());
            assertEquals(3, r.exit(), cmd + ": " + r);
            Pattern p = Pattern.compile("(?m)^" + Pattern.quote(f + ":" + line + ":" + col + ": ") + ".*" + Pattern.quote(message));
            assertTrue(p.matcher(r.err()).find(), cmd + ": expected " + f + ":" + line + ":" + col + ": …" + message + "\n" + r);
            assertTrue(!r.err().contains("\tat "), "no stack trace for a user error: " + r);
            assertEquals(before, server.requests(), cmd + " made an AWS call");
        }
    }
}
