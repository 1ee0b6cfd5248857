package dev.cloned.graph.load;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a catalog is read from: {@code capabilities.yaml}, {@code connectors.yaml} and one YAML file per
 * blueprint. In a directory every other {@code *.yaml} is a blueprint, except {@code *.tests.yaml}.
 */
public record CatalogSource(SourceFile capabilities, SourceFile connectors, List<SourceFile> blueprints) {
    /** The capability taxonomy file name. */
    public static final String CAPABILITIES = "capabilities.yaml";
    /** The connector catalog file name. */
    public static final String CONNECTORS = "connectors.yaml";
    /** The blueprint files shipped on the classpath under {@code blueprints/}. */
    public static final List<String> BUILTIN_BLUEPRINTS =
            List.of("builder.yaml", "creator.yaml", "legal_research.yaml", "researcher.yaml");

    public CatalogSource {
        blueprints = List.copyOf(blueprints);
    }

    /** Reads a directory laid out like the repository's {@code blueprints/} folder. */
    public static CatalogSource directory(Path dir) {
        List<SourceFile> blueprints = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (isBlueprintFile(name)) {
                    blueprints.add(read(file));
                }
            }
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.GRAPH_INVALID, "cannot list blueprint directory " + dir,
                    "check that the directory exists and is readable", e);
        }
        return new CatalogSource(read(dir.resolve(CAPABILITIES)), read(dir.resolve(CONNECTORS)), blueprints);
    }

    /** Reads the files shipped on the classpath under {@code blueprints/}. */
    public static CatalogSource builtin() {
        List<SourceFile> blueprints = BUILTIN_BLUEPRINTS.stream().map(CatalogSource::resource).toList();
        return new CatalogSource(resource(CAPABILITIES), resource(CONNECTORS), blueprints);
    }

    /** True for a YAML file in a blueprint directory that describes a blueprint. */
    static boolean isBlueprintFile(String name) {
        return name.endsWith(".yaml") && !name.endsWith(".tests.yaml")
                && !name.equals(CAPABILITIES) && !name.equals(CONNECTORS);
    }

    private static SourceFile read(Path file) {
        try {
            return new SourceFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.GRAPH_INVALID, "cannot read " + file + ": " + e.getMessage(),
                    "check that the file exists and is readable", e);
        }
    }

    private static SourceFile resource(String name) {
        String path = "blueprints/" + name;
        try (InputStream in = CatalogSource.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new ClonedException(ErrorCode.GRAPH_INVALID, "missing built-in file " + path);
            }
            return new SourceFile(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.GRAPH_INVALID, "cannot read built-in file " + path, null, e);
        }
    }
}
