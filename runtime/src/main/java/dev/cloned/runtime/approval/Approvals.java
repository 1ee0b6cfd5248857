package dev.cloned.runtime.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Ids;
import dev.cloned.runtime.store.ApprovalRecord;
import dev.cloned.runtime.store.Store;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The append-only approval queue. A request records who asked for what (payload hash); a decision is a new record
 * chained to the request; each use is a consumption record. Nothing is ever updated, so the history stays whole.
 */
public final class Approvals {
    private final Store store;
    private final Clock clock;

    public Approvals(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What a new request carries. */
    public record Request(String actor, String scope, String toolId, String payloadHash, String risk,
                          JsonNode costEstimate, List<String> approvers, List<String> reasons, int maxUses,
                          JsonNode envelope) {
    }

    /** Files a request, or returns the pending request for the same payload when there is one. */
    public Approval request(Request req) {
        Optional<Approval> pending = forPayload(req.payloadHash()).filter(a -> a.status().equals("pending"));
        if (pending.isPresent()) {
            return pending.get();
        }
        String id = Ids.random("apr");
        ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
        body.put("scope", req.scope());
        body.put("tool_id", req.toolId());
        body.put("payload_hash", req.payloadHash());
        body.put("risk", req.risk());
        body.set("cost_estimate", req.costEstimate());
        body.set("approvers", CanonicalJson.MAPPER.valueToTree(req.approvers()));
        body.set("reasons", CanonicalJson.MAPPER.valueToTree(req.reasons()));
        body.put("max_uses", Math.max(1, req.maxUses()));
        body.set("envelope", req.envelope());
        append(id, ApprovalRecord.REQUEST, 0, req.actor(), body, null);
        return find(id).orElseThrow();
    }

    /** Approves a pending request. */
    public Approval approve(String id, String actor, String reason) {
        return decide(id, actor, "approved", reason);
    }

    /** Denies a pending request. */
    public Approval deny(String id, String actor, String reason) {
        return decide(id, actor, "denied", reason);
    }

    private Approval decide(String id, String actor, String outcome, String reason) {
        Approval a = find(id).orElseThrow(() -> notFound(id));
        if (!a.status().equals("pending")) {
            throw new ClonedException(ErrorCode.CONFLICT, "approval " + id + " is already " + a.status(),
                "a decision cannot be changed; file a new request by repeating the call");
        }
        ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
        body.put("decision", outcome);
        body.put("reason", reason == null ? "" : reason);
        String requestHash = store.approvalRecords(id).get(0).thisHash();
        append(id, ApprovalRecord.DECISION, 0, actor, body, requestHash);
        return find(id).orElseThrow();
    }

    /**
     * Uses an approved approval for the call with this payload hash. Exactly one caller wins each use, also under
     * concurrency and across processes.
     *
     * @return whether the use was granted
     */
    public boolean consume(String id, String payloadHash, String callId) {
        // One snapshot of the records decides both whether a use is left and the number the new use takes: a racing
        // caller that saw the same snapshot takes the same number, and the unique key lets only one of them in.
        List<ApprovalRecord> recs = store.approvalRecords(id);
        if (recs.isEmpty()) {
            throw notFound(id);
        }
        Approval a = fold(recs);
        if (!a.usable() || !a.payloadHash().equals(payloadHash)) {
            return false;
        }
        ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
        body.put("call_id", callId);
        body.put("payload_hash", payloadHash);
        // Numbered after every use ever taken, returned ones included, so a returned number is never taken twice.
        int useNo = (int) recs.stream().filter(r -> r.kind().equals(ApprovalRecord.CONSUMPTION)).count() + 1;
        try {
            append(id, ApprovalRecord.CONSUMPTION, useNo, "gateway", body, recs.get(recs.size() - 1).thisHash());
            return true;
        } catch (ClonedException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Gives back the use that call {@code callId} took, because the call never ran (e.g. the vault could not give it a
     * secret): the approval is usable again for the same payload. Recorded as a {@code return} record.
     *
     * @return whether a use of that call was found and given back
     */
    public boolean giveBack(String id, String callId, String reason) {
        List<ApprovalRecord> recs = store.approvalRecords(id);
        for (ApprovalRecord r : recs) {
            if (r.kind().equals(ApprovalRecord.CONSUMPTION) && callId.equals(parse(r.body()).path("call_id").asText())) {
                ObjectNode body = CanonicalJson.MAPPER.createObjectNode();
                body.put("call_id", callId);
                body.put("reason", reason == null ? "" : reason);
                try {
                    append(id, ApprovalRecord.RETURN, r.useNo(), "gateway", body, recs.get(recs.size() - 1).thisHash());
                    return true;
                } catch (ClonedException e) {
                    if (e.code() == ErrorCode.CONFLICT) {
                        return false; // given back already
                    }
                    throw e;
                }
            }
        }
        return false;
    }

    /** The newest approval filed for this payload hash. */
    public Optional<Approval> forPayload(String payloadHash) {
        List<ApprovalRecord> reqs = store.requestsForPayload(payloadHash);
        for (int i = reqs.size() - 1; i >= 0; i--) {
            Optional<Approval> a = find(reqs.get(i).approvalId());
            if (a.isPresent() && !a.get().status().equals("denied") && !a.get().status().equals("consumed")) {
                return a;
            }
        }
        return reqs.isEmpty() ? Optional.empty() : find(reqs.get(reqs.size() - 1).approvalId());
    }

    /** One approval by id. */
    public Optional<Approval> find(String id) {
        List<ApprovalRecord> recs = store.approvalRecords(id);
        return recs.isEmpty() ? Optional.empty() : Optional.of(fold(recs));
    }

    /** Every approval, newest first, optionally only those with a given status. */
    public List<Approval> list(String status) {
        Map<String, List<ApprovalRecord>> byId = new LinkedHashMap<>();
        for (ApprovalRecord r : store.allApprovalRecords()) {
            byId.computeIfAbsent(r.approvalId(), k -> new ArrayList<>()).add(r);
        }
        return byId.values().stream().map(Approvals::fold)
            .filter(a -> status == null || a.status().equals(status))
            .sorted(Comparator.comparing(Approval::createdAt).reversed()).toList();
    }

    /** The raw records of one approval (for {@code show}). */
    public List<ApprovalRecord> history(String id) {
        List<ApprovalRecord> recs = store.approvalRecords(id);
        if (recs.isEmpty()) {
            throw notFound(id);
        }
        return recs;
    }

    private void append(String id, String kind, int useNo, String actor, ObjectNode body, String prevHash) {
        Instant at = clock.instant();
        String text = CanonicalJson.write(body);
        String hash = CanonicalJson.sha256((prevHash == null ? "" : prevHash) + id + kind + useNo + at + actor + text);
        store.appendApproval(new ApprovalRecord(0, id, kind, useNo, at, actor, text, prevHash, hash));
    }

    private static Approval fold(List<ApprovalRecord> recs) {
        ApprovalRecord req = recs.get(0);
        JsonNode b = parse(req.body());
        String status = "pending";
        String decidedBy = null;
        Instant decidedAt = null;
        String why = null;
        int uses = 0;
        for (ApprovalRecord r : recs) {
            if (r.kind().equals(ApprovalRecord.DECISION)) {
                JsonNode d = parse(r.body());
                status = d.path("decision").asText();
                decidedBy = r.actor();
                decidedAt = r.at();
                why = d.path("reason").asText();
            } else if (r.kind().equals(ApprovalRecord.CONSUMPTION)) {
                uses++;
            } else if (r.kind().equals(ApprovalRecord.RETURN)) {
                uses--;
            }
        }
        int maxUses = b.path("max_uses").asInt(1);
        if (status.equals("approved") && uses >= maxUses) {
            status = "consumed";
        }
        List<String> approvers = new ArrayList<>();
        b.path("approvers").forEach(n -> approvers.add(n.asText()));
        List<String> reasons = new ArrayList<>();
        b.path("reasons").forEach(n -> reasons.add(n.asText()));
        return new Approval(req.approvalId(), req.at(), req.actor(), b.path("scope").asText(),
            b.path("tool_id").asText(), b.path("payload_hash").asText(), b.path("risk").asText(),
            b.path("cost_estimate"), approvers, reasons, status, decidedBy, decidedAt, why, uses, maxUses,
            b.path("envelope"));
    }

    private static JsonNode parse(String s) {
        try {
            return CanonicalJson.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.STORE_ERROR, "approval record is not JSON", null, e);
        }
    }

    private static ClonedException notFound(String id) {
        return new ClonedException(ErrorCode.NOT_FOUND, "no approval " + id, "list them with `cloned approvals list`");
    }
}
