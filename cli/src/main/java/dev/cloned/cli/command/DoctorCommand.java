package dev.cloned.cli.command;

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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code cloned doctor}: every workspace check with ok, warn or fail and a fix for each problem; exit 1 on a failure. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check files, disk space, clock, audit chain, policy, vault and enabled connectors; print a fix for "
        + "each problem. Exit 1 when a check fails (warnings exit 0).")
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ClonedGateway gw = ws.open()) {
            DoctorReport r = new Doctor(gw, Clock.systemUTC(), Environment.system(), Doctor.Limits.DEFAULT).run(null);
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                OutputOption.printJson(out, r.toJson());
            } else {
                print(out, r);
            }
            return ExitCodes.of(r);
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
