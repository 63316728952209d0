package io.netstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netstack.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 9: many errors print the first few in file order and a count of the rest. */
class ErrorCapCliTest {
    @Test
    void manyOverlappingSubnetsPrintTheFirstErrorsAndACount(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("{\n\"stack\": \"many\",\n\"region\": \"eu-west-1\",\n\"resources\": {\n\"vpc\": {\"type\": \"vpc\", \"cidr\": \"10.0.0.0/16\"}");
        int n = 300;
        for (int i = 0; i < n; i++) sb.append(",\n\"s").append(i).append("\": {\"type\": \"subnet\", \"vpc\": \"${vpc}\", \"cidr\": \"10.0.0.0/24\"}");
        sb.append("\n}\n}\n");
        Path f = Files.writeString(dir.resolve("many.json"), sb);
        Cli.Result r = Cli.run(Map.of(), "validate", f.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.toString());
        String[] lines = r.err().split("\n");
        assertEquals(Main.MAX_ERRORS_PRINTED + 2, lines.length, r.err());
        // In file order: the first error is on s1 (line 7), naming s0.
        assertTrue(lines[0].startsWith(f + ":7:"), lines[0]);
        assertTrue(lines[0].endsWith("s1: 10.0.0.0/24 overlaps subnet s0 (10.0.0.0/24) in the same VPC"), lines[0]);
        assertEquals("… and " + (n - 1 - Main.MAX_ERRORS_PRINTED) + " more errors (the first " + Main.MAX_ERRORS_PRINTED + " are shown)", lines[lines.length - 2]);
        assertEquals((n - 1) + " errors; nothing was sent to AWS.", lines[lines.length - 1]);
    }
}
