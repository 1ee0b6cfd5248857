package dev.cloned.runtime.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The store's statements over JDBC, written once in portable SQL. */
final class SqlOps {
    private SqlOps() {
    }

    static boolean tryReserve(Connection c, String category, Instant windowStart, long amount, long cap) {
        try {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO budget_usage (category, window_start, used) "
                + "VALUES (?, ?, 0) ON CONFLICT (category, window_start) DO NOTHING")) {
                ins.setString(1, category);
                ins.setLong(2, windowStart.getEpochSecond());
                ins.executeUpdate();
            }
            // One conditional statement: exact under concurrency in one process and across processes.
            try (PreparedStatement up = c.prepareStatement("UPDATE budget_usage SET used = used + ? "
                + "WHERE category = ? AND window_start = ? AND used + ? <= ?")) {
                up.setLong(1, amount);
                up.setString(2, category);
                up.setLong(3, windowStart.getEpochSecond());
                up.setLong(4, amount);
                up.setLong(5, cap);
                return up.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw failure("reserve budget " + category, e);
        }
    }

    static void release(Connection c, String category, Instant windowStart, long amount) {
        try (PreparedStatement up = c.prepareStatement("UPDATE budget_usage SET used = CASE WHEN used >= ? "
            + "THEN used - ? ELSE 0 END WHERE category = ? AND window_start = ?")) {
            up.setLong(1, amount);
            up.setLong(2, amount);
            up.setString(3, category);
            up.setLong(4, windowStart.getEpochSecond());
            up.executeUpdate();
        } catch (SQLException e) {
            throw failure("release budget " + category, e);
        }
    }

    static long used(Connection c, String category, Instant windowStart) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT used FROM budget_usage WHERE category = ? AND window_start = ?")) {
            ps.setString(1, category);
            ps.setLong(2, windowStart.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("read budget " + category, e);
        }
    }

    static void appendApproval(Connection c, ApprovalRecord r) {
        String payloadHash = payloadHashOf(r);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approval_records (approval_id, kind, use_no, at, "
            + "actor, payload_hash, body, prev_hash, this_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (approval_id, kind, use_no) DO NOTHING")) {
            ps.setString(1, r.approvalId());
            ps.setString(2, r.kind());
            ps.setInt(3, r.useNo());
            ps.setString(4, r.at().toString());
            ps.setString(5, r.actor());
            ps.setString(6, payloadHash);
            ps.setString(7, r.body());
            ps.setString(8, r.prevHash());
            ps.setString(9, r.thisHash());
            if (ps.executeUpdate() == 0) {
                throw new ClonedException(ErrorCode.CONFLICT, "approval " + r.approvalId() + " already has a "
                    + r.kind() + (r.kind().equals(ApprovalRecord.CONSUMPTION) ? " #" + r.useNo() : ""),
                    "list its history with `cloned approvals show " + r.approvalId() + "`");
            }
        } catch (SQLException e) {
            throw failure("append approval record", e);
        }
    }

    private static String payloadHashOf(ApprovalRecord r) {
        if (!r.kind().equals(ApprovalRecord.REQUEST)) {
            return null;
        }
        try {
            JsonNode n = CanonicalJson.MAPPER.readTree(r.body());
            return n.path("payload_hash").asText(null);
        } catch (java.io.IOException e) {
            throw new ClonedException(ErrorCode.INTERNAL, "approval body is not JSON", null, e);
        }
    }

    static List<ApprovalRecord> approvals(Connection c, String where, String arg) {
        String sql = "SELECT seq, approval_id, kind, use_no, at, actor, body, prev_hash, this_hash FROM approval_records "
            + where + " ORDER BY seq";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            List<ApprovalRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApprovalRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        Instant.parse(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read approvals", e);
        }
    }

    static void mirrorAudit(Connection c, List<AuditRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        boolean auto;
        try {
            auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (seq, id, ts, kind, call_id, tool_id, "
                + "effect, outcome, dry_run, pos, len) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (seq) DO NOTHING")) {
                for (AuditRow r : rows) {
                    ps.setLong(1, r.seq());
                    ps.setString(2, r.id());
                    ps.setString(3, r.at());
                    ps.setString(4, r.kind());
                    ps.setString(5, r.callId());
                    ps.setString(6, r.toolId());
                    ps.setString(7, r.effect());
                    ps.setString(8, r.outcome());
                    ps.setInt(9, r.dryRun() ? 1 : 0);
                    ps.setLong(10, r.pos());
                    ps.setInt(11, r.len());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure("mirror audit", e);
        }
    }

    static List<AuditRow> audit(Connection c, long afterSeq, int limit) {
        return auditQuery(c, "SELECT " + AUDIT_COLUMNS + " FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", ps -> {
                ps.setLong(1, afterSeq);
                ps.setInt(2, limit);
            });
    }

    static List<AuditRow> auditBetween(Connection c, Instant since, Instant until, String kind, int limit) {
        return auditQuery(c, "SELECT " + AUDIT_COLUMNS + " FROM audit "
            + "WHERE ts >= ? AND ts < ? AND (? IS NULL OR kind = ?) ORDER BY seq LIMIT ?", ps -> {
                ps.setString(1, since == null ? "" : since.toString());
                ps.setString(2, until == null ? "~" : until.toString());
                ps.setString(3, kind);
                ps.setString(4, kind);
                ps.setInt(5, limit);
            });
    }

    private static final String AUDIT_COLUMNS = "seq, id, ts, kind, call_id, tool_id, effect, outcome, dry_run, pos, len";

    static Optional<AuditRow> lastAudit(Connection c) {
        List<AuditRow> rows = auditQuery(c, "SELECT " + AUDIT_COLUMNS + " FROM audit ORDER BY seq DESC LIMIT 1",
            ps -> { });
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static void clearAudit(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit")) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("clear the audit index", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<AuditRow> auditQuery(Connection c, String sql, Binder binder) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<AuditRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getInt(9) == 1, rs.getLong(10), rs.getInt(11)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read audit", e);
        }
    }

    static Optional<String> meta(Connection c, String key) {
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM meta WHERE k = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read meta", e);
        }
    }

    static void putMeta(Connection c, String key, String value) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("write meta", e);
        }
    }

    static ClonedException failure(String what, SQLException e) {
        return new ClonedException(ErrorCode.STORE_ERROR, "state store failed to " + what + ": " + e.getMessage(),
            "run `cloned doctor`", e);
    }
}
