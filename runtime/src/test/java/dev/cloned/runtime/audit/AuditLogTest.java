package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTest {
    private static final Instant SAME_MILLISECOND = Instant.parse("2026-01-01T00:00:00.123Z");

    @TempDir
    Path dir;

    private static ObjectNode entry(String who) {
        return AuditEntries.system(SAME_MILLISECOND, who, "ws_test0000", "test", null);
    }

    private Path write(int n) {
        Path log = dir.resolve("audit.log");
        try (AuditLog a = new AuditLog(log, null)) {
            for (int i = 0; i < n; i++) {
                a.append(entry("actor-" + i));
            }
        }
        return log;
    }

    @Test
    void should_verify_when_ten_thousand_entries_share_one_millisecond_and_come_from_many_threads() throws Exception {
        Path log = dir.resolve("audit.log");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (AuditLog a = new AuditLog(log, null)) {
            List<CompletableFuture<AuditEntry>> all = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                int k = i;
                all.add(CompletableFuture.supplyAsync(() -> a.append(entry("t" + k)), pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
        AuditVerification v = AuditVerifier.verify(log);
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(10_000);
    }

    @Test
    void should_name_the_line_when_one_byte_of_an_entry_changes() throws IOException {
        Path log = write(5);
        List<String> lines = Files.readAllLines(log);
        lines.set(2, lines.get(2).replace("actor-2", "actor-X"));
        Files.write(log, lines);

        AuditVerification v = AuditVerifier.verify(log);

        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(3);
        assertThat(v.problem()).contains("modified");
    }

    @Test
    void should_fail_when_a_line_is_removed() throws IOException {
        Path log = write(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.remove(1);
        Files.write(log, lines);

        AuditVerification v = AuditVerifier.verify(log);

        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(2);
    }

    @Test
    void should_fail_when_lines_are_reordered() throws IOException {
        Path log = write(5);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        Collections.swap(lines, 3, 4);
        Files.write(log, lines);

        AuditVerification v = AuditVerifier.verify(log);

        assertThat(v.ok()).isFalse();
        assertThat(v.badLine()).isEqualTo(4);
    }

    @Test
    void should_fail_when_the_last_line_is_cut() throws IOException {
        Path log = write(3);
        byte[] b = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(b, b.length - 10));

        assertThat(AuditVerifier.verify(log).badLine()).isEqualTo(3);
    }

    @Test
    void should_drop_a_torn_tail_and_continue_the_chain_when_reopened_after_a_crash() throws IOException {
        Path log = write(3);
        Files.write(log, "{\"seq\":4,\"half".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);

        try (AuditLog a = new AuditLog(log, null)) {
            AuditEntry e = a.append(entry("after-crash"));
            assertThat(e.seq()).isEqualTo(4);
        }

        AuditVerification v = AuditVerifier.verify(log);
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(4);
    }

    @Test
    void should_extend_one_chain_when_two_processes_append_to_the_same_log() throws Exception {
        Path log = dir.resolve("audit.log");
        Process a = spawn(log, "proc-a");
        Process b = spawn(log, "proc-b");
        assertThat(a.waitFor()).isZero();
        assertThat(b.waitFor()).isZero();

        AuditVerification v = AuditVerifier.verify(log);

        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(1000);
        String text = Files.readString(log);
        assertThat(text).contains("proc-a").contains("proc-b");
    }

    @Test
    void should_extend_one_chain_when_two_logs_of_one_process_append_to_the_same_file() throws Exception {
        Path log = dir.resolve("audit.log");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (AuditLog a = new AuditLog(log, null); AuditLog b = new AuditLog(dir.resolve(".").resolve("audit.log"), null)) {
            List<CompletableFuture<AuditEntry>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                AuditLog to = i % 2 == 0 ? a : b;
                int k = i;
                all.add(CompletableFuture.supplyAsync(() -> to.append(entry((to == a ? "a-" : "b-") + k)), pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }

        AuditVerification v = AuditVerifier.verify(log);
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(2000);
    }

    private static Process spawn(Path log, String who) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            AuditAppendMain.class.getName(), log.toString(), "500", who)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
