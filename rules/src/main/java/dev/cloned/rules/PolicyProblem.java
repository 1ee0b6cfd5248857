package dev.cloned.rules;

/** One problem found while validating a pack: the file, the line (0 when unknown), and what is wrong. */
public record PolicyProblem(String file, int line, String message) {
    /** {@code file:line: message}. */
    public String describe() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
