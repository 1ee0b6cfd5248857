package dev.cloned.runtime.store;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded store: one SQLite file in WAL mode through sqlite-jdbc. One connection, serialized by this object;
 * other processes on the same file are serialized by SQLite's own locking (busy timeout), and every write that must be
 * exact is a single conditional statement, so it stays exact across processes.
 */
public final class SqliteStore implements Store {
    private final Connection conn;

    private SqliteStore(Connection conn) {
        this.conn = conn;
    }

    /** Opens (and creates or migrates) the store at {@code file}. */
    public static SqliteStore open(Path file) {
        try {
            // SQLite gives the -wal and -shm files the database file's permissions: owner only, like the rest
            dev.cloned.runtime.files.AtomicFiles.createPrivate(file);
        } catch (java.io.IOException e) {
            throw new ClonedException(ErrorCode.STORE_ERROR, "cannot create state store " + file + ": " + e.getMessage(),
                "check that the workspace is writable; `cloned doctor` can help", e);
        }
        try {
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
            cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            cfg.setBusyTimeout(30_000);
            cfg.enforceForeignKeys(true);
            Connection c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            SqlSchema.migrate(c, SqlSchema.Dialect.SQLITE);
            return new SqliteStore(c);
        } catch (SQLException e) {
            throw new ClonedException(ErrorCode.STORE_ERROR, "cannot open state store " + file + ": " + e.getMessage(),
                "check that the workspace is writable; `cloned doctor` can help", e);
        }
    }

    @Override
    public synchronized boolean tryReserve(String category, Instant windowStart, long amount, long cap) {
        return SqlOps.tryReserve(conn, category, windowStart, amount, cap);
    }

    @Override
    public synchronized void release(String category, Instant windowStart, long amount) {
        SqlOps.release(conn, category, windowStart, amount);
    }

    @Override
    public synchronized long used(String category, Instant windowStart) {
        return SqlOps.used(conn, category, windowStart);
    }

    @Override
    public synchronized void appendApproval(ApprovalRecord r) {
        SqlOps.appendApproval(conn, r);
    }

    @Override
    public synchronized List<ApprovalRecord> approvalRecords(String approvalId) {
        return SqlOps.approvals(conn, "WHERE approval_id = ?", approvalId);
    }

    @Override
    public synchronized List<ApprovalRecord> allApprovalRecords() {
        return SqlOps.approvals(conn, "", null);
    }

    @Override
    public synchronized List<ApprovalRecord> requestsForPayload(String payloadHash) {
        return SqlOps.approvals(conn, "WHERE kind = 'request' AND payload_hash = ?", payloadHash);
    }

    @Override
    public synchronized void mirrorAudit(List<AuditRow> rows) {
        SqlOps.mirrorAudit(conn, rows);
    }

    @Override
    public synchronized Optional<AuditRow> lastAudit() {
        return SqlOps.lastAudit(conn);
    }

    @Override
    public synchronized void clearAudit() {
        SqlOps.clearAudit(conn);
    }

    @Override
    public synchronized List<AuditRow> audit(long afterSeq, int limit) {
        return SqlOps.audit(conn, afterSeq, limit);
    }

    @Override
    public synchronized List<AuditRow> auditBetween(Instant since, Instant until, String kind, int limit) {
        return SqlOps.auditBetween(conn, since, until, kind, limit);
    }

    @Override
    public synchronized Optional<String> meta(String key) {
        return SqlOps.meta(conn, key);
    }

    @Override
    public synchronized void putMeta(String key, String value) {
        SqlOps.putMeta(conn, key, value);
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw new ClonedException(ErrorCode.STORE_ERROR, "cannot close state store: " + e.getMessage());
        }
    }

    /** Runs a statement (used by doctor-style checks and tests). */
    synchronized List<String> pragma(String sql) {
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw SqlOps.failure("pragma", e);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
