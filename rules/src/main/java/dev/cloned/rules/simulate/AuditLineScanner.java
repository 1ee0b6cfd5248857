package dev.cloned.rules.simulate;

import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One forward pass over an audit line that reads only what replay needs ({@code kind}, {@code call_id}, {@code seq},
 * {@code facts}, and the effect and reason codes of {@code policy_decision}) and steps over everything else without
 * decoding or copying it.
 *
 * <p>It gives exactly what the streaming Jackson read in {@link AuditRecords} gives, or it gives up ({@link #scan}
 * returns {@link #GIVE_UP}) and the caller runs that read: on a string it would have to unescape (an escape in a key
 * or in a value it keeps), a raw control character in a value it keeps, a number that is not a plain integer, a value
 * of an unexpected type, a repeated {@code capabilities} list, or a line that ends early. The parts it steps over are
 * checked for structure (strings, brackets, literals), not for what Jackson would also reject inside them (raw control
 * characters in strings, malformed numbers); the audit log writes neither.
 *
 * <p>Repeated short values (tool ids, connectors, publishers, actors, hosts, categories, capability lists) come from
 * small shared caches, so the replay's memo keys hash and compare canonical instances instead of fresh copies.
 */
final class AuditLineScanner {
    /** Returned when the line needs the full read. */
    static final RecordedCall GIVE_UP = new RecordedCall(-1, "give_up", new CallFacts("give_up", false, null, null,
        List.of(), null, null, null, null, null, Instant.EPOCH, false), null, false, false);

    /** Thrown (preallocated, without a stack trace) to leave the scan for the full read. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP_SIGNAL = new GiveUp();
    private static final StringCache STRINGS = new StringCache(2048);
    private static final ListCache LISTS = new ListCache(512);
    private static final ThreadLocal<AuditLineScanner> SCANNERS = ThreadLocal.withInitial(AuditLineScanner::new);
    /** Lines up to this many chars reuse the thread's buffer; longer ones get a buffer of their own. */
    private static final int KEPT_BUFFER = 1 << 16;

    private static final char[] KIND = "kind".toCharArray();
    private static final char[] SEQ = "seq".toCharArray();
    private static final char[] FACTS = "facts".toCharArray();
    private static final char[] CALL_ID = "call_id".toCharArray();
    private static final char[] POLICY_DECISION = "policy_decision".toCharArray();
    private static final char[] DECISION = "decision".toCharArray();
    private static final char[] EFFECT = "effect".toCharArray();
    private static final char[] REASONS = "reasons".toCharArray();
    private static final char[] CODE = "code".toCharArray();
    private static final char[] APPROVAL_GRANTED = "approval_granted".toCharArray();
    private static final char[] ALLOW = "allow".toCharArray();
    private static final char[] DENY = "deny".toCharArray();
    private static final char[] REQUIRE_APPROVAL = "require_approval".toCharArray();
    private static final char[] AT = "at".toCharArray();
    private static final char[] ACTOR = "actor".toCharArray();
    private static final char[] TOOL_ID = "tool_id".toCharArray();
    private static final char[] DRY_RUN = "dry_run".toCharArray();
    private static final char[] REGISTERED = "registered".toCharArray();
    private static final char[] RISK_LEVEL = "risk_level".toCharArray();
    private static final char[] EGRESS_HOST = "egress_host".toCharArray();
    private static final char[] CONNECTOR_ID = "connector_id".toCharArray();
    private static final char[] PUBLISHER_ID = "publisher_id".toCharArray();
    private static final char[] CAPABILITIES = "capabilities".toCharArray();
    private static final char[] COST_CATEGORY = "cost_category".toCharArray();
    private static final char[] COST_ESTIMATE = "cost_estimate".toCharArray();
    private static final char[] TRUE = "true".toCharArray();
    private static final char[] FALSE = "false".toCharArray();
    private static final char[] NULL = "null".toCharArray();

    private char[] kept = new char[4096];
    /** The line, and a copy of its chars (reading an array is several times cheaper than {@link String#charAt}). */
    private String line;
    private char[] c;
    private int n;
    private int i;
    /** A backslash at or after every position asked about so far, or {@code n}: strings before it have no escapes. */
    private int backslash;
    /** What the last {@code policy_decision} read held. */
    private Effect decisionEffect;
    private boolean decisionApproved;

    private AuditLineScanner() {
    }

    /**
     * The recorded call in {@code line}; {@code null} when the line is a JSON object but not a decision with facts;
     * {@link #GIVE_UP} when only the full read can tell.
     */
    static RecordedCall scan(String line) {
        return SCANNERS.get().run(line);
    }

    private RecordedCall run(String line) {
        int len = line.length();
        if (len > kept.length) {
            if (len <= KEPT_BUFFER) {
                kept = new char[Math.min(KEPT_BUFFER, Integer.highestOneBit(len) << 1)];
            }
        }
        c = len <= kept.length ? kept : new char[len];
        line.getChars(0, len, c, 0);
        n = len;
        i = 0;
        this.line = line;
        backslash = -1;
        try {
            return entry();
        } catch (GiveUp g) {
            return GIVE_UP;
        } finally {
            c = null;
            this.line = null;
        }
    }

    // ---- the entry ------------------------------------------------------------------------------------------------

    private RecordedCall entry() {
        ws();
        expect('{');
        boolean decision = false;
        String callId = null;
        long seq = 0;
        Effect effect = null;
        boolean approved = false;
        CallFacts facts = null;
        ws();
        if (peek() == '}') {
            return null;
        }
        while (true) {
            int from = cleanString();
            int to = i - 1;
            colon();
            switch (to - from) {
                case 3 -> {
                    if (equalsAt(from, to, SEQ)) {
                        seq = integer();
                    } else {
                        skipValue();
                    }
                }
                case 4 -> {
                    if (equalsAt(from, to, KIND)) {
                        int v = cleanString();
                        decision = equalsAt(v, i - 1, DECISION);
                    } else {
                        skipValue();
                    }
                }
                case 5 -> {
                    if (equalsAt(from, to, FACTS)) {
                        facts = facts();
                    } else {
                        skipValue();
                    }
                }
                case 7 -> {
                    if (equalsAt(from, to, CALL_ID)) {
                        if (literal(NULL)) {
                            callId = null;
                        } else {
                            int v = cleanString();
                            callId = new String(c, v, i - 1 - v);
                        }
                    } else {
                        skipValue();
                    }
                }
                case 15 -> {
                    if (equalsAt(from, to, POLICY_DECISION)) {
                        decision();
                        effect = decisionEffect;
                        approved = decisionApproved;
                    } else {
                        skipValue();
                    }
                }
                default -> skipValue();
            }
            if (endOfMembers('}')) {
                break;
            }
        }
        if (!decision || facts == null) {
            return null;
        }
        return new RecordedCall(seq, callId, facts, effect, approved, true);
    }

    /** Reads the {@code policy_decision} object: its effect, and whether a reason is {@code approval_granted}. */
    private void decision() {
        expect('{');
        decisionEffect = null;
        decisionApproved = false;
        ws();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            int from = cleanString();
            int to = i - 1;
            colon();
            if (equalsAt(from, to, EFFECT)) {
                int v = cleanString();
                decisionEffect = effect(v, i - 1);
            } else if (equalsAt(from, to, REASONS) && peek() == '[') {
                decisionApproved |= reasons();
            } else {
                skipValue();
            }
            if (endOfMembers('}')) {
                return;
            }
        }
    }

    /** The effect whose wire form is {@code c[from, to)}. */
    private Effect effect(int from, int to) {
        if (equalsAt(from, to, ALLOW)) {
            return Effect.ALLOW;
        }
        if (equalsAt(from, to, DENY)) {
            return Effect.DENY;
        }
        if (equalsAt(from, to, REQUIRE_APPROVAL)) {
            return Effect.REQUIRE_APPROVAL;
        }
        throw GIVE_UP_SIGNAL; // another spelling: the full read applies Effect.fromWire (or fails)
    }

    /** Reads a reasons array: whether any reason's code is {@code approval_granted}. */
    private boolean reasons() {
        i++;
        boolean approved = false;
        ws();
        if (peek() == ']') {
            i++;
            return false;
        }
        while (true) {
            expect('{');
            ws();
            if (peek() == '}') {
                i++;
            } else {
                while (true) {
                    int from = cleanString();
                    int to = i - 1;
                    colon();
                    if (equalsAt(from, to, CODE) && peek() == '"') {
                        int v = cleanString();
                        approved |= equalsAt(v, i - 1, APPROVAL_GRANTED);
                    } else {
                        skipValue();
                    }
                    if (endOfMembers('}')) {
                        break;
                    }
                }
            }
            if (endOfMembers(']')) {
                return approved;
            }
        }
    }

    // ---- facts ----------------------------------------------------------------------------------------------------

    /** Reads the {@code facts} object in the shape {@link dev.cloned.rules.json.FactsJson} writes. */
    private CallFacts facts() {
        expect('{');
        String toolId = null;
        String connector = null;
        String publisher = null;
        String risk = null;
        String costCategory = null;
        Long cost = null;
        String host = null;
        String actor = null;
        Instant at = null;
        boolean registered = true;
        boolean dry = false;
        List<String> caps = null;
        ws();
        if (peek() == '}') {
            i++;
            return null;
        }
        while (true) {
            int from = cleanString();
            int to = i - 1;
            colon();
            switch (to - from) {
                case 2 -> {
                    if (equalsAt(from, to, AT)) {
                        int v = cleanString();
                        at = instant(c, v, i - 1);
                    } else {
                        skipValue();
                    }
                }
                case 5 -> {
                    if (equalsAt(from, to, ACTOR)) {
                        actor = cachedOrNull();
                    } else {
                        skipValue();
                    }
                }
                case 7 -> {
                    if (equalsAt(from, to, TOOL_ID)) {
                        toolId = cached();
                    } else if (equalsAt(from, to, DRY_RUN)) {
                        dry = bool(false);
                    } else {
                        skipValue();
                    }
                }
                case 10 -> {
                    if (equalsAt(from, to, REGISTERED)) {
                        registered = bool(true);
                    } else if (equalsAt(from, to, RISK_LEVEL)) {
                        risk = cachedOrNull();
                    } else {
                        skipValue();
                    }
                }
                case 11 -> {
                    if (equalsAt(from, to, EGRESS_HOST)) {
                        host = cachedOrNull();
                    } else {
                        skipValue();
                    }
                }
                case 12 -> {
                    if (equalsAt(from, to, CONNECTOR_ID)) {
                        connector = cachedOrNull();
                    } else if (equalsAt(from, to, PUBLISHER_ID)) {
                        publisher = cachedOrNull();
                    } else if (equalsAt(from, to, CAPABILITIES)) {
                        if (caps != null) {
                            throw GIVE_UP_SIGNAL; // the full read adds a repeated list to the first one
                        }
                        caps = capabilities();
                    } else {
                        skipValue();
                    }
                }
                case 13 -> {
                    if (equalsAt(from, to, COST_CATEGORY)) {
                        costCategory = cachedOrNull();
                    } else if (equalsAt(from, to, COST_ESTIMATE)) {
                        cost = literal(NULL) ? null : integer();
                    } else {
                        skipValue();
                    }
                }
                default -> skipValue();
            }
            if (endOfMembers('}')) {
                break;
            }
        }
        if (toolId == null || at == null) {
            return null;
        }
        return new CallFacts(toolId, registered, connector, publisher, caps == null ? List.of() : caps, risk,
            costCategory, cost, host, actor, at, dry);
    }

    /** A string value, as the cache's instance. */
    private String cached() {
        int from = cleanString();
        return STRINGS.get(c, from, i - 1);
    }

    /** A string value as the cache's instance, or {@code null}. */
    private String cachedOrNull() {
        return literal(NULL) ? null : cached();
    }

    /** {@code true}, {@code false}, or {@code ifNull} for {@code null}. */
    private boolean bool(boolean ifNull) {
        if (literal(TRUE)) {
            return true;
        }
        if (literal(FALSE)) {
            return false;
        }
        if (literal(NULL)) {
            return ifNull;
        }
        throw GIVE_UP_SIGNAL;
    }

    /** An array of strings, as a shared immutable list. */
    private List<String> capabilities() {
        if (peek() != '[') {
            throw GIVE_UP_SIGNAL;
        }
        int start = i;
        ListCache.Entry hit = LISTS.get(c, start, n);
        if (hit != null) {
            i = start + hit.text().length;
            return hit.list();
        }
        i++;
        List<String> out = new ArrayList<>(2);
        ws();
        if (peek() == ']') {
            i++;
        } else {
            while (true) {
                out.add(cached());
                if (endOfMembers(']')) {
                    break;
                }
            }
        }
        List<String> list = List.copyOf(out);
        LISTS.put(c, start, i, list);
        return list;
    }

    // ---- tokens ---------------------------------------------------------------------------------------------------

    private void ws() {
        while (i < n) {
            char ch = c[i];
            if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') {
                return;
            }
            i++;
        }
    }

    private char peek() {
        if (i >= n) {
            throw GIVE_UP_SIGNAL;
        }
        return c[i];
    }

    private void expect(char ch) {
        if (i >= n || c[i] != ch) {
            throw GIVE_UP_SIGNAL;
        }
        i++;
    }

    private void colon() {
        ws();
        expect(':');
        ws();
    }

    /** After a member or element: {@code true} at the closing bracket (consumed), {@code false} after a comma. */
    private boolean endOfMembers(char close) {
        ws();
        char ch = peek();
        i++;
        if (ch == close) {
            return true;
        }
        if (ch != ',') {
            throw GIVE_UP_SIGNAL;
        }
        ws();
        return false;
    }

    /** Consumes {@code word} when it is next, as a whole literal. */
    private boolean literal(char[] word) {
        int end = i + word.length;
        if (end > n || !same(c, i, word, word.length)) {
            return false;
        }
        if (end < n && Character.isLetterOrDigit(c[end])) {
            return false;
        }
        i = end;
        return true;
    }

    /**
     * Reads a string that needs no unescaping and returns where its content starts; the scan ends after the closing
     * quote (its content is {@code [start, i - 1)}). Gives up on an escape or a raw control character.
     */
    private int cleanString() {
        final char[] c = this.c;
        final int n = Math.min(this.n, c.length);
        int from = i + 1;
        if (i >= n || c[i] != '"') {
            throw GIVE_UP_SIGNAL;
        }
        for (int j = from; j < n; j++) {
            char ch = c[j];
            if (ch == '"') {
                i = j + 1;
                return from;
            }
            if (ch == '\\' || ch < 0x20) {
                throw GIVE_UP_SIGNAL;
            }
        }
        throw GIVE_UP_SIGNAL;
    }

    /**
     * Skips a string (the scan is on its opening quote): {@link String#indexOf} finds the closing quote (vectorized),
     * and escapes are looked at only when a backslash comes before it. Raw control characters in a skipped string are
     * not looked for.
     */
    private void skipString() {
        int j = i + 1;
        int q = line.indexOf('"', j);
        if (q >= 0 && q < backslashFrom(j)) {
            i = q + 1;
            return;
        }
        while (true) {
            if (q < 0) {
                throw GIVE_UP_SIGNAL;
            }
            int b = q - 1;
            while (b >= j && c[b] == '\\') {
                b--;
            }
            if (((q - 1 - b) & 1) == 0) {
                i = q + 1;
                return;
            }
            q = line.indexOf('"', q + 1);
        }
    }
    /** The first backslash at or after {@code from}, or {@code n} (remembered: the scan only moves forward). */
    private int backslashFrom(int from) {
        if (backslash < from) {
            int b = line.indexOf('\\', from);
            backslash = b < 0 ? n : b;
        }
        return backslash;
    }

    /** A plain integer (optional minus, 1 to 18 digits, no leading zero, fraction or exponent). */
    private long integer() {
        boolean negative = i < n && c[i] == '-';
        if (negative) {
            i++;
        }
        int digitsFrom = i;
        long v = 0;
        while (i < n) {
            char ch = c[i];
            if (ch < '0' || ch > '9') {
                break;
            }
            v = v * 10 + (ch - '0');
            i++;
        }
        int digits = i - digitsFrom;
        if (digits == 0 || digits > 18 || digits > 1 && c[digitsFrom] == '0'
            || i < n && (c[i] == '.' || c[i] == 'e' || c[i] == 'E')) {
            throw GIVE_UP_SIGNAL;
        }
        return negative ? -v : v;
    }

    /** Skips one value of any type. */
    private void skipValue() {
        char ch = peek();
        switch (ch) {
            case '"' -> skipString();
            case '{', '[' -> skipContainer();
            case 't' -> requireLiteral(TRUE);
            case 'f' -> requireLiteral(FALSE);
            case 'n' -> requireLiteral(NULL);
            default -> {
                if (ch == '-' || ch >= '0' && ch <= '9') {
                    skipNumber();
                } else {
                    throw GIVE_UP_SIGNAL;
                }
            }
        }
    }

    private void requireLiteral(char[] word) {
        if (!literal(word)) {
            throw GIVE_UP_SIGNAL;
        }
    }

    private void skipNumber() {
        int from = i;
        while (i < n) {
            char ch = c[i];
            if (ch >= '0' && ch <= '9' || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E') {
                i++;
            } else {
                break;
            }
        }
        if (i == from) {
            throw GIVE_UP_SIGNAL;
        }
    }

    /** Skips an object or array (the scan is on its opening bracket); brackets must match, up to 64 deep. */
    private void skipContainer() {
        final char[] c = this.c;
        final int n = Math.min(this.n, c.length);
        long objects = 0; // bit d set: the container at depth d is an object
        int depth = 0;
        int j = i;
        while (j < n) {
            char ch = c[j];
            if (ch == '"') {
                i = j;
                skipString();
                j = i;
            } else if (ch == ',' || ch == ':') {
                j++;
            } else if (ch == '{' || ch == '[') {
                if (depth == 64) {
                    throw GIVE_UP_SIGNAL;
                }
                objects = ch == '{' ? objects | 1L << depth : objects & ~(1L << depth);
                depth++;
                j++;
            } else if (ch == '}' || ch == ']') {
                depth--;
                if (((objects >>> depth & 1) == 1) != (ch == '}')) {
                    throw GIVE_UP_SIGNAL;
                }
                j++;
                if (depth == 0) {
                    i = j;
                    return;
                }
            } else {
                i = j;
                switch (ch) {
                    case 't' -> requireLiteral(TRUE);
                    case 'f' -> requireLiteral(FALSE);
                    case 'n' -> requireLiteral(NULL);
                    case ' ', '\n', '\r', '\t' -> i++;
                    default -> {
                        if (ch == '-' || ch >= '0' && ch <= '9') {
                            skipNumber();
                        } else {
                            throw GIVE_UP_SIGNAL;
                        }
                    }
                }
                j = i;
            }
        }
        throw GIVE_UP_SIGNAL;
    }

    private boolean equalsAt(int from, int to, char[] word) {
        return to - from == word.length && same(c, from, word, word.length);
    }

    /** Whether {@code t[from, from + len)} equals {@code word[0, len)} (a plain loop: the words are short). */
    private static boolean same(char[] t, int from, char[] word, int len) {
        for (int k = 0; k < len; k++) {
            if (t[from + k] != word[k]) {
                return false;
            }
        }
        return true;
    }

    // ---- timestamps -----------------------------------------------------------------------------------------------

    /** {@link Instant#parse} of {@code s.substring(from, to)}; see {@link #instant(char[], int, int)}. */
    static Instant instant(String s, int from, int to) {
        return instant(s.substring(from, to).toCharArray(), 0, to - from);
    }

    /**
     * {@link Instant#parse} of the text {@code t[from, to)}, computed directly for the form the log writes
     * ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, fraction of 1 to 9 digits); anything else goes to {@link Instant#parse}.
     */
    static Instant instant(char[] t, int from, int to) {
        int len = to - from;
        if (len < 20 || len == 21 || len > 30 || t[from + 4] != '-' || t[from + 7] != '-' || t[from + 10] != 'T'
            || t[from + 13] != ':' || t[from + 16] != ':' || t[to - 1] != 'Z' || len > 20 && t[from + 19] != '.') {
            return Instant.parse(new String(t, from, len));
        }
        int year = num(t, from, from + 4);
        int month = num(t, from + 5, from + 7);
        int day = num(t, from + 8, from + 10);
        int hour = num(t, from + 11, from + 13);
        int minute = num(t, from + 14, from + 16);
        int second = num(t, from + 17, from + 19);
        int nanos = len > 20 ? num(t, from + 20, to - 1) : 0;
        if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Instant.parse(new String(t, from, len));
        }
        long days;
        try {
            days = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return Instant.parse(new String(t, from, len));
        }
        for (int d = len - 21; d < 9 && len > 20; d++) {
            nanos *= 10;
        }
        return Instant.ofEpochSecond(days * 86400 + hour * 3600L + minute * 60L + second, nanos);
    }

    /** Decimal digits in {@code [from, to)}, or -1 when any is not a digit. */
    private static int num(char[] t, int from, int to) {
        int v = 0;
        for (int k = from; k < to; k++) {
            char ch = t[k];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    // ---- caches ---------------------------------------------------------------------------------------------------

    private static int hash(char[] t, int from, int to) {
        int h = 0;
        for (int k = from; k < to; k++) {
            h = 31 * h + t[k];
        }
        return h ^ h >>> 16;
    }

    /**
     * Canonical instances of short strings, looked up by a region of a buffer without copying it. Direct mapped: a
     * collision only costs a copy. Safe to share between threads: an entry is immutable and a slot holds one reference.
     */
    static final class StringCache {
        private static final int MAX_LENGTH = 128;

        private record Entry(char[] chars, String value) {
        }

        private final Entry[] slots;

        StringCache(int size) {
            slots = new Entry[Integer.highestOneBit(size)];
        }

        String get(char[] t, int from, int to) {
            int len = to - from;
            if (len > MAX_LENGTH) {
                return new String(t, from, len);
            }
            int slot = hash(t, from, to) & (slots.length - 1);
            Entry e = slots[slot];
            if (e != null && e.chars.length == len && same(t, from, e.chars, len)) {
                return e.value;
            }
            String v = new String(t, from, len);
            slots[slot] = new Entry(Arrays.copyOfRange(t, from, to), v);
            return v;
        }
    }

    /**
     * Canonical immutable lists of strings by their JSON text (e.g. {@code ["web.fetch"]}); like {@link StringCache}.
     * An entry's text is a whole array, so a buffer that starts with it holds exactly that array.
     */
    static final class ListCache {
        private static final int MAX_LENGTH = 256;

        record Entry(char[] text, List<String> list) {
        }

        private final Entry[] slots;

        ListCache(int size) {
            slots = new Entry[Integer.highestOneBit(size)];
        }

        /** The entry whose text starts {@code t} at {@code from} (not reading past {@code limit}), or {@code null}. */
        Entry get(char[] t, int from, int limit) {
            int end = from;
            while (end < limit && end - from <= MAX_LENGTH && t[end] != ']') {
                end++;
            }
            if (end >= limit || t[end] != ']') {
                return null;
            }
            Entry e = slots[hash(t, from, end + 1) & (slots.length - 1)];
            return e != null && e.text.length == end + 1 - from && same(t, from, e.text, e.text.length) ? e : null;
        }

        void put(char[] t, int from, int to, List<String> list) {
            if (to - from <= MAX_LENGTH) {
                slots[hash(t, from, to) & (slots.length - 1)] = new Entry(Arrays.copyOfRange(t, from, to), list);
            }
        }
    }
}
