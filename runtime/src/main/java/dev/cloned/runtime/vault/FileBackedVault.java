package dev.cloned.runtime.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Shared logic of the vaults kept in one local file: every operation re-reads the file (so the CLI and the
 * gateway see each other's changes), and every change is a locked read-modify-write replaced atomically.
 * Subclasses only encode and decode the file.
 */
abstract class FileBackedVault implements Vault {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One stored secret. */
    record Entry(String value, Instant updatedAt) {
    }

    final Path file;
    final VaultListener listener;
    private final Clock clock;

    FileBackedVault(Path file, VaultListener listener, Clock clock) {
        this.file = file.toAbsolutePath().normalize();
        this.listener = listener;
        this.clock = clock;
    }

    /** Turns the file's bytes into secrets. */
    abstract TreeMap<String, Entry> decode(byte[] bytes);

    /** Turns secrets into the file's bytes. */
    abstract byte[] encode(TreeMap<String, Entry> secrets);

    /** Called before each operation (the dev vault warns here). */
    void beforeUse() {
    }

    @Override
    public Optional<String> get(String name) {
        VaultRef.requireValidName(name);
        beforeUse();
        Entry e = read().get(name);
        if (e == null) {
            return Optional.empty();
        }
        listener.secretUsed(name, e.value());
        return Optional.of(e.value());
    }

    @Override
    public void set(String name, String value) {
        VaultRef.requireValidName(name);
        if (value == null || value.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "secret '" + name + "' has an empty value");
        }
        beforeUse();
        listener.secretUsed(name, value);
        update(secrets -> {
            secrets.put(name, new Entry(value, clock.instant()));
            return true;
        });
    }

    @Override
    public boolean delete(String name) {
        VaultRef.requireValidName(name);
        beforeUse();
        return update(secrets -> secrets.remove(name) != null);
    }

    @Override
    public List<SecretInfo> list() {
        beforeUse();
        List<SecretInfo> out = new ArrayList<>();
        read().forEach((k, v) -> out.add(new SecretInfo(k, v.updatedAt())));
        return out;
    }

    TreeMap<String, Entry> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw unavailable("cannot read vault file " + file + ": " + e.getMessage(),
                    "check that the file exists and is readable by this user", e);
        }
        return decode(bytes);
    }

    private interface Change {
        boolean apply(TreeMap<String, Entry> secrets);
    }

    private boolean update(Change change) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (AtomicFiles.ExclusiveLock ignored = AtomicFiles.lock(lockFile)) {
            TreeMap<String, Entry> secrets = read();
            boolean changed = change.apply(secrets);
            if (changed) {
                AtomicFiles.writePrivate(file, encode(secrets));
            }
            return changed;
        } catch (IOException e) {
            throw unavailable("cannot write vault file " + file + ": " + e.getMessage(),
                    "check free disk space and that " + file.getParent() + " is writable by this user", e);
        }
    }

    static ClonedException unavailable(String message, String hint, Throwable cause) {
        return new ClonedException(ErrorCode.VAULT_UNAVAILABLE, message, hint, cause);
    }

    /** {@code {"name": {"value": ..., "updated_at": ...}}} */
    static ObjectNode secretsToJson(Map<String, Entry> secrets) {
        ObjectNode node = JSON.createObjectNode();
        secrets.forEach((k, v) -> {
            ObjectNode e = node.putObject(k);
            e.put("value", v.value());
            e.put("updated_at", v.updatedAt().toString());
        });
        return node;
    }

    static TreeMap<String, Entry> secretsFromJson(JsonNode node) {
        TreeMap<String, Entry> out = new TreeMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("secrets must be an object");
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            JsonNode value = f.getValue().get("value");
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("secret '" + f.getKey() + "' has no text value");
            }
            JsonNode updated = f.getValue().get("updated_at");
            out.put(f.getKey(), new Entry(value.asText(),
                    updated == null || updated.isNull() ? null : Instant.parse(updated.asText())));
        }
        return out;
    }
}
