package io.netstack.stack;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a stack file is invalid; carries every error found, so all are reported at once. */
public class StackException extends RuntimeException {
    private final List<StackError> errors;

    public StackException(List<StackError> errors) {
        super(errors.stream().sorted().map(StackError::toString).collect(Collectors.joining("\n")));
        this.errors = errors.stream().sorted().toList();
    }

    public StackException(Location location, String message) {
        this(List.of(new StackError(location, message)));
    }

    public List<StackError> errors() {
        return errors;
    }
}
