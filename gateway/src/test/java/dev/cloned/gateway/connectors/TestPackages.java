package dev.cloned.gateway.connectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.connectors.PackageSigner;
import dev.cloned.runtime.connectors.PublisherKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Builds a signed package of {@link TestConnectorServer} (publisher {@code test.publisher}) trusted by a workspace. */
public final class TestPackages {
    /** The connector id. */
    public static final String ID = "connector.test";
    /** Its publisher. */
    public static final String PUBLISHER = "test.publisher";
    /** How many tools the package declares. */
    public static final int TOOLS = 6;

    private TestPackages() {
    }

    /** The package directory; the key pair is generated under {@code work} and trusted in {@code clonedDir}. */
    public static Path build(Path work, Path clonedDir, Map<String, String> env) throws IOException {
        return build(work, clonedDir, env, TestConnectorServer.class.getName());
    }

    /** The same package, whose server is {@code mainClass} (on the test class path). */
    public static Path build(Path work, Path clonedDir, Map<String, String> env, String mainClass) throws IOException {
        Path pkg = Files.createDirectories(work.resolve("pkg"));
        Files.writeString(pkg.resolve("README.txt"), "test connector\n");
        ObjectNode m = CanonicalJson.MAPPER.createObjectNode();
        m.put("schema_version", 1).put("id", ID).put("version", "1.0.0").put("publisher_id", PUBLISHER)
            .put("name", "Test connector").put("description", "for tests");
        m.putArray("files");
        ArrayNode tools = m.putArray("tools");
        tool(tools, "test.echo@v1", "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}");
        tool(tools, "test.env@v1", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},\"required\":[\"name\"]}");
        tool(tools, "test.env_names@v1", "{\"type\":\"object\"}");
        tool(tools, "test.block@v1", "{\"type\":\"object\"}");
        tool(tools, "test.leak@v1", "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
            + "\"fail\":{\"type\":\"boolean\"}},\"required\":[\"name\"]}");
        tool(tools, "test.fetch@v1", "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"}},\"required\":[\"url\"]}");
        m.putArray("provides_capabilities").add("test.things");
        m.putArray("requires_capabilities");
        m.putArray("manual_steps");
        ObjectNode server = m.putObject("server");
        server.putArray("command").add("${java}").add("-cp").add(classpath())
            .add(mainClass);
        ObjectNode e = server.putObject("env");
        env.forEach(e::put);
        Files.writeString(pkg.resolve("package.manifest.json"), CanonicalJson.MAPPER.writeValueAsString(m));
        Path key = work.resolve("keys/test.publisher.key");
        Files.createDirectories(key.getParent());
        PublisherKeys.generate(PUBLISHER, "Test publisher", key, clonedDir.resolve("trust/publishers/" + PUBLISHER + ".json"),
            Clock.systemUTC());
        PackageSigner.sign(pkg, key);
        return pkg;
    }

    private static void tool(ArrayNode tools, String id, String schema) throws IOException {
        ObjectNode t = tools.addObject();
        t.put("id", id).put("description", id);
        t.set("input_schema", CanonicalJson.MAPPER.readTree(schema));
        t.putArray("egress_hosts");
        t.putObject("cost").put("category", "api_requests").put("estimate", 0);
        t.put("risk_level", "low");
    }

    static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
