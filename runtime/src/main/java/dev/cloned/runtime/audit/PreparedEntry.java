package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Iterator;

/**
 * An audit entry rendered to canonical JSON (UTF-8) by the caller, in three fragments split around the fields the log
 * adds ({@code chain_prev_hash}, {@code chain_this_hash}, {@code seq}), plus the columns the store mirrors. The writer
 * only splices those fields in and hashes, so the expensive part (building, sorting and encoding JSON) runs on the
 * callers' threads, not on the single writer.
 */
final class PreparedEntry {
    private static final byte[] CHAIN_PREV = ("\"" + AuditChain.PREV + "\":\"").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHAIN_THIS = ("\",\"" + AuditChain.THIS + "\":\"").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] beforeChain;
    private final byte[] betweenChainAndSeq;
    private final byte[] afterSeq;
    final String id;
    final String timestamp;
    final String kind;
    final String callId;
    final String toolId;
    final String effect;
    final String outcome;
    final boolean dryRun;

    PreparedEntry(ObjectNode entry) {
        id = entry.path("id").asText();
        timestamp = entry.path("timestamp").asText();
        kind = entry.path("kind").asText();
        callId = entry.path("call_id").asText(null);
        toolId = entry.path("tool_id").asText(null);
        effect = CanonicalJson.unwrap(entry.path("policy_decision")).path("effect").asText(null);
        outcome = entry.path("outcome").asText(null);
        dryRun = entry.path("dry_run").asBoolean(false);
        String[] names = new String[entry.size()];
        Iterator<String> it = entry.fieldNames();
        for (int i = 0; i < names.length; i++) {
            names[i] = it.next();
        }
        Arrays.sort(names);
        StringBuilder a = new StringBuilder(256);
        StringBuilder b = new StringBuilder(512);
        StringBuilder c = new StringBuilder(256);
        for (String n : names) {
            if (n.equals(AuditChain.PREV) || n.equals(AuditChain.THIS) || n.equals("seq")) {
                continue;
            }
            StringBuilder target = n.compareTo(AuditChain.PREV) < 0 ? a : n.compareTo("seq") < 0 ? b : c;
            append(target, n, entry.get(n));
        }
        beforeChain = a.toString().getBytes(StandardCharsets.UTF_8);
        betweenChainAndSeq = b.toString().getBytes(StandardCharsets.UTF_8);
        afterSeq = c.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An entry rendered elsewhere (see {@link CallEntry}): the three fragments and the mirrored columns. */
    PreparedEntry(CharSequence before, CharSequence between, CharSequence after, String id, String timestamp,
                  String kind, String callId, String toolId, String effect, String outcome, boolean dryRun) {
        this.beforeChain = utf8(before);
        this.betweenChainAndSeq = utf8(between);
        this.afterSeq = utf8(after);
        this.id = id;
        this.timestamp = timestamp;
        this.kind = kind;
        this.callId = callId;
        this.toolId = toolId;
        this.effect = effect;
        this.outcome = outcome;
        this.dryRun = dryRun;
    }

    private static final ThreadLocal<char[][]> CHARS = ThreadLocal.withInitial(() -> new char[][] {new char[2048]});

    /**
     * UTF-8 of {@code text} in one allocation when it is ASCII (canonical JSON of ids, hashes and codes nearly always
     * is): the characters are copied out in bulk into a per-thread buffer and narrowed in a plain array loop, which
     * the JIT vectorizes; a {@code charAt} per character through the builder was a sixth of a caller's time.
     */
    static byte[] utf8(CharSequence text) {
        if (!(text instanceof StringBuilder sb)) {
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
        int n = sb.length();
        char[][] holder = CHARS.get();
        char[] chars = holder[0];
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
            if (chars.length <= 64 * 1024) { // one huge entry must not pin its buffer to the thread
                holder[0] = chars;
            }
        }
        sb.getChars(0, n, chars, 0);
        int wide = 0;
        for (int i = 0; i < n; i++) {
            wide |= chars[i];
        }
        if (wide >= 0x80) {
            return new String(chars, 0, n).getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) chars[i];
        }
        return out;
    }

    private static void append(StringBuilder sb, String name, JsonNode value) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        CanonicalJson.quote(sb, name);
        sb.append(':');
        CanonicalJson.write(sb, value);
    }

    /**
     * Hashes this entry at {@code seq} after {@code prevHash} (64 lower-case hex bytes) into {@code thisHash}: SHA-256
     * of the previous hash followed by the canonical entry with {@code seq} and without the chain fields.
     */
    void hash(MessageDigest sha, byte[] prevHash, long seq, byte[] thisHash) {
        sha.update(prevHash); // digest() below leaves it reset for the next entry (resetting here again cost a fill)
        sha.update((byte) '{');
        boolean any = part(sha, beforeChain, false);
        any = part(sha, betweenChainAndSeq, any);
        if (any) {
            sha.update((byte) ',');
        }
        sha.update(SEQ);
        sha.update(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        part(sha, afterSeq, true);
        sha.update((byte) '}');
        byte[] d = sha.digest();
        for (int i = 0; i < d.length; i++) {
            thisHash[2 * i] = HEX[(d[i] >> 4) & 0xF];
            thisHash[2 * i + 1] = HEX[d[i] & 0xF];
        }
    }

    private static boolean part(MessageDigest sha, byte[] bytes, boolean commaFirst) {
        if (bytes.length == 0) {
            return commaFirst;
        }
        if (commaFirst) {
            sha.update((byte) ',');
        }
        sha.update(bytes);
        return true;
    }

    /** Writes the full canonical line (chain fields included) and a newline to {@code out}. */
    void writeLine(Bytes out, long seq, byte[] prevHash, byte[] thisHash) {
        out.put((byte) '{');
        if (beforeChain.length > 0) {
            out.put(beforeChain).put((byte) ',');
        }
        out.put(CHAIN_PREV).put(prevHash).put(CHAIN_THIS).put(thisHash).put((byte) '"');
        if (betweenChainAndSeq.length > 0) {
            out.put((byte) ',').put(betweenChainAndSeq);
        }
        out.put((byte) ',').put(SEQ).put(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        if (afterSeq.length > 0) {
            out.put((byte) ',').put(afterSeq);
        }
        out.put((byte) '}').put((byte) '\n');
    }

    /** The entry as one JSON object without {@code seq} and the chain fields (UTF-8). */
    byte[] bodyWithout() {
        Bytes out = new Bytes(beforeChain.length + betweenChainAndSeq.length + afterSeq.length + 4);
        out.put((byte) '{');
        boolean any = false;
        for (byte[] part : new byte[][] {beforeChain, betweenChainAndSeq, afterSeq}) {
            if (part.length > 0) {
                if (any) {
                    out.put((byte) ',');
                }
                out.put(part);
                any = true;
            }
        }
        out.put((byte) '}');
        return Arrays.copyOf(out.data, out.size);
    }

    /** A growable byte buffer the writer reuses from batch to batch. */
    static final class Bytes {
        byte[] data;
        int size;

        Bytes() {
            this(1 << 20);
        }

        Bytes(int capacity) {
            data = new byte[capacity];
        }

        Bytes put(byte b) {
            ensure(1);
            data[size++] = b;
            return this;
        }

        Bytes put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, data, size, b.length);
            size += b.length;
            return this;
        }

        private void ensure(int more) {
            if (size + more > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
            }
        }
    }
}
