package dev.cloned.runtime.redact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cloned.runtime.files.AtomicFiles;
import dev.cloned.runtime.vault.VaultListener;
import dev.cloned.runtime.vault.VaultRef;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction module: logs, audit, API responses and CLI output pass through it. It replaces
 * sensitive text with {@code [REDACTED:<class>#<hash>]}, where the class is {@code secret}, {@code token},
 * {@code pii}, {@code header} or {@code path} and the hash is a short HMAC of the value under a
 * per-workspace salt, so the same value can be correlated across lines without being revealed.
 * It knows the secret values registered from the vault (exact, JSON-escaped and URL-encoded forms), common
 * credential patterns, e-mail addresses and home-directory paths, and redacts JSON trees by key.
 * Thread-safe.
 */
public final class Redactor {
    /** What kind of value was hidden. */
    public enum Kind {
        SECRET, TOKEN, PII, HEADER, PATH;

        /** The label inside the marker, e.g. {@code token}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Every marker starts with this. */
    public static final String MARKER_PREFIX = "[REDACTED:";
    /** Registered secret values shorter than this are ignored (they would garble ordinary text). */
    public static final int MIN_SECRET_LENGTH = 4;
    /** File in {@code .cloned/} holding the workspace salt. */
    public static final String SALT_FILE = "redaction.salt";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_MARKER = "(?!\\[REDACTED:)";
    private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";

    private record Rule(Pattern pattern, Kind kind, int group) {
    }

    private static final List<Rule> RULES = List.of(
            // Header-like values, quoted (JSON) or up to the end of the line.
            new Rule(Pattern.compile("(?i)(?<![A-Za-z0-9-])(?:proxy-)?authorization[\"']?\\s*[:=]\\s*+" + NOT_MARKER
                    + "(?:" + QUOTED + "|([^\\r\\n\"]+))"), Kind.HEADER, -1),
            new Rule(Pattern.compile("(?i)(?<![A-Za-z0-9-])(?:set-)?cookie[\"']?\\s*[:=]\\s*+" + NOT_MARKER
                    + "(?:" + QUOTED + "|([^\\r\\n\"]+))"), Kind.HEADER, -1),
            new Rule(Pattern.compile("(?i)(?<![A-Za-z0-9-])x-api-key[\"']?\\s*[:=]\\s*+" + NOT_MARKER
                    + "(?:" + QUOTED + "|([^\\s\"]+))"), Kind.HEADER, -1),
            new Rule(Pattern.compile("(?i)\\bbearer\\s++" + NOT_MARKER + "([A-Za-z0-9._~+/=-]{8,})"), Kind.TOKEN, 1),
            new Rule(Pattern.compile("\\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"), Kind.TOKEN, 1),
            new Rule(Pattern.compile("\\b((?:AKIA|ASIA)[0-9A-Z]{16})\\b"), Kind.TOKEN, 1),
            new Rule(Pattern.compile("\\b(eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*)"), Kind.TOKEN, 1),
            new Rule(Pattern.compile("\\b(sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,})"), Kind.TOKEN, 1),
            new Rule(Pattern.compile("\\b(xox[abprs]-[A-Za-z0-9-]{10,})"), Kind.TOKEN, 1),
            new Rule(Pattern.compile("\\b(AIza[0-9A-Za-z_-]{35})"), Kind.TOKEN, 1),
            // key=value and "key": "value" for sensitive keys.
            new Rule(Pattern.compile("(?i)(?<![A-Za-z0-9])[A-Za-z0-9_.-]*(?:password|passwd|secret|api[_-]?key|token|private[_-]?key)"
                    + "[\"']?\\s*[:=]\\s*+" + NOT_MARKER + "(?:" + QUOTED + "|([^\\s&,;\"'}\\]]+))"), Kind.SECRET, -1),
            // Password in a URL's user info.
            new Rule(Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:" + NOT_MARKER + "([^/\\s@]+)@"), Kind.SECRET, 1),
            new Rule(Pattern.compile("([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})"), Kind.PII, 1),
            new Rule(Pattern.compile("((?:/home|/Users)/[^/\\s\"'\\\\:]+|[A-Za-z]:\\\\Users\\\\[^\\\\\\s\"']+)"), Kind.PATH, 1));

    private final byte[] salt;
    private final Pattern ownHome;
    /** Registered forms (raw, JSON-escaped, URL-encoded) of every known secret. */
    private final Map<String, String> secretForms = new ConcurrentHashMap<>();
    private volatile List<String> sortedForms = List.of();

    /**
     * A redactor with the given workspace salt; {@code homeDir} (usually {@code user.home}) is redacted as a
     * path wherever it appears, in addition to the usual home-directory patterns.
     */
    public Redactor(byte[] salt, String homeDir) {
        if (Objects.requireNonNull(salt, "salt").length < 16) {
            throw new IllegalArgumentException("salt must be at least 16 bytes");
        }
        this.salt = salt.clone();
        this.ownHome = homeDir == null || homeDir.length() < 2 || "/".equals(homeDir) ? null
                : Pattern.compile(Pattern.quote(homeDir) + "(?=[/\\\\\\s\"']|$)");
    }

    /** The redactor of the workspace in {@code clonedDir}, creating its salt file on first use. */
    public static Redactor forWorkspace(Path clonedDir) throws IOException {
        return new Redactor(loadOrCreateSalt(clonedDir.resolve(SALT_FILE)), System.getProperty("user.home"));
    }

    /**
     * A redactor for the workspace in {@code clonedDir} that writes nothing: its salt when the salt file can be read
     * (markers then correlate with the workspace's logs and audit), otherwise a random salt of this process only.
     * For output that must be redacted even when the workspace is missing or read-only, such as CLI error lines.
     */
    public static Redactor readOnly(Path clonedDir) {
        byte[] salt = null;
        try {
            Path file = clonedDir.resolve(SALT_FILE);
            if (Files.isRegularFile(file)) {
                salt = Files.readAllBytes(file);
            }
        } catch (IOException | RuntimeException e) {
            salt = null; // unreadable: a process-local salt still hides the value
        }
        if (salt == null || salt.length < 16) {
            salt = new byte[32];
            new SecureRandom().nextBytes(salt);
        }
        return new Redactor(salt, System.getProperty("user.home"));
    }

    private static byte[] loadOrCreateSalt(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try (AtomicFiles.ExclusiveLock ignored = AtomicFiles.lock(file.resolveSibling(SALT_FILE + ".lock"))) {
                if (!Files.exists(file)) {
                    AtomicFiles.writePrivate(file, fresh);
                }
            }
        }
        byte[] salt = Files.readAllBytes(file);
        if (salt.length < 16) {
            throw new IOException("redaction salt " + file + " is too short; delete it to create a new one");
        }
        return salt;
    }

    /** Remembers a secret value so it is redacted wherever it appears; short values are ignored. */
    public synchronized void registerSecret(String value) {
        if (value == null || value.length() < MIN_SECRET_LENGTH) {
            return;
        }
        List<String> forms = new ArrayList<>();
        forms.add(value);
        try {
            String escaped = JSON.writeValueAsString(value);
            forms.add(escaped.substring(1, escaped.length() - 1));
            forms.add(escaped.substring(1, escaped.length() - 1).replace("/", "\\/"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String url = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(url);
        forms.add(url.replace("+", "%20"));
        boolean added = false;
        for (String form : forms) {
            added |= secretForms.putIfAbsent(form, value) == null;
        }
        if (added) {
            List<String> sorted = new ArrayList<>(secretForms.keySet());
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            sortedForms = List.copyOf(sorted);
        }
    }

    /** A vault listener that registers every secret value the vault handles. */
    public VaultListener vaultListener(VaultListener next) {
        return new VaultListener() {
            @Override
            public void warning(String message) {
                next.warning(redact(message));
            }

            @Override
            public void secretUsed(String name, String value) {
                registerSecret(value);
                next.secretUsed(name, value);
            }
        };
    }

    /** The marker that replaces {@code value}. */
    public String marker(Kind kind, String value) {
        return MARKER_PREFIX + kind.label() + "#" + hash(value) + "]";
    }

    /** Redacts free text. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String form : sortedForms) {
            if (out.contains(form)) {
                out = out.replace(form, marker(Kind.SECRET, secretForms.getOrDefault(form, form)));
            }
        }
        for (Rule rule : RULES) {
            out = apply(rule, out);
        }
        if (ownHome != null) {
            out = ownHome.matcher(out).replaceAll(m -> Matcher.quoteReplacement(marker(Kind.PATH, m.group())));
        }
        return out;
    }

    private String apply(Rule rule, String text) {
        Matcher m = rule.pattern().matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            int g = rule.group() > 0 ? rule.group() : (m.group(1) != null ? 1 : 2);
            String value = m.group(g);
            if (value == null || value.isBlank()) {
                continue;
            }
            sb.append(text, last, m.start(g)).append(marker(rule.kind(), value.trim()));
            last = m.end(g);
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }

    /** A redacted deep copy of a JSON tree: values of sensitive keys are replaced, all strings are redacted. */
    public JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(redact(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                Kind kind = sensitiveKey(f.getKey());
                JsonNode v = f.getValue();
                if (kind != null && !v.isNull() && !(v.isTextual() && keepAsIs(v.asText()))) {
                    out.set(f.getKey(), TextNode.valueOf(marker(kind, v.isValueNode() ? v.asText() : v.toString())));
                } else {
                    out.set(f.getKey(), redact(v));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(e -> out.add(redact(e)));
            return out;
        }
        return node.deepCopy();
    }

    /** Redacts a JSON document; text that is not JSON is redacted as free text. */
    public String redactJson(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            return tree == null ? redact(json) : JSON.writeValueAsString(redact(tree));
        } catch (JsonProcessingException e) {
            return redact(json);
        }
    }

    private static boolean keepAsIs(String text) {
        return text.startsWith(MARKER_PREFIX) || VaultRef.isRef(text) || text.isEmpty();
    }

    /** The class of a sensitive JSON key, or {@code null}. */
    static Kind sensitiveKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replaceAll("[-_. ]", "");
        if (k.equals("authorization") || k.equals("proxyauthorization") || k.equals("cookie") || k.equals("setcookie")
                || k.equals("xapikey")) {
            return Kind.HEADER;
        }
        if (k.endsWith("token")) {
            return Kind.TOKEN;
        }
        if (k.contains("password") || k.contains("passwd") || k.equals("pwd") || k.endsWith("secret")
                || k.endsWith("apikey") || k.endsWith("privatekey") || k.equals("credentials") || k.equals("credential")
                || k.endsWith("connectionstring")) {
            return Kind.SECRET;
        }
        return null;
    }

    private String hash(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
