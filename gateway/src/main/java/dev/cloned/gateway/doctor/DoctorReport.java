package dev.cloned.gateway.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;

import java.util.List;
import java.util.Optional;

/** Every check of one doctor run, in order. */
public record DoctorReport(List<DoctorCheck> checks) {
    public DoctorReport {
        checks = List.copyOf(checks);
    }

    /** The worst status of any check. */
    public DoctorCheck.Status status() {
        DoctorCheck.Status worst = DoctorCheck.Status.OK;
        for (DoctorCheck c : checks) {
            if (c.status().compareTo(worst) > 0) {
                worst = c.status();
            }
        }
        return worst;
    }

    /** Whether no check failed (warnings allowed). */
    public boolean ok() {
        return status() != DoctorCheck.Status.FAIL;
    }

    /** The check called {@code name}. */
    public Optional<DoctorCheck> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** {@code {status, ok, checks: [...]}}. */
    public ObjectNode toJson() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("status", status().label()).put("ok", ok());
        ArrayNode a = n.putArray("checks");
        checks.forEach(c -> a.add(c.toJson()));
        return n;
    }
}
