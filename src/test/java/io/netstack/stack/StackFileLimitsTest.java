package io.netstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 items 9 and 10: stack files are read within stated limits, with errors in the user's words and a place. */
class StackFileLimitsTest {
    static final String VALID = "{\n  \"stack\": \"s\",\n  \"region\": \"eu-west-1\",\n  \"resources\": {}\n}\n";

    static StackError error(Path f) {
        StackException e = assertThrows(StackException.class, () -> StackLoader.load(f, Map.of()));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bom.json");
        byte[] text = VALID.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bytes, 3, text.length);
        Files.write(f, bytes);
        assertEquals("s", StackLoader.load(f, Map.of()).name());
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWhereTheyAre(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.json");
        // "café" in ISO-8859-1 on line 3: é is the single byte 0xE9
        Files.write(f, "{\n  \"stack\": \"s\",\n  \"region\": \"caf\u00e9\",\n  \"resources\": {}\n}\n".getBytes(StandardCharsets.ISO_8859_1));
        StackError e = error(f);
        assertEquals(new Location(f.toString(), 3, 17), e.location());
        assertTrue(e.message().contains("not UTF-8") && e.message().contains("0xE9"), e.message());
        assertFalse(e.toString().contains("Input length"), e.toString());
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge.json");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(StackLoader.MAX_FILE_BYTES + 1); // sparse: nothing is written
        }
        StackError e = error(f);
        assertEquals(1, e.location().line());
        assertTrue(e.message().contains("stack files are at most 20 MB"), e.message());
    }

    @Test
    void jacksonLimitsAreStatedInTheUsersWords() {
        String longNumber = "1".repeat(LocatedJson.MAX_NUMBER_DIGITS + 1);
        StackException e = assertThrows(StackException.class, () -> StackLoader.parse("n.json",
                "{\n  \"stack\": \"s\",\n  \"region\": \"eu-west-1\",\n  \"x\": " + longNumber + ",\n  \"resources\": {}\n}", Map.of()));
        assertEquals(4, e.errors().get(0).location().line(), e.getMessage());
        assertTrue(e.getMessage().contains("a number longer than 100 digits"), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadConstraints"), e.getMessage());
        String longString = "a".repeat(LocatedJson.MAX_STRING_CHARS + 1);
        e = assertThrows(StackException.class, () -> StackLoader.parse("n.json", "{\"stack\": \"" + longString + "\"}", Map.of()));
        assertTrue(e.getMessage().contains("a string longer than 1,000,000 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadConstraints"), e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsAnErrorWithItsLine() {
        String deep = "[".repeat(LocatedJson.MAX_DEPTH + 5) + "]".repeat(LocatedJson.MAX_DEPTH + 5);
        StackException e = assertThrows(StackException.class, () -> StackLoader.parse("d.json",
                "{\n  \"stack\": \"s\",\n  \"resources\": {},\n  \"x\":\n" + deep + "\n}", Map.of()));
        assertEquals(5, e.errors().get(0).location().line(), e.getMessage());
        assertTrue(e.getMessage().contains("nesting deeper than " + LocatedJson.MAX_DEPTH + " levels"), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadConstraints"), e.getMessage());
        // Far deeper than the JVM's stack would allow a recursive reader: still the same error.
        String abyss = "[".repeat(200_000);
        e = assertThrows(StackException.class, () -> StackLoader.parse("d.json", abyss, Map.of()));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
    }

    @Test
    void aDirectoryOrAMissingFileIsAPlainError(@TempDir Path dir) {
        assertTrue(error(dir).message().contains("is a directory"));
        assertEquals("no such file", error(dir.resolve("nope.json")).message());

    }
}
