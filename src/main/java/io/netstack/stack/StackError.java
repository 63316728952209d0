package io.netstack.stack;

/** One problem in a stack file, with where it is. */
public record StackError(Location location, String message) implements Comparable<StackError> {
    @Override
    public String toString() {
        return location + ": " + message + (location.instance() == null ? "" : " (in " + location.instance() + ")");
    }

    @Override
    public int compareTo(StackError o) {
        int c = Integer.compare(location.line(), o.location.line());
        if (c == 0) c = Integer.compare(location.column(), o.location.column());
        return c == 0 ? message.compareTo(o.message) : c;
    }
}
