package dev.cloned.cli.support;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.redact.Redactor;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.time.Clock;

/** {@code --workspace DIR}: the folder that holds {@code .cloned/} (default: the current directory). */
public final class WorkspaceOption {
    /** Set by {@code cloned --workspace DIR <command>}: the default for whichever command runs. */
    private static volatile Path rootDefault;
    /** The workspace this command used and the gateway it opened last, for {@link #redactor()}. */
    private static volatile Workspace used;
    private static volatile ClonedGateway opened;

    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR", scope = ScopeType.INHERIT,
        description = "Workspace root (the folder holding .cloned/). Default: current directory.")
    Path dir;

    /** Records the workspace given before the command name ({@code null} to clear). */
    public static void setRootDefault(Path dir) {
        rootDefault = dir;
    }

    /** Forgets the workspace given before the command and what the last command used (start of a CLI run). */
    public static void reset() {
        rootDefault = null;
        used = null;
        opened = null;
    }

    /** The workspace: this command's --workspace, else the one given before the command, else the current directory. */
    public Workspace workspace() {
        Path d = dir != null ? dir : rootDefault != null ? rootDefault : Path.of(".");
        Workspace w = Workspace.at(d);
        used = w;
        return w;
    }

    /** Opens the workspace's gateway (store, audit, policy, tools). */
    public ClonedGateway open() {
        ClonedGateway gw = ClonedGateway.open(workspace(), Clock.systemUTC());
        opened = gw;
        return gw;
    }

    /**
     * The redactor for this run's output outside the gateway (error lines): the opened gateway's when it made one
     * (it knows the secrets the vault handed out), else the workspace's salt read without writing anything.
     */
    public static Redactor redactor() {
        ClonedGateway gw = opened;
        if (gw != null) {
            var r = gw.redactorIfCreated();
            if (r.isPresent()) {
                return r.get();
            }
        }
        Workspace w = used != null ? used : Workspace.at(rootDefault != null ? rootDefault : Path.of("."));
        return Redactor.readOnly(w.dir());
    }

    /** The actor recorded for commands run from this terminal. */
    public static String actor() {
        return "cli:" + System.getProperty("user.name", "user");
    }
}
