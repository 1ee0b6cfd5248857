package dev.cloned.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The store's tables, in portable SQL (SQLite and PostgreSQL), created or migrated on open. */
final class SqlSchema {
    static final int VERSION = 3;

    enum Dialect { SQLITE, POSTGRESQL }

    private SqlSchema() {
    }

    static List<String> statements(Dialect d) {
        String autoId = d == Dialect.SQLITE ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
        // SQLite: INTEGER PRIMARY KEY makes seq the rowid (64-bit), so an index row is one b-tree insert, not two
        String seqKey = d == Dialect.SQLITE ? "INTEGER PRIMARY KEY" : "BIGINT PRIMARY KEY";
        return List.of(
            "CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS budget_usage (category TEXT NOT NULL, window_start BIGINT NOT NULL, "
                + "used BIGINT NOT NULL, PRIMARY KEY (category, window_start))",
            "CREATE TABLE IF NOT EXISTS approval_records (seq " + autoId + ", approval_id TEXT NOT NULL, "
                + "kind TEXT NOT NULL, use_no INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT, payload_hash TEXT, "
                + "body TEXT NOT NULL, prev_hash TEXT, this_hash TEXT NOT NULL, "
                + "UNIQUE (approval_id, kind, use_no))",
            "CREATE INDEX IF NOT EXISTS approval_records_payload ON approval_records (payload_hash)",
            "CREATE TABLE IF NOT EXISTS audit (seq " + seqKey + ", id TEXT NOT NULL, ts TEXT NOT NULL, "
                + "kind TEXT NOT NULL, call_id TEXT, tool_id TEXT, effect TEXT, outcome TEXT, dry_run INTEGER NOT NULL, "
                + "pos BIGINT NOT NULL, len INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS audit_ts ON audit (ts)");
    }

    static void migrate(Connection c, Dialect d) throws SQLException {
        dropOutdatedAuditIndex(c, d);
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
     * The audit table is derived data: the audit log re-indexes itself from {@code audit.log} when it opens (the log is
     * the record). So an outdated table is dropped, not converted: version 1 kept a copy of every line ({@code line});
     * in SQLite, version 2 keyed it by a {@code BIGINT} primary key, a second b-tree beside the rowid.
     */
    private static void dropOutdatedAuditIndex(Connection c, Dialect d) throws SQLException {
        boolean outdated = false;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM audit WHERE 1 = 0")) {
            java.sql.ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                outdated |= md.getColumnName(i).equalsIgnoreCase("line");
            }
        } catch (SQLException noTable) {
            return;
        }
        if (d == Dialect.SQLITE && !outdated) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT type FROM pragma_table_info('audit') WHERE name = 'seq' AND pk = 1")) {
                outdated = !rs.next() || !rs.getString(1).equalsIgnoreCase("INTEGER");
            }
        }
        if (outdated) {
            SqliteStore.exec(c, "DROP TABLE audit");
        }
    }
}
