package dev.cloned.runtime.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.rules.Policies;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The workspace's active policy: its pack plus the workspace overlay, compiled on first use and held as one
 * immutable snapshot. A reload compiles the new snapshot aside and swaps it in atomically (a decision that already
 * holds the old snapshot finishes on it); if it fails, the old one stays active and the rejection is kept, persisted
 * for {@code cloned policy status} and told to listeners (the audit).
 */
public final class ActivePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(ActivePolicy.class);

    private final Workspace ws;
    private final Clock clock;
    private final AtomicReference<PolicyEngine> current = new AtomicReference<>();
    private final AtomicReference<Rejection> lastRejection = new AtomicReference<>();
    private final List<PolicyListener> listeners = new CopyOnWriteArrayList<>();
    private final Object compileLock = new Object();

    /**
     * A change that was refused, and why.
     *
     * @param at when it was refused
     * @param error what is wrong, with file:line where the compiler gives one
     * @param hint how to fix it, or {@code null}
     * @param hash content hash of the refused pack, or {@code null} when it could not even be loaded
     */
    public record Rejection(Instant at, String error, String hint, String hash) {
        /** The rejection as JSON. */
        public ObjectNode toJson() {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("at", at.toString()).put("error", error);
            if (hint != null) {
                n.put("hint", hint);
            }
            if (hash != null) {
                n.put("hash", hash);
            }
            return n;
        }
    }

    /**
     * A snapshot that became active.
     *
     * @param at when it was swapped in
     * @param hash its content hash
     * @param previousHash the snapshot it replaced, or {@code null}
     * @param packId the pack id
     * @param origin {@code compiled} or {@code cache}
     * @param rules how many rules it holds
     */
    public record Activation(Instant at, String hash, String previousHash, String packId, String origin, int rules) {
        /** The activation as JSON. */
        public ObjectNode toJson() {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("at", at.toString()).put("hash", hash)
                .put("pack_id", packId).put("origin", origin).put("rules", rules);
            if (previousHash != null) {
                n.put("previous_hash", previousHash);
            }
            return n;
        }
    }

    public ActivePolicy(Workspace ws, Clock clock) {
        this.ws = ws;
        this.clock = clock;
    }

    /** Subscribes to activations and rejections. */
    public void addListener(PolicyListener l) {
        listeners.add(l);
    }

    /** Unsubscribes {@code l}. */
    public void removeListener(PolicyListener l) {
        listeners.remove(l);
    }

    /** The workspace this policy belongs to. */
    public Workspace workspace() {
        return ws;
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
        if (e != null) {
            return e;
        }
        synchronized (compileLock) {
            e = current.get();
            if (e == null) {
                e = compileAndSwap(null);
            }
            return e;
        }
    }

    /**
     * Recompiles from disk and swaps the result in. On failure the previous snapshot stays active, the rejection is
     * recorded, and the error is thrown.
     *
     * @return the new engine, or the same one when nothing changed
     */
    public PolicyEngine reload() {
        synchronized (compileLock) {
            return compileAndSwap(current.get());
        }
    }

    private PolicyEngine compileAndSwap(PolicyEngine old) {
        String hash = null;
        try {
            PolicyPack pack = loadPack();
            hash = Policies.hash(pack);
            if (old != null && old.hash().equals(hash)) {
                return old;
            }
            PolicyEngine fresh = Policies.compile(pack, ws.rulesCacheDir(), clock);
            current.set(fresh);
            activated(old, fresh);
            LastGoodPack.save(ws, pack, fresh.hash());
            return fresh;
        } catch (ClonedException e) {
            rejected(new Rejection(clock.instant(), e.getMessage(), e.hint(), hash));
            return lastGood(old, e);
        } catch (RuntimeException e) {
            rejected(new Rejection(clock.instant(), String.valueOf(e.getMessage()), null, hash));
            return lastGood(old, new ClonedException(ErrorCode.INVALID_POLICY, "cannot load the policy: "
                + e.getMessage(), null, e));
        }
    }

    /**
     * After a refused pack: a running process keeps its snapshot (the caller of a reload learns of the refusal); a
     * process that has none yet enforces the workspace's last good pack rather than deciding nothing. Only when there
     * is no last good pack does the refusal stop the process.
     */
    private PolicyEngine lastGood(PolicyEngine old, ClonedException refusal) {
        if (old != null) {
            throw refusal;
        }
        PolicyPack previous = LastGoodPack.load(ws).orElseThrow(() -> refusal);
        PolicyEngine engine;
        try {
            engine = Policies.compile(previous, ws.rulesCacheDir(), clock);
        } catch (RuntimeException e) {
            throw refusal;
        }
        LOG.warn("enforcing the last good policy {} ({}) until the change is fixed: {}", previous.packId(),
            engine.hash(), refusal.getMessage());
        current.set(engine);
        return engine;
    }

    private void activated(PolicyEngine old, PolicyEngine fresh) {
        PolicyStatus recorded = PolicyStatus.read(ws);
        if (old == null && recorded.activeHash().filter(fresh.hash()::equals).isPresent()) {
            return; // this process compiled what the workspace already has active: nothing changed
        }
        Activation a = new Activation(clock.instant(), fresh.hash(),
            old != null ? old.hash() : recorded.activeHash().orElse(null), fresh.pack().packId(), fresh.origin(),
            fresh.rules().size());
        recorded.with(a).write(ws);
        if (old == null) {
            LOG.debug("policy activated: {} {} ({} rules, {})", a.packId(), a.hash(), a.rules(), a.origin());
        } else {
            LOG.info("policy reloaded: {} {} replaces {} ({} rules)", a.packId(), a.hash(), old.hash(), a.rules());
        }
        for (PolicyListener l : listeners) {
            try {
                l.activated(a);
            } catch (RuntimeException e) {
                LOG.warn("policy listener failed on activation: {}", e.toString());
            }
        }
    }

    private void rejected(Rejection r) {
        lastRejection.set(r);
        PolicyStatus.read(ws).with(r).write(ws);
        LOG.warn("policy change rejected, the previous policy stays active: {}", r.error());
        for (PolicyListener l : listeners) {
            try {
                l.rejected(r);
            } catch (RuntimeException e) {
                LOG.warn("policy listener failed on rejection: {}", e.toString());
            }
        }
    }

    /**
     * Records the workspace's first active pack at init, from the pack's content hash (no compilation), so that
     * later processes find it already recorded and only a real change is reported as an activation.
     */
    public Activation recordInitial() {
        PolicyPack pack = loadPack();
        Activation a = new Activation(clock.instant(), Policies.hash(pack), null, pack.packId(), "init",
            Policies.ruleInfo(pack).size());
        PolicyStatus.read(ws).with(a).write(ws);
        LastGoodPack.save(ws, pack, a.hash());
        return a;
    }

    /** The engine if one was compiled already (no compilation). */
    public Optional<PolicyEngine> peek() {
        return Optional.ofNullable(current.get());
    }

    /** The last refused change in this process, if any. */
    public Optional<Rejection> lastRejection() {
        return Optional.ofNullable(lastRejection.get());
    }
}
