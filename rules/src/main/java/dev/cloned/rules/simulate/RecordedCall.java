package dev.cloned.rules.simulate;

import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;

import java.util.Objects;

/**
 * One decision to replay: the facts it was made on, and what was recorded for it.
 *
 * @param seq audit sequence number (0 for hand-written calls)
 * @param callId the recorded call id, or a synthetic one
 * @param facts the facts the decision was made on
 * @param recorded the recorded effect, or {@code null} when there is no record (hand-written calls)
 * @param approved whether the recorded call went through on an approval (replay charges it like an allowed call)
 * @param counted {@code false} for warm-up calls that only fill budget windows and are left out of the report
 */
public record RecordedCall(long seq, String callId, CallFacts facts, Effect recorded, boolean approved,
                           boolean counted) {
    public RecordedCall {
        Objects.requireNonNull(facts, "facts");
        callId = callId == null ? "seq_" + seq : callId;
    }

    /** The same call, used only to fill budget windows (not reported). */
    public RecordedCall asWarmup() {
        return new RecordedCall(seq, callId, facts, recorded, approved, false);
    }
}
