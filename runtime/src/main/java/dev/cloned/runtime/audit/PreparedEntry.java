package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;

import java.util.ArrayList;
import java.util.List;

/**
 * An audit entry rendered to canonical JSON by the caller, in three fragments split around the fields the log adds
 * ({@code chain_prev_hash}, {@code chain_this_hash}, {@code seq}). The writer only splices those in and hashes, so
 * the expensive part (building and sorting JSON) runs on the callers' threads, not on the single writer.
 */
final class PreparedEntry {
    private final String beforeChain;
    private final String betweenChainAndSeq;
    private final String afterSeq;
    final ObjectNode entry;

    PreparedEntry(ObjectNode entry) {
        this.entry = entry;
        List<String> names = new ArrayList<>();
        entry.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        StringBuilder c = new StringBuilder();
        for (String n : names) {
            if (n.equals(AuditChain.PREV) || n.equals(AuditChain.THIS) || n.equals("seq")) {
                continue;
            }
            StringBuilder target = n.compareTo(AuditChain.PREV) < 0 ? a : n.compareTo("seq") < 0 ? b : c;
            append(target, n, entry.get(n));
        }
        beforeChain = a.toString();
        betweenChainAndSeq = b.toString();
        afterSeq = c.toString();
    }

    private static void append(StringBuilder sb, String name, JsonNode value) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(CanonicalJson.write(CanonicalJson.MAPPER.getNodeFactory().textNode(name))).append(':')
            .append(CanonicalJson.write(value));
    }

    /** The text the chain hash covers: the canonical entry with {@code seq}, without the chain fields. */
    String hashedText(long seq) {
        StringBuilder sb = new StringBuilder(beforeChain.length() + betweenChainAndSeq.length() + afterSeq.length() + 32);
        sb.append('{');
        join(sb, beforeChain);
        join(sb, betweenChainAndSeq);
        join(sb, "\"seq\":" + seq);
        join(sb, afterSeq);
        return sb.append('}').toString();
    }

    /** The full canonical line, chain fields included. */
    String line(long seq, String prev, String hash) {
        StringBuilder sb = new StringBuilder(beforeChain.length() + betweenChainAndSeq.length() + afterSeq.length() + 200);
        sb.append('{');
        join(sb, beforeChain);
        join(sb, "\"" + AuditChain.PREV + "\":\"" + prev + "\",\"" + AuditChain.THIS + "\":\"" + hash + "\"");
        join(sb, betweenChainAndSeq);
        join(sb, "\"seq\":" + seq);
        join(sb, afterSeq);
        return sb.append('}').toString();
    }

    private static void join(StringBuilder sb, String part) {
        if (part.isEmpty()) {
            return;
        }
        if (sb.length() > 1) {
            sb.append(',');
        }
        sb.append(part);
    }
}
