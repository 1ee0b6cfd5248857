package dev.cloned.runtime.connectors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Builds signed test packages and the trust roots that go with them in a temporary workspace. */
final class TestPackages {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
    static final String PUBLISHER = "acme.tools";

    final Path root;
    final Path cloned;
    final Path keys;

    TestPackages(Path root) throws IOException {
        this.root = root;
        this.cloned = Files.createDirectories(root.resolve("ws/.cloned"));
        this.keys = Files.createDirectories(root.resolve("keys"));
    }

    /** A key pair for {@code publisher}; with {@code trusted} its public half is a trust root of the workspace. */
    Path publisherKey(String publisher, boolean trusted) {
        Path priv = keys.resolve(publisher + ".key");
        if (!Files.exists(priv)) {
            Path pub = trusted ? cloned.resolve("trust/publishers/" + publisher + ".json") : keys.resolve(publisher + ".json");
            PublisherKeys.generate(publisher, "Test publisher " + publisher, priv, pub, CLOCK);
        }
        return priv;
    }

    /** An unsigned package directory for {@code id}/{@code version} with one jar and one readme. */
    Path unsigned(String id, String version, String publisher) throws IOException {
        Path dir = Files.createDirectories(root.resolve("pkg-" + id + "-" + version + "-" + publisher));
        Files.createDirectories(dir.resolve("lib"));
        Files.write(dir.resolve("lib/tool.jar"), ("jar bytes of " + id + " " + version).getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("README.md"), "# " + id + "\n");
        Files.writeString(dir.resolve(ConnectorManifest.FILE), manifest(id, version, publisher));
        return dir;
    }

    /** A signed package by a trusted publisher. */
    Path signed(String id, String version, String publisher) throws IOException {
        Path dir = unsigned(id, version, publisher);
        PackageSigner.sign(dir, publisherKey(publisher, true));
        return dir;
    }

    static String manifest(String id, String version, String publisher) {
        return "{\n"
                + "  \"schema_version\": 1,\n"
                + "  \"id\": \"" + id + "\",\n"
                + "  \"version\": \"" + version + "\",\n"
                + "  \"publisher_id\": \"" + publisher + "\",\n"
                + "  \"name\": \"Test connector\",\n"
                + "  \"description\": \"A connector for tests\",\n"
                + "  \"files\": [],\n"
                + "  \"tools\": [{\n"
                + "    \"id\": \"test.echo@v1\",\n"
                + "    \"description\": \"Echo the text\",\n"
                + "    \"input_schema\": {\"type\": \"object\", \"properties\": {\"text\": {\"type\": \"string\"}}, \"required\": [\"text\"]},\n"
                + "    \"egress_hosts\": [\"api.example.com\"],\n"
                + "    \"cost\": {\"category\": \"api_requests\", \"estimate\": 1},\n"
                + "    \"risk_level\": \"low\"\n"
                + "  }, {\n"
                + "    \"id\": \"test.mystery@v1\",\n"
                + "    \"description\": \"Unknown cost\",\n"
                + "    \"input_schema\": {\"type\": \"object\"},\n"
                + "    \"egress_hosts\": [],\n"
                + "    \"cost\": \"unknown\",\n"
                + "    \"risk_level\": \"high\"\n"
                + "  }],\n"
                + "  \"provides_capabilities\": [\"cap.echo\"],\n"
                + "  \"requires_capabilities\": [],\n"
                + "  \"manual_steps\": [\"nothing to do\"],\n"
                + "  \"server\": {\"command\": [\"${java}\", \"-cp\", \"lib/*\", \"test.Main\"], \"env\": {\"TEST_TOKEN\": \"vault://test-token\"}}\n"
                + "}\n";
    }

    /** Flips one byte of {@code file} at the first occurrence of {@code marker}. */
    static void flipByte(Path file, String marker) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(marker);
        if (at < 0) {
            throw new IllegalArgumentException(marker + " not in " + file);
        }
        bytes[at] ^= 0x01;
        Files.write(file, bytes);
    }
}
