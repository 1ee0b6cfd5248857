package dev.cloned.cli.support;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.runtime.Workspace;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.time.Clock;

/** {@code --workspace DIR}: the folder that holds {@code .cloned/} (default: the current directory). */
public final class WorkspaceOption {
    /** Set by {@code cloned --workspace DIR <command>}: the default for whichever command runs. */
    private static volatile Path rootDefault;

    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR", scope = ScopeType.INHERIT,
        description = "Workspace root (the folder holding .cloned/). Default: current directory.")
    Path dir;

    /** Records the workspace given before the command name ({@code null} to clear). */
    public static void setRootDefault(Path dir) {
        rootDefault = dir;
    }

    /** The workspace: this command's --workspace, else the one given before the command, else the current directory. */
    public Workspace workspace() {
        Path d = dir != null ? dir : rootDefault != null ? rootDefault : Path.of(".");
        return Workspace.at(d);
    }

    /** Opens the workspace's gateway (store, audit, policy, tools). */
    public ClonedGateway open() {
        return ClonedGateway.open(workspace(), Clock.systemUTC());
    }

    /** The actor recorded for commands run from this terminal. */
    public static String actor() {
        return "cli:" + System.getProperty("user.name", "user");
    }
}
