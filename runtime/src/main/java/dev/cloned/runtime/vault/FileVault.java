package dev.cloned.runtime.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.files.AtomicFiles;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * A vault kept in one local file encrypted with AES-256-GCM. The key comes either from a passphrase through
 * PBKDF2-HMAC-SHA256 (random salt and iteration count in the file header) or from a key file of 32 random
 * bytes that only its owner may read. The header is bound to the ciphertext as associated data, so any
 * change to the file, like a wrong key, fails with one clear {@link ErrorCode#VAULT_UNAVAILABLE}.
 */
public final class FileVault extends FileBackedVault {
    /** Default file name inside {@code .cloned/}. */
    public static final String DEFAULT_FILE = "vault.enc";
    /** Default environment variable holding the passphrase. */
    public static final String DEFAULT_PASSPHRASE_ENV = "CLONED_VAULT_PASSPHRASE";
    /** Default PBKDF2 iterations (OWASP guidance for PBKDF2-HMAC-SHA256). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Lowest accepted iteration count, for new files and for files read. */
    public static final int MIN_ITERATIONS = 100_000;

    private static final String FORMAT = "cloned-vault";
    private static final String CIPHER = "AES-256-GCM";
    private static final String KDF_PBKDF2 = "PBKDF2-HMAC-SHA256";
    private static final String KDF_KEYFILE = "keyfile";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the key comes from; exactly one of the two is set. */
    private final char[] passphrase;
    private final Path keyFile;
    private final int iterations;
    private final String keyHint;
    private byte[] cachedKey;
    private String cachedKeyHeader;

    private FileVault(Path file, char[] passphrase, Path keyFile, int iterations, String keyHint,
                      VaultListener listener, Clock clock) {
        super(file, listener, clock);
        this.passphrase = passphrase;
        this.keyFile = keyFile;
        this.iterations = iterations;
        this.keyHint = keyHint;
        if (iterations < MIN_ITERATIONS) {
            throw new ClonedException(ErrorCode.INVALID_INPUT,
                    "kdf_iterations " + iterations + " is below the minimum of " + MIN_ITERATIONS);
        }
    }

    /** A vault keyed by a passphrase. */
    public static FileVault withPassphrase(Path file, char[] passphrase, int iterations, VaultListener listener, Clock clock) {
        if (passphrase == null || passphrase.length == 0) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "the file vault passphrase is empty",
                    "set " + DEFAULT_PASSPHRASE_ENV + " or configure key_file");
        }
        return new FileVault(file, passphrase.clone(), null, iterations, "the passphrase", listener, clock);
    }

    /** A vault keyed by a key file (checked for owner-only permissions on use). */
    public static FileVault withKeyFile(Path file, Path keyFile, VaultListener listener, Clock clock) {
        return new FileVault(file, null, keyFile.toAbsolutePath().normalize(), DEFAULT_ITERATIONS,
                "the key file " + keyFile, listener, clock);
    }

    /** Creates a new key file of 32 random bytes (base64) readable by its owner only; refuses to overwrite. */
    public static void generateKeyFile(Path keyFile) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            if (Files.exists(keyFile)) {
                throw new FileAlreadyExistsException(keyFile.toString());
            }
            AtomicFiles.writePrivate(keyFile, text);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot create key file " + keyFile + ": " + e.getMessage(),
                    "choose a path that does not exist yet", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public String provider() {
        return "file";
    }

    @Override
    public VaultStatus status() {
        try {
            boolean exists = Files.exists(file);
            int count = read().size();
            if (!exists) {
                key(header(newSalt(), iterations)); // proves the key is usable before the first write
            }
            return new VaultStatus(provider(), file.toString(), true, false,
                    "encrypted (" + CIPHER + ", key from " + keyHint + "); "
                            + (exists ? count + " secret(s)" : "empty (file is created on first set)"), null);
        } catch (ClonedException e) {
            return new VaultStatus(provider(), file.toString(), false, false,
                    e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"), e.code());
        }
    }

    @Override
    TreeMap<String, Entry> decode(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw corrupt("not JSON", e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != 1
                || !CIPHER.equals(root.path("cipher").asText())) {
            throw corrupt("not a cloned-vault v1 file", null);
        }
        String header = headerOf(root.path("kdf"));
        byte[] key = key(header);
        try {
            byte[] nonce = Base64.getDecoder().decode(root.path("nonce").asText());
            byte[] ciphertext = Base64.getDecoder().decode(root.path("ciphertext").asText());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(header.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(ciphertext);
            try {
                return secretsFromJson(JSON.readTree(plain).get("secrets"));
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                    "cannot decrypt vault file " + file + ": wrong key (" + keyHint + ") or the file was modified",
                    "use the passphrase or key file the vault was created with; the file was left unchanged", e);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw corrupt(e.getMessage(), e);
        }
    }

    @Override
    byte[] encode(TreeMap<String, Entry> secrets) {
        try {
            String header = cachedKeyHeader != null ? cachedKeyHeader : header(newSalt(), iterations);
            byte[] key = key(header);
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            ObjectNode plainRoot = JSON.createObjectNode();
            plainRoot.set("secrets", secretsToJson(secrets));
            byte[] plain = JSON.writeValueAsBytes(plainRoot);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(header.getBytes(StandardCharsets.UTF_8));
            byte[] ciphertext = cipher.doFinal(plain);
            Arrays.fill(plain, (byte) 0);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("version", 1);
            root.put("cipher", CIPHER);
            root.set("kdf", JSON.readTree(header.substring(header.indexOf('{'))));
            root.put("nonce", Base64.getEncoder().encodeToString(nonce));
            root.put("ciphertext", Base64.getEncoder().encodeToString(ciphertext));
            return JSON.writeValueAsBytes(root);
        } catch (GeneralSecurityException | IOException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "cannot encrypt the vault: " + e.getMessage(), null, e);
        }
    }

    /** The associated data: format, cipher and KDF parameters in one canonical string. */
    private String header(byte[] salt, int iter) {
        ObjectNode kdf = JSON.createObjectNode();
        if (keyFile != null) {
            kdf.put("name", KDF_KEYFILE);
        } else {
            kdf.put("name", KDF_PBKDF2);
            kdf.put("iterations", iter);
            kdf.put("salt", Base64.getEncoder().encodeToString(salt));
        }
        return FORMAT + "|1|" + CIPHER + "|" + kdf;
    }

    private String headerOf(JsonNode kdf) {
        String name = kdf.path("name").asText();
        if (KDF_KEYFILE.equals(name)) {
            if (keyFile == null) {
                throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                        "vault file " + file + " is encrypted with a key file, but no key_file is configured",
                        "set vault.file.key_file in .cloned/config.yaml to the key file");
            }
            return header(null, 0);
        }
        if (!KDF_PBKDF2.equals(name)) {
            throw corrupt("unknown key derivation '" + name + "'", null);
        }
        if (keyFile != null) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                    "vault file " + file + " is encrypted with a passphrase, but a key_file is configured",
                    "remove vault.file.key_file and provide the passphrase in " + DEFAULT_PASSPHRASE_ENV);
        }
        int iter = kdf.path("iterations").asInt();
        if (iter < MIN_ITERATIONS) {
            throw corrupt("iteration count " + iter + " is below the minimum " + MIN_ITERATIONS, null);
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(kdf.path("salt").asText());
        } catch (IllegalArgumentException e) {
            throw corrupt("bad salt", e);
        }
        if (salt.length < 16) {
            throw corrupt("salt shorter than 16 bytes", null);
        }
        return header(salt, iter);
    }

    /** Derives (once per header) or loads the 256-bit key. */
    private synchronized byte[] key(String header) {
        if (header.equals(cachedKeyHeader)) {
            return cachedKey;
        }
        byte[] key;
        if (keyFile != null) {
            key = readKeyFile();
        } else {
            JsonNode kdf;
            try {
                kdf = JSON.readTree(header.substring(header.indexOf('{')));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            try {
                SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
                PBEKeySpec spec = new PBEKeySpec(passphrase, Base64.getDecoder().decode(kdf.get("salt").asText()),
                        kdf.get("iterations").asInt(), 256);
                key = f.generateSecret(spec).getEncoded();
                spec.clearPassword();
            } catch (GeneralSecurityException e) {
                throw new ClonedException(ErrorCode.INTERNAL, "PBKDF2 is not available: " + e.getMessage(), null, e);
            }
        }
        cachedKey = key;
        cachedKeyHeader = header;
        return key;
    }

    private byte[] readKeyFile() {
        if (!Files.isRegularFile(keyFile)) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "key file " + keyFile + " does not exist",
                    "create one (32 random bytes, base64, mode 0600) or fix vault.file.key_file");
        }
        if (AtomicFiles.posix()) {
            Set<PosixFilePermission> perms;
            try {
                perms = Files.getPosixFilePermissions(keyFile);
            } catch (IOException e) {
                throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "cannot read permissions of key file " + keyFile, null, e);
            }
            Set<PosixFilePermission> tooOpen = EnumSet.copyOf(perms);
            tooOpen.retainAll(EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
            if (!tooOpen.isEmpty()) {
                throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                        "key file " + keyFile + " has permissions " + PosixFilePermissions.toString(perms)
                                + "; it must be readable by its owner only (0600)",
                        "run: chmod 600 " + keyFile);
            }
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(keyFile);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "cannot read key file " + keyFile + ": " + e.getMessage(), null, e);
        }
        byte[] key = raw;
        if (raw.length != 32) {
            try {
                key = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).trim());
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (key.length != 32) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                    "key file " + keyFile + " must hold exactly 32 bytes (raw or base64)",
                    "create a new one: 32 random bytes, base64-encoded, mode 0600");
        }
        return key;
    }

    private static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private ClonedException corrupt(String why, Throwable cause) {
        return new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "vault file " + file + " is not readable: " + why,
                "restore it from a backup; it was not changed", cause);
    }
}
