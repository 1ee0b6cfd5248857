package dev.cloned.cli;

import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.doctor.DoctorReport;
import dev.cloned.runtime.tools.CallResult;

/** The one mapping from outcomes to process exit codes: 0 ok, 1 internal, 2 usage or bad input, 3 denied, 4 invalid policy. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int DENIED = 3;
    public static final int INVALID_POLICY = 4;

    private ExitCodes() {
    }

    /** Exit code for a failure. */
    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_INPUT, INVALID_ENVELOPE, NOT_FOUND, CONFLICT, WORKSPACE_INVALID, SECRET_NOT_FOUND -> USAGE;
            case DENIED, APPROVAL_REQUIRED, BUDGET_EXCEEDED, EGRESS_DENIED, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED,
                SIGNATURE_INVALID, HASH_MISMATCH, PUBLISHER_UNTRUSTED, VERSION_YANKED -> DENIED;
            case INVALID_POLICY, GRAPH_INVALID -> INVALID_POLICY;
            default -> INTERNAL;
        };
    }

    /** Exit code for {@code cloned doctor}: 0 when no check failed (warnings allowed), 1 when one did. */
    public static int of(DoctorReport r) {
        return r.ok() ? OK : INTERNAL;
    }

    /** Exit code for a governed call: 0 when it ran or was a dry run, 3 when denied or waiting for approval, 1 when the tool failed. */
    public static int of(CallResult r) {
        return switch (r.status()) {
            case SUCCEEDED, DRY_RUN -> OK;
            case DENIED, PENDING_APPROVAL -> DENIED;
            case FAILED -> INTERNAL;
        };
    }
}
