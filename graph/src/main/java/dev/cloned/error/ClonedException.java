package dev.cloned.error;

import java.util.Objects;

/**
 * A failure with a stable {@link ErrorCode}, a human message (what, where) and an optional hint (how to fix).
 * Denials are not exceptions: they are decisions. This type is for failures only.
 */
public class ClonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String hint;

    public ClonedException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ClonedException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    public ClonedException(ErrorCode code, String message, String hint, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.hint = hint;
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /** How to fix it, or {@code null} when there is nothing useful to say. */
    public String hint() {
        return hint;
    }

    /** {@code e} without the {@link java.util.concurrent.CompletionException} a {@code CompletableFuture} wraps it in. */
    public static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
