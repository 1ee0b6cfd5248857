package dev.cloned.graph;

import java.util.Locale;

/** Why a connector was chosen to cover capabilities, in order of preference. */
public enum CoverBasis {
    /** It is already installed in the workspace. */
    INSTALLED,
    /** Not installed, but its publisher is verified. */
    VERIFIED_PUBLISHER,
    /** Only known from the catalog: installing it means trusting an unverified publisher. */
    CATALOG;

    /** The wire form, e.g. {@code verified_publisher}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
