package dev.cloned.cli.support;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.runtime.Workspace;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;

/** {@code --workspace DIR}: the folder that holds {@code .cloned/} (default: the current directory). */
public final class WorkspaceOption {
    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR", defaultValue = ".",
        description = "Workspace root (the folder holding .cloned/). Default: current directory.")
    Path dir;

    /** The workspace. */
    public Workspace workspace() {
        return Workspace.at(dir);
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
