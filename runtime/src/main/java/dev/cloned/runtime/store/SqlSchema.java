package dev.cloned.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The store's tables, in portable SQL (SQLite and PostgreSQL), created or migrated on open. */
final class SqlSchema {
    static final int VERSION = 1;

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
                + "line TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts)");
    }

    static void migrate(Connection c, Dialect d) throws SQLException {
        for (String sql : statements(d)) {
            SqliteStore.exec(c, sql);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM meta WHERE k = 'schema_version'");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO meta (k, v) VALUES ('schema_version', ?) ON CONFLICT (k) DO NOTHING")) {
                    ins.setString(1, Integer.toString(VERSION));
                    ins.executeUpdate();
                }
            }
        }
    }
}
