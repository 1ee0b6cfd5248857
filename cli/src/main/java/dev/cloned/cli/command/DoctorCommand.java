package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.gateway.doctor.Doctor;
import dev.cloned.gateway.doctor.DoctorCheck;
import dev.cloned.gateway.doctor.DoctorReport;
import dev.cloned.runtime.vault.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code cloned doctor [--fix [--dry-run]]}: every workspace check with ok, warn or fail and a fix for each problem;
 * {@code --fix} applies the safe ones. Exit 1 on a failure (after fixing, of what is left).
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check files, permissions, disk space, clock, audit chain, policy, vault and enabled connectors; print a "
        + "fix for each problem, and with --fix apply the safe ones (each recorded in the audit log). Exit 1 when a "
        + "check fails (warnings exit 0).")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;
    @Option(names = "--fix", description = "Apply the safe fixes (e.g. permissions), then check again.")
    boolean fix;
    @Option(names = "--dry-run", description = "With --fix: list the fixes it would apply; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        try (ClonedGateway gw = ws.open()) {
            Doctor doctor = new Doctor(gw, Clock.systemUTC(), Environment.system(), Doctor.Limits.DEFAULT);
            DoctorReport r = doctor.run(null);
            List<Doctor.Applied> applied = fix ? doctor.fix(r, dryRun, WorkspaceOption.actor()) : List.of();
            if (fix && !dryRun && !applied.isEmpty()) {
                r = doctor.run(null);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                ObjectNode n = r.toJson();
                if (fix) {
                    n.set("fixes", Doctor.toJson(applied, dryRun));
                }
                OutputOption.printJson(out, n);
            } else {
                for (Doctor.Applied f : applied) {
                    out.println((dryRun ? "would fix " : f.error() == null ? "fixed     " : "NOT fixed ") + f.check() + ": "
                        + f.action() + (f.error() == null ? "" : " (" + f.error() + ")"));
                }
                if (fix && applied.isEmpty()) {
                    out.println("nothing to fix safely");
                }
                print(out, r);
            }
            boolean fixFailed = applied.stream().anyMatch(f -> f.error() != null);
            return fixFailed ? ExitCodes.INTERNAL : ExitCodes.of(r);
        }
    }

    private static void print(PrintWriter out, DoctorReport r) {
        int warnings = 0;
        int failures = 0;
        for (DoctorCheck c : r.checks()) {
            out.println(String.format("%-4s  %-28s %s", c.status().label(), c.name(), c.detail()));
            if (c.hint() != null) {
                out.println(String.format("%-34s fix: %s", "", c.hint()));
            }
            warnings += c.status() == DoctorCheck.Status.WARN ? 1 : 0;
            failures += c.status() == DoctorCheck.Status.FAIL ? 1 : 0;
        }
        out.println("doctor: " + r.checks().size() + " checks, " + warnings + " warning(s), " + failures + " failure(s)");
    }
}
