package io.netstack.engine;

/** The plan cannot be made (e.g. a cross-stack reference to a resource that does not exist). */
public class PlanException extends RuntimeException {
    public PlanException(String message) {
        super(message);
    }
}
