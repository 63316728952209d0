package io.netstack.stack;

/** A position in a stack file, printed the way editors and compilers do: {@code file:line:col}. */
public record Location(String file, int line, int column) {
    public static Location unknown(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
