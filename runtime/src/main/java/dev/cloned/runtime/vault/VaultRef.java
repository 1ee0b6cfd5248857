package dev.cloned.runtime.vault;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to a secret, written {@code vault://NAME}. State and configuration hold these, never values.
 * A name is 1 to 100 characters of letters, digits, {@code .}, {@code _} and {@code -}, starting with a
 * letter or digit.
 */
public record VaultRef(String name) {
    /** The scheme prefix of a reference. */
    public static final String PREFIX = "vault://";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public VaultRef {
        requireValidName(name);
    }

    /** Parses {@code vault://NAME}; anything else is {@link ErrorCode#INVALID_INPUT}. */
    public static VaultRef parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT,
                    "not a vault reference: expected vault://NAME", "write the secret as vault://NAME and store the value with 'cloned vault set NAME'");
        }
        return new VaultRef(text.substring(PREFIX.length()));
    }

    /** Whether {@code text} is a well-formed {@code vault://NAME} reference. */
    public static boolean isRef(String text) {
        return text != null && text.startsWith(PREFIX) && NAME.matcher(text.substring(PREFIX.length())).matches();
    }

    /** Whether {@code name} is a valid secret name. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Throws {@link ErrorCode#INVALID_INPUT} unless {@code name} is a valid secret name; returns it. */
    public static String requireValidName(String name) {
        Objects.requireNonNull(name, "name");
        if (!isValidName(name)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT,
                    "invalid secret name '" + printable(name) + "'",
                    "use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The {@code vault://NAME} form. */
    @Override
    public String toString() {
        return PREFIX + name;
    }
}
