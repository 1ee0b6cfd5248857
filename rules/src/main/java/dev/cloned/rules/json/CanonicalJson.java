package dev.cloned.rules.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.POJONode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * Canonical JSON (object keys sorted recursively, no insignificant white space, UTF-8) and SHA-256 helpers. Used for
 * audit chain hashes, payload hashes and content hashes, so the same value always hashes the same.
 */
public final class CanonicalJson {
    /** A mapper for plain (non-canonical) JSON in snake_case-free form; shared, thread-safe. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
        .findAndAddModules()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();

    private CanonicalJson() {
    }

    /**
     * The canonical text of a JSON tree. Written in one pass without copying the tree; the text is exactly what
     * Jackson writes for the tree with its object keys sorted (a test holds the two equal), so hashes stay stable.
     */
    public static String write(JsonNode node) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, node);
        return sb.toString();
    }

    /** Appends the canonical text of {@code node} to {@code sb}. */
    public static void write(StringBuilder sb, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(sb, node);
            case ARRAY -> {
                sb.append('[');
                for (int i = 0, n = node.size(); i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(sb, node.get(i));
                }
                sb.append(']');
            }
            case STRING -> quote(sb, node.textValue());
            case BOOLEAN -> sb.append(node.booleanValue());
            case NULL -> sb.append("null");
            case NUMBER -> {
                if (node.isInt() || node.isLong() || node.isShort()) {
                    sb.append(node.longValue());
                } else {
                    sb.append(jackson(node)); // floating point and big numbers: exactly Jackson's formatting
                }
            }
            case POJO -> {
                if (((POJONode) node).getPojo() instanceof CanonicalText t) {
                    sb.append(t.text());
                } else {
                    sb.append(jackson(node));
                }
            }
            default -> sb.append(jackson(node)); // binary, missing: rare; Jackson decides
        }
    }

    /** The tree of a value that may be held as {@link CanonicalText}; any other node as it is. */
    public static JsonNode unwrap(JsonNode node) {
        return node instanceof POJONode p && p.getPojo() instanceof CanonicalText t ? t.tree() : node;
    }

    /** Appends {@code text} as a JSON string literal, escaped exactly as Jackson escapes by default. */
    public static void quote(StringBuilder sb, String text) {
        sb.append('"');
        int n = text.length();
        int i = 0;
        while (i < n && plain(text.charAt(i))) {
            i++;
        }
        if (i == n) { // nothing to escape (ids, hashes, codes): one bulk copy instead of a char-by-char append
            sb.append(text).append('"');
            return;
        }
        sb.append(text, 0, i);
        int start = i;
        for (; i < n; i++) {
            char ch = text.charAt(i);
            if (plain(ch)) {
                continue;
            }
            sb.append(text, start, i);
            start = i + 1;
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> sb.append("\\u00").append(HEX[ch >> 4]).append(HEX[ch & 0xF]);
            }
        }
        sb.append(text, start, n).append('"');
    }

    private static boolean plain(char ch) {
        return ch >= 0x20 && ch != '"' && ch != '\\';
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void writeObject(StringBuilder sb, JsonNode node) {
        int n = node.size();
        String[] names = new String[n];
        Iterator<String> it = node.fieldNames();
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            names[i] = it.next();
            if (i > 0 && sorted && names[i - 1].compareTo(names[i]) > 0) {
                sorted = false;
            }
        }
        if (!sorted) {
            Arrays.sort(names);
        }
        sb.append('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            quote(sb, names[i]);
            sb.append(':');
            write(sb, node.get(names[i]));
        }
        sb.append('}');
    }

    private static String jackson(JsonNode leaf) {
        try {
            return MAPPER.writeValueAsString(leaf);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }

    /** The canonical text of any Jackson-serializable value. */
    public static String writeValue(Object value) {
        return write(MAPPER.valueToTree(value));
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(SHA256.get().digest(bytes));
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a short text. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    });
}
