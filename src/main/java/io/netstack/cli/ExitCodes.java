package io.netstack.cli;

/** netstack's exit codes (documented in the README). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    /** {@code plan --detailed-exitcode}: changes pending; {@code drift}: drift found. */
    public static final int CHANGES = 2;
    public static final int INVALID_INPUT = 3;

    private ExitCodes() {}
}
