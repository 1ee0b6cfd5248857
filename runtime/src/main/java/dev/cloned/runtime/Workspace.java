package dev.cloned.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.schema.SchemaValidator;
import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A workspace: the {@code .cloned/} directory under a root folder, and where each of its files lives.
 * Reading the layout does no I/O beyond what each accessor says.
 */
public final class Workspace {
    /** YAML mapper for workspace files (block style, no document start marker). */
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path root;
    private final Path dir;

    private Workspace(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.dir = this.root.resolve(".cloned");
    }

    /** The workspace rooted at {@code root} (it may not exist yet). */
    public static Workspace at(Path root) {
        return new Workspace(root);
    }

    public Path root() {
        return root;
    }

    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve("config.yaml");
    }

    public Path stateDb() {
        return dir.resolve("state.db");
    }

    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    public Path registryFile() {
        return dir.resolve("registry.yaml");
    }

    public Path publishersDir() {
        return dir.resolve("trust").resolve("publishers");
    }

    public Path revocationsFile() {
        return dir.resolve("trust").resolve("revocations.json");
    }

    public Path policyDir() {
        return dir.resolve("policy");
    }

    public Path artifactsDir() {
        return dir.resolve("artifacts");
    }

    public Path connectorsDir() {
        return dir.resolve("connectors");
    }

    /** Compiled-rules cache; the only thing a dry run may write. */
    public Path rulesCacheDir() {
        return dir.resolve("cache").resolve("rules");
    }

    /** Whether {@code .cloned/config.yaml} exists. */
    public boolean exists() {
        return Files.isRegularFile(configFile());
    }

    /** Reads and validates config.yaml. */
    public WorkspaceConfig config() {
        requireExists();
        JsonNode n = readYaml(configFile());
        SchemaValidator.require("workspace.schema.json", n, configFile().toString(), ErrorCode.WORKSPACE_INVALID);
        return WorkspaceConfig.fromTree(n);
    }

    /** Writes config.yaml atomically. */
    public void writeConfig(WorkspaceConfig cfg) {
        writeYamlAtomically(configFile(), cfg.toTree());
    }

    /** Fails with a clear error when there is no workspace here. */
    public void requireExists() {
        if (!exists()) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "no Cloned workspace at " + root,
                "run `cloned init --type personal` here, or pass --workspace DIR");
        }
    }

    /** Reads a YAML file into a tree, naming the file on error. */
    public static JsonNode readYaml(Path file) {
        try {
            return PackLoader.readYaml(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Writes a YAML tree atomically (temp file, fsync, rename). */
    public static void writeYamlAtomically(Path file, JsonNode tree) {
        try {
            writeAtomically(file, YAML.writeValueAsString(tree));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Writes text atomically (temp file in the same directory, fsync, rename, fsync of the directory). */
    public static void writeAtomically(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
