package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;

/**
 * The chain rule: {@code chain_this_hash = SHA-256(chain_prev_hash || canonical JSON of the entry without the chain
 * fields)}. The first entry's previous hash is {@link #GENESIS}.
 */
public final class AuditChain {
    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);
    public static final String PREV = "chain_prev_hash";
    public static final String THIS = "chain_this_hash";

    private AuditChain() {
    }

    /** Hash of an entry given the previous hash; the entry's own chain fields are ignored. */
    public static String hash(String prevHash, ObjectNode entry) {
        ObjectNode body = entry.deepCopy();
        body.remove(PREV);
        body.remove(THIS);
        return CanonicalJson.sha256(prevHash + CanonicalJson.write(body));
    }
}
