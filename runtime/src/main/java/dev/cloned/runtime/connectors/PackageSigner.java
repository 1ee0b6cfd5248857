package dev.cloned.runtime.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The author side: fills a package's manifest with the SHA-256 of every file in the directory, writes it in a
 * canonical form (sorted keys, two-space indent, trailing newline) and signs those exact bytes with Ed25519
 * into {@code package.sig} (base64).
 */
public final class PackageSigner {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PackageSigner() {
    }

    /** Signs the package in {@code dir}; returns the SHA-256 of the manifest bytes that were signed. */
    public static String sign(Path dir, Path privateKeyFile) {
        Path manifestFile = dir.resolve(ConnectorManifest.FILE);
        try {
            JsonNode doc = JSON.readTree(Files.readAllBytes(manifestFile));
            if (!(doc instanceof ObjectNode)) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, manifestFile + " must be a JSON object");
            }
            ObjectNode manifest = (ObjectNode) doc;
            ArrayNode files = manifest.putArray("files");
            for (String rel : packageFiles(dir)) {
                files.addObject().put("path", rel).put("sha256", Hashing.hex(dir.resolve(rel)));
            }
            JsonNode canonical = sorted(manifest);
            List<String> problems = Schemas.validate(Schemas.MANIFEST, canonical);
            if (!problems.isEmpty()) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "manifest " + manifestFile + " is invalid: " + String.join("; ", problems));
            }
            byte[] bytes = (JSON.writeValueAsString(canonical) + "\n").getBytes(StandardCharsets.UTF_8);
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(PublisherKeys.readPrivateKey(privateKeyFile));
            signer.update(bytes);
            byte[] sig = signer.sign();
            AtomicFiles.write(manifestFile, bytes);
            AtomicFiles.write(dir.resolve(ConnectorManifest.SIGNATURE),
                    (Base64.getEncoder().encodeToString(sig) + "\n").getBytes(StandardCharsets.US_ASCII));
            return Hashing.hex(bytes);
        } catch (IOException | GeneralSecurityException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot sign package " + dir + ": " + e.getMessage(), null, e);
        }
    }

    /** Every regular file under {@code dir} except the manifest and signature, as sorted relative paths. */
    private static List<String> packageFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        Path root = dir.toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(p)) {
                    throw new ClonedException(ErrorCode.INVALID_INPUT, "package " + dir + " contains symbolic link " + p
                            + "; copy the file instead");
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.equals(ConnectorManifest.FILE) && !rel.equals(ConnectorManifest.SIGNATURE)) {
                    out.add(rel);
                }
            }
        }
        out.sort(String::compareTo);
        return out;
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                fields.put(n, sorted(node.get(n)));
            }
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }
}
