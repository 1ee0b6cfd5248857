package dev.cloned.runtime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers for calls, audit entries and approvals: a prefix and 128 random bits in hex. They identify,
 * they do not protect anything, so a thread-local generator is enough and avoids contending on SecureRandom.
 */
public final class Ids {
    private Ids() {
    }

    /** {@code prefix + "_" + 32 hex digits}. */
    public static String random(String prefix) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return prefix + "_" + hex(r.nextLong()) + hex(r.nextLong());
    }

    private static String hex(long v) {
        String s = Long.toHexString(v);
        return "0".repeat(16 - s.length()) + s;
    }
}
