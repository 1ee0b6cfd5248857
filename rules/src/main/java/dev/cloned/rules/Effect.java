package dev.cloned.rules;

import java.util.Locale;

/** The effect of a policy decision. Deny beats approval beats allow; a call nothing allows is denied. */
public enum Effect {
    ALLOW, REQUIRE_APPROVAL, DENY;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** Wire form: {@code allow}, {@code require_approval}, {@code deny}. */
    public String wire() {
        return wire;
    }

    /** Parses the wire form (case and surrounding white space aside). */
    public static Effect fromWire(String s) {
        return switch (s) {
            case "allow" -> ALLOW;
            case "deny" -> DENY;
            case "require_approval" -> REQUIRE_APPROVAL;
            default -> valueOf(s.trim().toUpperCase(Locale.ROOT));
        };
    }

    /** The stronger of two effects (deny > require_approval > allow). */
    public Effect strongest(Effect other) {
        return ordinal() >= other.ordinal() ? this : other;
    }
}
