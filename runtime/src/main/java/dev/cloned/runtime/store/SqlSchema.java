package dev.cloned.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The store's tables, in portable SQL (SQLite and PostgreSQL), created or migrated on open. */
final class SqlSchema {
    static final int VERSION = 2;

    enum Dialect { SQLITE, POSTGRESQL }

    private SqlSchema() {
    }

    static List<String> statements(Dialect d) {
        String autoId = d == Dialect.SQLITE ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
        return List.of(
            "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS budget_usage (category TEXT NOT NULL, window_start BIGINT NOT NULL, "
                + "used BIGINT NOT NULL, PRIMARY KEY (category, window_start))",
            "CREATE TABLE IF NOT EXISTS approval_records (seq " + autoId + ", approval_id TEXT NOT NULL, "
                + "kind TEXT NOT NULL, use_no INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT, payload_hash TEXT, "
                + "body TEXT NOT NULL, prev_hash TEXT, this_hash TEXT NOT NULL, "
                + "UNIQUE (approval_id, kind, use_no))",
            "CREATE INDEX IF NOT EXISTS approval_records_payload ON approval_records (payload_hash)",
            "CREATE TABLE IF NOT EXISTS audit (seq BIGINT PRIMARY KEY, id TEXT NOT NULL, ts TEXT NOT NULL, "
                + "kind TEXT NOT NULL, call_id TEXT, tool_id TEXT, effect TEXT, outcome TEXT, dry_run INTEGER NOT NULL, "
                + "pos BIGINT NOT NULL, len INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts)");
    }

    static void migrate(Connection c, Dialect d) throws SQLException {
        dropLineMirror(c);
        for (String sql : statements(d)) {
            SqliteStore.exec(c, sql);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM meta WHERE k = 'schema_version'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !rs.getString(1).equals(Integer.toString(VERSION))) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO meta (k, v) VALUES ('schema_version', ?) "
                    + "ON CONFLICT (k) DO UPDATE SET v = excluded.v")) {
                    ins.setString(1, Integer.toString(VERSION));
                    ins.executeUpdate();
                }
            }
        }
    }

    /**
     * Version 1 kept a copy of every audit line in the store; version 2 keeps only its position in {@code audit.log}.
     * The old table is dropped: the audit log re-indexes itself from the log when it opens (the log is the record).
     */
    private static void dropLineMirror(Connection c) throws SQLException {
        boolean hasLine = false;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM audit WHERE 1 = 0")) {
            java.sql.ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                hasLine |= md.getColumnName(i).equalsIgnoreCase("line");
            }
        } catch (SQLException noTable) {
            return;
        }
        if (hasLine) {
            SqliteStore.exec(c, "DROP TABLE audit");
        }
    }
}
