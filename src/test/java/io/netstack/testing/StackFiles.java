package io.netstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes stack files for tests into a temp directory. */
public final class StackFiles {
    private StackFiles() {}

    public static Path write(Path dir, String name, String json) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, json);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file under {@code stacks/} with its stack name replaced, for tests that must not collide. */
    public static Path copyExample(Path dir, String example, String newStackName) {
        try {
            String text = Files.readString(Path.of("stacks", example));
            String renamed = text.replaceFirst("\"stack\"\\s*:\\s*\"[^\"]+\"", "\"stack\": \"" + newStackName + "\"");
            return write(dir, example, renamed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
