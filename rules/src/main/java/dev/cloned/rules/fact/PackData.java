package dev.cloned.rules.fact;

import dev.cloned.rules.pack.PolicyPack;

import java.util.Set;

/** The active pack's data, as rules see it. */
public final class PackData {
    private final PolicyPack pack;

    public PackData(PolicyPack pack) {
        this.pack = pack;
    }

    public String getPackId() {
        return pack.packId();
    }

    public String getTier() {
        return pack.tier();
    }

    public Set<String> getAllowedTools() {
        return pack.allowlists().tools();
    }

    public Set<String> getAllowedCapabilities() {
        return pack.allowlists().capabilities();
    }

    public Set<String> getAllowedPublishers() {
        return pack.allowlists().publishers();
    }

    public Set<String> getDeniedTools() {
        return pack.denylists().tools();
    }

    public Set<String> getDeniedCapabilities() {
        return pack.denylists().capabilities();
    }

    @Override
    public String toString() {
        return "PackData(" + pack.packId() + ")";
    }
}
