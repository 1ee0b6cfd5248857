package dev.cloned.runtime.policy;

import dev.cloned.error.ClonedException;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.Workspace;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workspace's active policy: its pack plus the workspace overlay, compiled on first use and held as one
 * immutable snapshot. A reload compiles the new snapshot aside and swaps it in atomically; if it fails, the old one
 * stays active and the rejection is kept for {@code cloned policy status}.
 */
public final class ActivePolicy {
    private final Workspace ws;
    private final Clock clock;
    private final AtomicReference<PolicyEngine> current = new AtomicReference<>();
    private final AtomicReference<Rejection> lastRejection = new AtomicReference<>();

    /** A change that was refused, and why. */
    public record Rejection(Instant at, String error, String hint) {
    }

    public ActivePolicy(Workspace ws, Clock clock) {
        this.ws = ws;
        this.clock = clock;
    }

    /** Loads the pack and overlay data without compiling any rule. */
    public PolicyPack loadPack() {
        PolicyPack base = PackLoader.resolve(ws.config().policyPack(), ws.root());
        return PackLoader.withOverlay(base, ws.policyDir());
    }

    /** The pack as shipped, without the workspace overlay. */
    public PolicyPack basePack() {
        return PackLoader.resolve(ws.config().policyPack(), ws.root());
    }

    /** The active engine, compiling it on first use. */
    public PolicyEngine current() {
        PolicyEngine e = current.get();
        if (e == null) {
            e = Policies.compile(loadPack(), ws.rulesCacheDir(), clock);
            if (!current.compareAndSet(null, e)) {
                e = current.get();
            }
        }
        return e;
    }

    /**
     * Recompiles from disk and swaps the result in. On failure the previous snapshot stays active, the rejection is
     * recorded, and the error is thrown.
     *
     * @return the new engine, or the same one when nothing changed
     */
    public PolicyEngine reload() {
        try {
            PolicyPack pack = loadPack();
            PolicyEngine old = current.get();
            if (old != null && old.hash().equals(Policies.hash(pack))) {
                return old;
            }
            PolicyEngine fresh = Policies.compile(pack, ws.rulesCacheDir(), clock);
            current.set(fresh);
            return fresh;
        } catch (ClonedException e) {
            lastRejection.set(new Rejection(clock.instant(), e.getMessage(), e.hint()));
            throw e;
        }
    }

    /** The engine if one was compiled already (no compilation). */
    public Optional<PolicyEngine> peek() {
        return Optional.ofNullable(current.get());
    }

    /** The last refused change, if any. */
    public Optional<Rejection> lastRejection() {
        return Optional.ofNullable(lastRejection.get());
    }
}
