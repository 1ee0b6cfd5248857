package dev.cloned.rules;

import java.util.Locale;

/** The effect of a policy decision. Deny beats approval beats allow; a call nothing allows is denied. */
public enum Effect {
    ALLOW, REQUIRE_APPROVAL, DENY;

    /** Wire form: {@code allow}, {@code require_approval}, {@code deny}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form. */
    public static Effect fromWire(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    /** The stronger of two effects (deny > require_approval > allow). */
    public Effect strongest(Effect other) {
        return ordinal() >= other.ordinal() ? this : other;
    }
}
