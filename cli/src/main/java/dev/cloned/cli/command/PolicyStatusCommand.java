package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.rules.Policies;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.policy.PolicyStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code cloned policy status}: the active pack's hash and activation time, and the last rejected change. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "The active pack (hash, when activated), whether the files on disk differ, and the last rejected change.")
public final class PolicyStatusCommand implements Callable<Integer> {
    @ParentCommand
    PolicyCommand parent;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Workspace w = parent.ws.workspace();
        w.requireExists();
        PolicyStatus s = PolicyStatus.read(w);
        String onDisk = null;
        String diskError = null;
        try {
            onDisk = Policies.hash(new ActivePolicy(w, Clock.systemUTC()).loadPack());
        } catch (ClonedException e) {
            diskError = e.getMessage();
        }
        if (parent.output.json()) {
            ObjectNode n = s.toJson();
            n.put("rejection_pending", s.rejectionPending());
            if (onDisk != null) {
                n.put("on_disk_hash", onDisk);
            } else {
                n.put("on_disk_error", diskError);
            }
            n.put("in_sync", s.active() != null && s.active().hash().equals(onDisk));
            OutputOption.printJson(spec.commandLine().getOut(), n);
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (s.active() == null) {
            out.println("active:    none recorded yet (the first decision or `cloned serve` activates the pack)");
        } else {
            out.println("active:    " + s.active().packId() + " " + s.active().hash());
            out.println("activated: " + s.active().at() + " (" + s.active().rules() + " rules, " + s.active().origin() + ")");
        }
        if (diskError != null) {
            out.println("on disk:   cannot load: " + diskError);
        } else if (s.active() != null && !s.active().hash().equals(onDisk)) {
            out.println("on disk:   " + onDisk + " differs from the active pack"
                + (s.rejectionPending() ? " (rejected, see below)" : " (not reloaded yet)"));
        } else {
            out.println("on disk:   " + onDisk + (s.active() == null ? "" : " (same as active)"));
        }
        if (s.lastRejection() == null) {
            out.println("rejected:  none");
        } else {
            out.println("rejected:  " + s.lastRejection().at() + (s.rejectionPending() ? " (still pending)" : " (since superseded)"));
            out.println("  error:   " + s.lastRejection().error());
            if (s.lastRejection().hint() != null) {
                out.println("  fix:     " + s.lastRejection().hint());
            }
        }
        return 0;
    }
}
