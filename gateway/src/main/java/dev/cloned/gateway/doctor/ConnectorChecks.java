package dev.cloned.gateway.doctor;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.connectors.ConnectorSupervisor;
import dev.cloned.runtime.connectors.RegistryEntry;
import dev.cloned.runtime.connectors.VerificationReport;

import java.util.ArrayList;
import java.util.List;

/**
 * One check per enabled connector ({@code connector.<id>}): its installed copy verifies now (trust, revocations,
 * allowed publishers, hashes), and its process in this gateway is not failing.
 */
final class ConnectorChecks {
    private final ClonedGateway gw;

    ConnectorChecks(ClonedGateway gw) {
        this.gw = gw;
    }

    List<DoctorCheck> run() {
        List<RegistryEntry> all = gw.installer().registry().entries();
        List<DoctorCheck> out = new ArrayList<>();
        for (RegistryEntry e : all) {
            if (e.enabled()) {
                out.add(check(e));
            }
        }
        if (out.isEmpty()) {
            out.add(DoctorCheck.ok("connectors", all.size() + " installed, none enabled"));
        }
        return out;
    }

    private DoctorCheck check(RegistryEntry e) {
        String name = "connector." + e.id();
        VerificationReport r = gw.installer().verifyInstalled(e.id());
        if (!r.verified()) {
            return DoctorCheck.fail(name, r.reason() + " [" + r.errorCode().code() + "]", "`cloned connectors verify "
                + e.id() + "` shows why; reinstall it from the publisher's package, or `cloned connectors disable "
                + e.id() + "`");
        }
        ConnectorSupervisor.ProcessHealth h = gw.connectors().health(e.id());
        String version = e.id() + " " + e.version() + " verified";
        if (!h.registered()) {
            return DoctorCheck.warn(name, version + ", but this gateway does not offer its tools",
                "a serving gateway applies registry changes within a second; restart it if this persists");
        }
        if (h.failures() > 0) {
            return DoctorCheck.fail(name, version + "; its process failed " + h.failures() + " time(s) in a row"
                + (h.retryIn().isZero() ? "" : "; next start allowed in " + h.retryIn().toMillis() + " ms"),
                "its stderr is in the gateway log; check its server command, or `cloned connectors disable " + e.id() + "`");
        }
        if (h.pid() != null && !h.alive()) {
            return DoctorCheck.warn(name, version + "; its process (pid " + h.pid() + ") exited; it restarts on the next call",
                "if it keeps exiting, read its stderr in the gateway log");
        }
        return DoctorCheck.ok(name, version + (h.pid() != null ? "; running (pid " + h.pid() + ")"
            : "; its process starts on the first allowed call"));
    }
}
