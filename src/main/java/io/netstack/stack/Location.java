package io.netstack.stack;

/**
 * A position in a stack file, printed the way editors and compilers do: {@code file:line:col}.
 * {@code instance} names what was expanded from the template written there (a repeated resource's
 * instance, a module's resource), or is null for plain v1 content.
 */
public record Location(String file, int line, int column, String instance) {
    public Location(String file, int line, int column) {
        this(file, line, column, null);
    }

    public static Location unknown(String file) {
        return new Location(file, 0, 0);
    }

    public Location in(String instance) {
        return new Location(file, line, column, instance);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
