package dev.cloned.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Paired devices, kept in {@code .cloned/devices.json} (written atomically, public keys only: never a token).
 * The CLI and a running gateway share the file; the gateway re-reads it when it changes. Methods do file I/O:
 * call them off any event loop.
 */
public final class DeviceRegistry {
    /** File name under {@code .cloned/}. */
    public static final String FILE = "devices.json";
    private final Path file;
    private final Clock clock;

    public DeviceRegistry(Workspace ws, Clock clock) {
        this.file = ws.dir().resolve(FILE);
        this.clock = clock;
    }

    /** Every device, oldest first. */
    public synchronized List<Device> list() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode root = CanonicalJson.MAPPER.readTree(Files.readString(file));
            List<Device> out = new ArrayList<>();
            for (JsonNode n : root.path("devices")) {
                out.add(fromJson(n));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new ClonedException(ErrorCode.WORKSPACE_INVALID, file + " cannot be read: " + e.getMessage(),
                "restore it from a backup, or delete it and pair your devices again", e);
        }
    }

    /** The device with this id. */
    public Optional<Device> find(String id) {
        return list().stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** Whether any device is approved (then the bootstrap token no longer works). */
    public boolean anyApproved() {
        return list().stream().anyMatch(Device::approved);
    }

    /** Records a pending request for a key; a key already known returns its existing record. */
    public synchronized Device request(String name, String spkiB64, List<String> scopes) {
        List<Device> all = new ArrayList<>(list());
        for (Device d : all) {
            if (d.publicKey().equals(spkiB64) && !"revoked".equals(d.status())) {
                return d;
            }
        }
        Device d = new Device("dev_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), name, spkiB64,
            scopes, "pending", clock.instant(), null);
        all.add(d);
        write(all);
        return d;
    }

    /** Approves a pending device. */
    public Device approve(String id) {
        return decide(id, "approved");
    }

    /** Revokes a device (pending or approved); its tokens stop working. */
    public Device revoke(String id) {
        return decide(id, "revoked");
    }

    private synchronized Device decide(String id, String status) {
        List<Device> all = new ArrayList<>(list());
        for (int i = 0; i < all.size(); i++) {
            Device d = all.get(i);
            if (!d.id().equals(id)) {
                continue;
            }
            if ("revoked".equals(d.status()) || ("approved".equals(status) && d.approved())) {
                throw new ClonedException(ErrorCode.CONFLICT, "device " + id + " is already " + d.status(),
                    "a revoked device must pair again with a new request");
            }
            Device changed = d.withStatus(status, clock.instant());
            all.set(i, changed);
            write(all);
            return changed;
        }
        throw new ClonedException(ErrorCode.NOT_FOUND, "no device " + id, "list devices with `cloned pair list`");
    }

    /** Last modification time of the file (to notice edits by another process), or 0 when absent. */
    public long version() {
        try {
            return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() ^ Files.size(file) : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private void write(List<Device> all) {
        ObjectNode root = CanonicalJson.MAPPER.createObjectNode().put("schema_version", 1);
        ArrayNode arr = root.putArray("devices");
        all.forEach(d -> arr.add(toJson(d)));
        try {
            Workspace.writeAtomically(file, CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.STORE_ERROR, "cannot write " + file + ": " + e.getMessage(), null, e);
        }
    }

    /** The public JSON view of a device (key fingerprint, never the key material itself). */
    public static ObjectNode view(Device d) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("id", d.id()).put("name", d.name())
            .put("status", d.status()).put("fingerprint", d.fingerprint()).put("created_at", d.createdAt().toString());
        n.set("scopes", CanonicalJson.MAPPER.valueToTree(d.scopes()));
        if (d.decidedAt() != null) {
            n.put("decided_at", d.decidedAt().toString());
        }
        return n;
    }

    private static ObjectNode toJson(Device d) {
        ObjectNode n = view(d);
        n.remove("fingerprint");
        n.put("public_key", d.publicKey());
        return n;
    }

    private static Device fromJson(JsonNode n) {
        List<String> scopes = new ArrayList<>();
        n.path("scopes").forEach(s -> scopes.add(s.asText()));
        return new Device(n.path("id").asText(), n.path("name").asText(), n.path("public_key").asText(), scopes,
            n.path("status").asText(), Instant.parse(n.path("created_at").asText()),
            n.hasNonNull("decided_at") ? Instant.parse(n.get("decided_at").asText()) : null);
    }
}
