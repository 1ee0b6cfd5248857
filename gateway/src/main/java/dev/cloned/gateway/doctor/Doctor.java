package dev.cloned.gateway.doctor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.auth.AuthGuard;
import dev.cloned.rules.Policies;
import dev.cloned.rules.PolicyProblem;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.audit.AuditSync;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.store.AuditRow;
import dev.cloned.runtime.vault.Environment;
import dev.cloned.runtime.vault.Vault;
import dev.cloned.runtime.vault.VaultConfig;
import dev.cloned.runtime.vault.VaultListener;
import dev.cloned.runtime.vault.VaultStatus;
import dev.cloned.runtime.vault.Vaults;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The checks a demanding operator runs on a workspace: files present, disk space, clock sanity, audit chain, policy
 * compiles, vault reachable, each enabled connector verified and its process healthy, and for a serving gateway its
 * bind address. The checks write nothing. Each says ok, warn or fail and how to fix what is not ok; {@link #fix} applies
 * the few fixes that are safe to apply without asking (see {@link DoctorCheck.Fix}).
 */
public final class Doctor {
    /**
     * Thresholds.
     *
     * @param diskFailBelow  fail when fewer bytes are free on the workspace's disk
     * @param diskWarnBelow  warn when fewer bytes are free
     * @param clockTolerance how far in the future of the clock an audit entry may be dated before the clock is wrong
     */
    public record Limits(long diskFailBelow, long diskWarnBelow, Duration clockTolerance) {
        /** 100 MiB, 1 GiB, 5 minutes. */
        public static final Limits DEFAULT = new Limits(100L << 20, 1L << 30, Duration.ofMinutes(5));
    }

    /** A clock that reads earlier than this is wrong. */
    static final Instant EARLIEST = Instant.parse("2024-01-01T00:00:00Z");
    private final ClonedGateway gw;
    private final Clock clock;
    private final Environment env;
    private final Limits limits;

    /** @param env where vault settings (passphrase, Azure credentials) come from, as for the gateway's vault */
    public Doctor(ClonedGateway gw, Clock clock, Environment env, Limits limits) {
        this.gw = gw;
        this.clock = clock;
        this.env = env;
        this.limits = limits;
    }

    /** Runs every check; {@code bindHost} (null outside a serving gateway) adds the bind check. */
    public DoctorReport run(String bindHost) {
        List<DoctorCheck> checks = new ArrayList<>();
        checks.add(guarded("workspace.files", this::workspaceFiles));
        checks.add(guarded(WorkspacePermissions.NAME, () -> WorkspacePermissions.check(gw.workspace().dir())));
        checks.add(guarded("disk.space", this::diskSpace));
        checks.add(guarded("clock.sanity", this::clockSanity));
        checks.add(guarded("audit.chain", this::auditChain));
        checks.add(guarded("policy.compiles", this::policy));
        checks.add(guarded("vault.reachable", this::vault));
        try {
            checks.addAll(new ConnectorChecks(gw).run());
        } catch (RuntimeException e) {
            checks.add(DoctorCheck.fail("connectors", "cannot read the connectors: " + e.getMessage(),
                "check .cloned/registry.yaml (`cloned connectors list`)"));
        }
        if (bindHost != null) {
            checks.add(AuthGuard.isLoopback(bindHost) ? DoctorCheck.ok("gateway.bind", "bound to " + bindHost)
                : DoctorCheck.warn("gateway.bind", "bound to " + bindHost + ", reachable from other machines",
                "bind 127.0.0.1 unless devices are paired and you need remote access"));
        }
        return new DoctorReport(redacted(checks));
    }

    /** Every detail and hint passes the workspace's redactor: a check may quote a vault's or a file's error text. */
    private List<DoctorCheck> redacted(List<DoctorCheck> checks) {
        var r = gw.redactor();
        List<DoctorCheck> out = new ArrayList<>(checks.size());
        for (DoctorCheck c : checks) {
            out.add(new DoctorCheck(c.name(), c.status(), c.detail() == null ? null : r.redact(c.detail()),
                c.hint() == null ? null : r.redact(c.hint()), c.fix()));
        }
        return out;
    }

    /**
     * A fix {@link #fix} applied, or would apply in a dry run.
     *
     * @param error null when it worked (or was not tried); otherwise why it did not
     */
    public record Applied(String check, String action, String error) {
    }

    /** {@code fixes} as the API and {@code --output json} show them ({@code applied} is false on a dry run). */
    public static ArrayNode toJson(List<Applied> fixes, boolean dryRun) {
        ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
        for (Applied f : fixes) {
            ObjectNode o = a.addObject().put("check", f.check())
                .put("action", f.action()).put("applied", !dryRun && f.error() == null);
            if (f.error() != null) {
                o.put("error", f.error());
            }
        }
        return a;
    }

    /**
     * Applies the safe fixes of {@code report}'s checks that are not ok (with {@code dryRun}, only lists them). Each
     * applied fix is recorded in the audit log as {@code doctor.fixed}; one that fails does not stop the others.
     */
    public List<Applied> fix(DoctorReport report, boolean dryRun, String actor) {
        List<Applied> out = new ArrayList<>();
        for (DoctorCheck c : report.checks()) {
            if (c.status() == DoctorCheck.Status.OK || c.fix() == null) {
                continue;
            }
            if (dryRun) {
                out.add(new Applied(c.name(), c.fix().action(), null));
                continue;
            }
            try {
                c.fix().apply().run();
                gw.audit().append(AuditEntries.system(clock.instant(), actor, gw.config().workspaceId(), "doctor.fixed",
                    CanonicalJson.MAPPER.createObjectNode().put("check", c.name()).put("action", c.fix().action())));
                out.add(new Applied(c.name(), c.fix().action(), null));
            } catch (RuntimeException e) {
                out.add(new Applied(c.name(), c.fix().action(), gw.redactor().redact(String.valueOf(e.getMessage()))));
            }
        }
        return out;
    }

    private static DoctorCheck guarded(String name, Supplier<DoctorCheck> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return DoctorCheck.fail(name, "the check itself failed: " + e.getMessage(), "see the log for the cause");
        }
    }

    private DoctorCheck workspaceFiles() {
        Workspace ws = gw.workspace();
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(ws.configFile(), ws.stateDb(), ws.auditLog())) {
            if (!Files.isRegularFile(p)) {
                missing.add(ws.dir().relativize(p).toString());
            }
        }
        return missing.isEmpty() ? DoctorCheck.ok("workspace.files", "config.yaml, state.db and audit.log are present")
            : DoctorCheck.fail("workspace.files", "missing: " + String.join(", ", missing),
            "run `cloned init` (it never destroys existing state)");
    }

    private DoctorCheck diskSpace() {
        try {
            FileStore store = Files.getFileStore(gw.workspace().dir());
            long free = store.getUsableSpace();
            String detail = mib(free) + " free for " + gw.workspace().dir();
            String hint = "free space on that disk: when it is full the audit log cannot be written, and every call is "
                + "denied";
            if (free < limits.diskFailBelow()) {
                return DoctorCheck.fail("disk.space", detail + " (below " + mib(limits.diskFailBelow()) + ")", hint);
            }
            return free < limits.diskWarnBelow()
                ? DoctorCheck.warn("disk.space", detail + " (below " + mib(limits.diskWarnBelow()) + ")", hint)
                : DoctorCheck.ok("disk.space", detail);
        } catch (IOException e) {
            return DoctorCheck.fail("disk.space", "cannot read the free space: " + e.getMessage(),
                "check that " + gw.workspace().dir() + " is on a mounted, readable disk");
        }
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private DoctorCheck clockSanity() {
        Instant now = clock.instant();
        String hint = "set the system clock right (enable NTP): budget windows, approval expiry and device tokens "
            + "depend on it";
        if (now.isBefore(EARLIEST)) {
            return DoctorCheck.fail("clock.sanity", "the clock reads " + now + ", before " + EARLIEST, hint);
        }
        gw.audit().awaitFlushed();
        List<AuditRow> later = gw.store().auditBetween(now.plus(limits.clockTolerance()), null, null, 1);
        if (!later.isEmpty()) {
            return DoctorCheck.fail("clock.sanity", "the clock reads " + now + " but audit entry " + later.get(0).seq()
                + " is dated " + later.get(0).at() + ": the clock went back", hint);
        }
        return DoctorCheck.ok("clock.sanity", "the clock reads " + now + "; no audit entry is dated later");
    }

    private DoctorCheck auditChain() {
        if (gw.audit().refusal().isPresent()) {
            return DoctorCheck.fail("audit.chain", gw.audit().refusal().get() + "; every call is denied until this is "
                + "resolved", "restore audit.log from a backup; to keep the log as it is now, `cloned audit reindex`");
        }
        AuditVerification v = gw.verifyAudit();
        String sync = gw.config().auditSync() == AuditSync.WRITTEN
            ? "audit.sync written: a call goes on once its entry is written; a power loss may lose the last force's"
            + " entries" : "audit.sync forced: a call goes on once its entry is on disk";
        return v.ok() ? DoctorCheck.ok("audit.chain", v.entries() + " entries verify; " + sync)
            : DoctorCheck.fail("audit.chain", "line " + v.badLine() + ": " + v.problem(),
            "run `cloned audit verify`, keep the damaged log aside and restore it from a backup");
    }

    private DoctorCheck policy() {
        try {
            PolicyPack pack = gw.policy().loadPack();
            List<PolicyProblem> problems = Policies.validate(pack);
            if (!problems.isEmpty()) {
                return DoctorCheck.fail("policy.compiles", problems.size() + " problem(s): " + problems.get(0).describe(),
                    "fix the rule it names and run `cloned policy validate`; a serving gateway keeps the last good pack");
            }
            return DoctorCheck.ok("policy.compiles", pack.packId() + " " + pack.version() + " compiles ("
                + Policies.ruleInfo(pack).size() + " rules)");
        } catch (ClonedException e) {
            return DoctorCheck.fail("policy.compiles", e.getMessage(),
                e.hint() != null ? e.hint() : "fix the file it names and run `cloned policy validate`");
        }
    }

    @SuppressWarnings("unchecked")
    private DoctorCheck vault() {
        VaultConfig cfg = VaultConfig.fromMap(CanonicalJson.MAPPER.convertValue(gw.config().vault(), Map.class));
        try (Vault v = Vaults.open(cfg, gw.workspace().dir(), env, VaultListener.NONE)) {
            VaultStatus s = v.status();
            String where = s.provider() + " vault at " + s.location();
            if (!s.reachable()) {
                return DoctorCheck.fail("vault.reachable", where + ": " + s.message(),
                    "`cloned vault status` explains it; calls that need a secret are denied until it is fixed");
            }
            return s.developmentOnly() ? DoctorCheck.warn("vault.reachable", where + " is reachable; it keeps secrets in "
                + "plain JSON (development only)", "`cloned vault provider file --key-file FILE` (or azure), then set the "
                + "secrets again") : DoctorCheck.ok("vault.reachable", where + " is reachable");
        } catch (ClonedException e) {
            return DoctorCheck.fail("vault.reachable", cfg.provider().id() + " vault: " + e.getMessage(),
                e.hint() != null ? e.hint() : "`cloned vault status` explains it");
        }
    }
}
