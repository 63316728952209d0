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

    /**
     * Reads a file under {@code stacks/} with its stack name replaced, for tests that must not collide.
     * The modules under {@code stacks/modules/} are copied beside it (examples such as three-tier use
     * them by a path relative to the file).
     */
    public static Path copyExample(Path dir, String example, String newStackName) {
        try {
            String text = Files.readString(Path.of("stacks", example));
            String renamed = text.replaceFirst("\"stack\"\\s*:\\s*\"[^\"]+\"", "\"stack\": \"" + newStackName + "\"");
            copyModules(dir);
            return write(dir, example, renamed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies {@code stacks/modules/*.json} to {@code dir/modules/} (files already there are kept). */
    public static void copyModules(Path dir) throws IOException {
        Path target = dir.resolve("modules");
        Files.createDirectories(target);
        try (var files = Files.list(Path.of("stacks", "modules"))) {
            for (Path m : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                Path to = target.resolve(m.getFileName().toString());
                if (!Files.exists(to)) Files.copy(m, to);
            }
        }
    }
}
