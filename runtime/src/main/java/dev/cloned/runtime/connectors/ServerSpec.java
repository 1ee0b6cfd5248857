package dev.cloned.runtime.connectors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a connector's MCP server over stdio: an argv list run in the installed package directory,
 * and environment variables given as {@code vault://} references (resolved by the supervisor when policy
 * allows, never stored as values).
 */
public record ServerSpec(List<String> command, Map<String, String> env) {
    /** Placeholder for the gateway's own java executable. */
    public static final String JAVA = "${java}";
    /** Placeholder for the installed package directory. */
    public static final String PACKAGE_DIR = "${package_dir}";

    public ServerSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
    }

    /** The argv with placeholders replaced. */
    public List<String> resolvedCommand(Path packageDir, Path javaExecutable) {
        Objects.requireNonNull(packageDir, "packageDir");
        List<String> out = new ArrayList<>(command.size());
        for (String arg : command) {
            out.add(arg.replace(JAVA, javaExecutable.toString()).replace(PACKAGE_DIR, packageDir.toString()));
        }
        return out;
    }

    /** The java executable running this JVM. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
