package dev.cloned.runtime.policy;

/**
 * Told when the workspace's active policy changes: a new snapshot was swapped in, or a change was rejected and the
 * old snapshot stays. Called on the thread that compiled; keep it short and never throw.
 */
public interface PolicyListener {
    /** A new snapshot is active (the next decision uses it). */
    void activated(ActivePolicy.Activation activation);

    /** A change failed to load, compile or validate; the previous snapshot stays active. */
    void rejected(ActivePolicy.Rejection rejection);
}
