package dev.cloned.gateway.doctor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;

import java.util.Locale;
import java.util.Objects;

/**
 * One doctor check: a stable dotted name, its status, what was found, and for a warning or a failure a hint (the
 * command or edit that fixes it).
 */
public record DoctorCheck(String name, Status status, String detail, String hint, Fix fix) {
    /**
     * A safe repair that {@code cloned doctor --fix} may apply without asking: it only takes access away or recreates
     * what can be derived, never deletes history or changes what a call is allowed to do.
     *
     * @param action what it does, in words (shown by a dry run and recorded in the audit log when applied)
     * @param apply  doing it
     */
    public record Fix(String action, Runnable apply) {
        public Fix {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(apply, "apply");
        }
    }

    /** How bad it is; a report is as bad as its worst check. */
    public enum Status {
        OK, WARN, FAIL;

        /** The lower-case name used in JSON and on the terminal. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DoctorCheck(String name, Status status, String detail, String hint) {
        this(name, status, detail, hint, null);
    }

    /** This check with a safe fix for {@code cloned doctor --fix}. */
    DoctorCheck withFix(Fix f) {
        return new DoctorCheck(name, status, detail, hint, f);
    }

    public DoctorCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        if (status != Status.OK && hint == null) {
            throw new IllegalArgumentException("a warning or a failure needs a hint: " + name);
        }
    }

    static DoctorCheck ok(String name, String detail) {
        return new DoctorCheck(name, Status.OK, detail, null);
    }

    static DoctorCheck warn(String name, String detail, String hint) {
        return new DoctorCheck(name, Status.WARN, detail, hint);
    }

    static DoctorCheck fail(String name, String detail, String hint) {
        return new DoctorCheck(name, Status.FAIL, detail, hint);
    }

    /** {@code {name, status, ok, detail, hint?, fix?}}; {@code ok} is false only for a failure. */
    public ObjectNode toJson() {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("name", name).put("status", status.label())
            .put("ok", status != Status.FAIL).put("detail", detail);
        if (hint != null) {
            n.put("hint", hint);
        }
        if (fix != null) {
            n.put("fix", fix.action());
        }
        return n;
    }
}
