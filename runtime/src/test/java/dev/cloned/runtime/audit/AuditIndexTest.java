package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.store.AuditRow;
import dev.cloned.runtime.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store indexes audit entries by position; lines are read back from the log, and the index follows the log. */
class AuditIndexTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("audit.log");
    }

    private static ObjectNode entry(int i) {
        return AuditEntries.system(AT.plusSeconds(i), "actor-" + i, "ws_test0000", "test.event", null);
    }

    private static void append(AuditLog a, int from, int to) {
        for (int i = from; i < to; i++) {
            a.append(entry(i));
        }
    }

    /** Every line of the log, by the index: the rows' lines are exactly the file's lines, in order. */
    private void assertIndexMatchesLog(SqliteStore store) throws Exception {
        List<String> fileLines = Files.readAllLines(log());
        List<AuditRow> rows = store.audit(0, Integer.MAX_VALUE);
        assertThat(rows).extracting(AuditRow::seq).containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(1, fileLines.size()).boxed().toList());
        assertThat(AuditLines.read(log(), rows)).containsExactlyElementsOf(fileLines);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode line = CanonicalJson.MAPPER.readTree(fileLines.get(i));
            assertThat(rows.get(i).id()).isEqualTo(line.get("id").asText());
            assertThat(rows.get(i).at()).isEqualTo(line.get("timestamp").asText());
            assertThat(rows.get(i).kind()).isEqualTo(line.get("kind").asText());
        }
    }

    @Test
    void should_index_appended_entries_by_position_and_read_their_lines_back_from_the_log() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
             AuditLog a = new AuditLog(log(), store)) {
            append(a, 0, 300);
            a.awaitFlushed();
            assertIndexMatchesLog(store);
            List<AuditRow> some = List.of(store.audit(9, 1).get(0), store.audit(199, 1).get(0), store.audit(299, 1).get(0));
            assertThat(AuditLines.read(log(), some)).extracting(l -> CanonicalJson.MAPPER.readTree(l).get("seq").asLong())
                .containsExactly(10L, 200L, 300L);
        }
    }

    @Test
    void should_index_entries_written_while_no_store_was_attached_when_the_log_is_opened_again() throws Exception {
        try (AuditLog a = new AuditLog(log(), null)) { // e.g. the index write failed, or another process stopped
            append(a, 0, 50);
        }
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
            try (AuditLog a = new AuditLog(log(), store)) {
                append(a, 50, 60);
                a.awaitFlushed();
                assertIndexMatchesLog(store);
            }
            try (AuditLog a = new AuditLog(log(), null)) {
                append(a, 60, 75);
            }
            try (AuditLog a = new AuditLog(log(), store)) {
                a.awaitFlushed();
                assertIndexMatchesLog(store);
            }
        }
    }

    @Test
    void should_refuse_entries_when_the_log_was_replaced_until_an_explicit_reindex_accepts_it() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
            try (AuditLog a = new AuditLog(log(), store)) {
                append(a, 0, 20);
                a.awaitFlushed();
            }
            List<AuditRow> before = store.audit(0, 100);
            Path other = dir.resolve("other.log"); // a different history in its place, e.g. a restored backup
            try (AuditLog b = new AuditLog(other, null)) {
                for (int i = 0; i < 12; i++) {
                    b.append(AuditEntries.system(AT, "someone-else-with-a-longer-name-" + i, "ws_test0000", "x", null));
                }
            }
            Files.move(other, log(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            assertThatThrownBy(() -> AuditLines.read(log(), before.subList(3, 4)))
                .isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_BROKEN);
                    assertThat(e.getMessage()).contains("entry 4").contains(log().toString());
                });
            try (AuditLog a = new AuditLog(log(), store)) {
                assertThat(a.refusal()).get().asString().contains("does not hold entry 20").contains(log().toString());
                assertThatThrownBy(() -> a.append(entry(99))).isInstanceOfSatisfying(ClonedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
                    assertThat(e.hint()).contains("cloned audit reindex");
                });
                a.awaitFlushed();
                assertThat(store.audit(0, 100)).isEqualTo(before); // the evidence is kept, not re-indexed away
                assertThat(Files.readAllLines(log())).hasSize(12);

                AuditLog.Reindexed r = a.reindex();
                assertThat(r.indexed()).isEqualTo(12);
                assertThat(r.refusal()).contains("does not hold entry 20");
                assertThat(a.refusal()).isEmpty();
                assertThat(a.append(entry(100)).seq()).isEqualTo(13); // the chain continues the log as it is
                a.awaitFlushed();
                assertIndexMatchesLog(store);
            }
            assertThat(AuditVerifier.verify(log(), store).ok()).isTrue();
        }
    }

    @Test
    void should_refuse_and_fail_verification_when_lines_were_cut_from_the_end_or_the_log_deleted() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
            try (AuditLog a = new AuditLog(log(), store)) {
                append(a, 0, 10);
                a.awaitFlushed();
            }
            List<String> lines = Files.readAllLines(log());
            Files.write(log(), lines.subList(0, 7)); // the last three lines removed: the chain itself still verifies
            assertThat(AuditVerifier.verify(log()).ok()).isTrue();
            AuditVerification cut = AuditVerifier.verify(log(), store);
            assertThat(cut.ok()).isFalse();
            assertThat(cut.entries()).isEqualTo(7);
            assertThat(cut.badLine()).isEqualTo(8);
            assertThat(cut.problem()).contains("does not hold entry 10").contains("removed from the end");
            try (AuditLog a = new AuditLog(log(), store)) {
                assertThatThrownBy(() -> a.append(entry(50))).isInstanceOf(ClonedException.class);
            }
            assertThat(Files.readAllLines(log())).hasSize(7); // nothing appended to a log that lost its end

            Files.delete(log());
            AuditVerification gone = AuditVerifier.verify(log(), store);
            assertThat(gone.ok()).isFalse();
            assertThat(gone.problem()).contains("is missing").contains("up to seq 10");
            try (AuditLog a = new AuditLog(log(), store)) {
                assertThat(a.refusal()).isPresent();
                assertThatThrownBy(() -> a.append(entry(51))).isInstanceOf(ClonedException.class);
            }
            assertThat(log()).doesNotExist(); // a fresh chain is not started silently in its place
        }
    }

    @Test
    void should_refuse_entries_when_the_log_shrinks_while_it_is_open() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
             AuditLog a = new AuditLog(log(), store)) {
            append(a, 0, 10);
            List<String> lines = Files.readAllLines(log());
            Files.write(log(), lines.subList(0, 7));
            assertThatThrownBy(() -> a.append(entry(10))).isInstanceOfSatisfying(ClonedException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE);
                assertThat(e.getMessage()).contains("shrank");
            });
            assertThatThrownBy(() -> a.append(entry(11))).isInstanceOf(ClonedException.class);
            assertThat(Files.readAllLines(log())).hasSize(7);
            assertThat(a.refusal()).get().asString().contains("shrank");
        }
    }

    @Test
    void should_take_entries_again_once_another_process_reindexed_the_log() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
             AuditLog serving = new AuditLog(log(), store)) {
            append(serving, 0, 10);
            serving.awaitFlushed();
            List<String> lines = Files.readAllLines(log());
            Files.write(log(), lines.subList(0, 6));
            assertThatThrownBy(() -> serving.append(entry(10))).isInstanceOf(ClonedException.class);

            try (SqliteStore other = SqliteStore.open(dir.resolve("state.db")); // `cloned audit reindex`, its own process
                 AuditLog cli = new AuditLog(log(), other)) {
                assertThat(cli.refusal()).isPresent();
                cli.reindex();
                cli.append(entry(11));
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            AuditEntry e = null;
            while (e == null) { // the serving log looks at the index again at most once a second
                try {
                    e = serving.append(entry(12));
                } catch (ClonedException refused) {
                    assertThat(System.nanoTime()).as("never took entries again").isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
            assertThat(e.seq()).isEqualTo(8); // 6 kept, the reindexing process's entry, then this one
            serving.awaitFlushed();
            assertThat(AuditVerifier.verify(log(), store).ok()).isTrue();
            assertIndexMatchesLog(store);
        }
    }

    /** A log of 8 entries and a {@code state.db} of an older layout: its audit table and one (stale) row. */
    private Path legacyStore(int version, String columns, String row) throws Exception {
        try (AuditLog a = new AuditLog(log(), null)) {
            append(a, 0, 8);
        }
        Path db = dir.resolve("state.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
            st.execute("INSERT INTO meta (k, v) VALUES ('schema_version', '" + version + "')");
            st.execute("CREATE TABLE audit (seq BIGINT PRIMARY KEY, id TEXT NOT NULL, ts TEXT NOT NULL, kind TEXT NOT NULL, "
                + "call_id TEXT, tool_id TEXT, effect TEXT, outcome TEXT, dry_run INTEGER NOT NULL, " + columns + ")");
            st.execute("INSERT INTO audit VALUES (1, 'aud_x', '2026-03-01T10:00:00Z', 'system', NULL, NULL, NULL, NULL, 0, "
                + row + ")");
        }
        return db;
    }

    /** Opening it migrates to the current layout, and the index is rebuilt from the log, line for line. */
    private void assertRebuiltFromTheLog(Path db) throws Exception {
        try (SqliteStore store = SqliteStore.open(db)) {
            assertThat(store.meta("schema_version")).contains("3");
            try (AuditLog a = new AuditLog(log(), store)) {
                a.awaitFlushed();
                assertIndexMatchesLog(store);
                assertThat(store.audit(0, 100)).hasSize(8);
            }
        }
    }

    @Test
    void should_drop_a_version_1_mirror_that_copied_lines_and_rebuild_it_from_the_log() throws Exception {
        assertRebuiltFromTheLog(legacyStore(1, "line TEXT NOT NULL", "'{}'"));
    }

    @Test
    void should_rebuild_a_version_2_index_keyed_beside_the_rowid_with_seq_as_the_rowid() throws Exception {
        Path db = legacyStore(2, "pos BIGINT NOT NULL, len INTEGER NOT NULL", "0, 2");
        assertRebuiltFromTheLog(db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT type FROM pragma_table_info('audit') WHERE name = 'seq'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("INTEGER");
        }
        try (SqliteStore store = SqliteStore.open(db)) { // a current index is kept as it is
            assertThat(store.audit(0, 100)).hasSize(8);
        }
    }

    @Test
    void should_read_lines_in_the_order_asked_even_when_they_are_far_apart() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
             AuditLog a = new AuditLog(log(), store)) {
            for (int i = 0; i < 400; i++) { // ~100 KB of padding between wanted lines
                ObjectNode e = entry(i);
                e.put("padding", "p".repeat(i % 100 == 0 ? 10 : 300));
                a.append(e);
            }
            a.awaitFlushed();
            List<AuditRow> wanted = new ArrayList<>();
            for (long seq : new long[] {400, 1, 350, 2, 3, 100}) {
                wanted.add(store.audit(seq - 1, 1).get(0));
            }
            assertThat(AuditLines.read(log(), wanted)).extracting(l -> CanonicalJson.MAPPER.readTree(l).get("seq").asLong())
                .containsExactly(400L, 1L, 350L, 2L, 3L, 100L);
        }
    }

    @Test
    void should_index_every_entry_when_the_backlog_outgrows_one_index_transaction() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (SqliteStore real = SqliteStore.open(dir.resolve("state.db"))) {
            // The first index write waits, so the writer's batches pile up far beyond one transaction's rows.
            dev.cloned.runtime.store.Store slow = (dev.cloned.runtime.store.Store) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {dev.cloned.runtime.store.Store.class}, (proxy, m, args) -> {
                    if (m.getName().equals("mirrorAudit") && first.getAndSet(false)) {
                        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
            try (AuditLog a = new AuditLog(log(), slow)) {
                List<java.util.concurrent.CompletableFuture<AuditEntry>> appended = new ArrayList<>();
                for (int i = 0; i < 40_000; i++) {
                    appended.add(a.appendAsync(entry(i)));
                }
                java.util.concurrent.CompletableFuture.allOf(appended.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
                release.countDown();
                a.awaitFlushed();
                assertIndexMatchesLog(real);
            }
        }
    }
}
