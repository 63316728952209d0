package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13 items 7, 8, 10: the scheduled checker's options are checked at start-up, exit 3 with a
 * plain message, before any stack is read or AWS called (the endpoint is a closed port).
 */
class DriftOptionsCliTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
        --listen     | abc                       | --listen takes HOST:PORT
        --listen     | 127.0.0.1:abc             | --listen takes HOST:PORT
        --listen     | 127.0.0.1:70000           | --listen takes HOST:PORT
        --listen     | :9090                     | --listen takes HOST:PORT
        --webhook    | file:///tmp/alerts        | the webhook must be an http:// or https:// URL
        --webhook    | ftp://example.com/x       | the webhook must be an http:// or https:// URL
        --report-dir | FILE                      | is a file, not a directory
        --report-dir | FILE/sub                  | is not a writable directory
        --keep       | -1                        | --keep takes 0
        """)
    void badOptionsExit3BeforeAnythingElse(String option, String value, String message, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "not a directory");
        String v = value.replace("FILE", file.toString());
        Cli.Result r = Cli.run(Map.of(), "drift", dir.resolve("missing.json").toString(), "--every", "1m",
                "--endpoint-url", "http://127.0.0.1:9", option, v);
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
        assertTrue(r.err().contains(message), r.toString());
        assertFalse(r.err().contains("For input string") || r.err().contains("no such file"), r.toString());
    }
}
