package dev.cloned.rules.fact;

import dev.cloned.rules.EgressMatch;

/** The resolution of the call's outbound host against the egress allowlists. */
public final class Egress {
    private final EgressMatch match;

    public Egress(EgressMatch match) {
        this.match = match;
    }

    public String getHost() {
        return match.host();
    }

    public boolean isAllowed() {
        return match.allowed();
    }

    public String getScope() {
        return match.scope();
    }

    public String getPattern() {
        return match.pattern();
    }

    /** Human form of the match. */
    public String getDescription() {
        return match.describe();
    }

    @Override
    public String toString() {
        return "Egress(" + match.host() + " -> " + match.describe() + ")";
    }
}
