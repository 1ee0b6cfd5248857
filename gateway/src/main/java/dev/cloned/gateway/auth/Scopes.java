package dev.cloned.gateway.auth;

import java.util.List;
import java.util.Set;

/** The scopes a session can hold: {@code read} (GET), {@code call} (tool calls, MCP), {@code approve}, {@code admin}. */
public final class Scopes {
    public static final String READ = "read";
    public static final String CALL = "call";
    public static final String APPROVE = "approve";
    public static final String ADMIN = "admin";
    /** Every scope, in order of power. */
    public static final List<String> ALL = List.of(READ, CALL, APPROVE, ADMIN);
    /** What a device gets when its request names no scope. */
    public static final List<String> DEFAULT = List.of(READ, CALL);

    private Scopes() {
    }

    /** Whether every scope is known. */
    public static boolean valid(List<String> scopes) {
        return Set.copyOf(ALL).containsAll(scopes);
    }
}
