package dev.cloned.runtime.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code audit.sync}: when an append is acknowledged (forced, the default, or written), and what each survives. */
class AuditSyncTest {
    @TempDir
    Path dir;

    private static ObjectNode entry(String who) {
        return AuditEntries.system(Instant.parse("2026-01-01T00:00:00Z"), who, "ws_test0000", "test", null);
    }

    /** Forces that wait until released (all of them, once released); counts them. */
    private static final class HeldForce implements UnaryOperator<AuditSyncer.Force> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger forces = new AtomicInteger();

        @Override
        public AuditSyncer.Force apply(AuditSyncer.Force real) {
            return () -> {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                forces.incrementAndGet();
                real.force();
            };
        }
    }

    @Test
    void should_acknowledge_a_written_entry_before_its_force_and_make_readers_wait_for_the_force() throws Exception {
        Path file = dir.resolve("audit.log");
        HeldForce held = new HeldForce();
        try (AuditLog log = new AuditLog(file, null, AuditSync.WRITTEN, held)) {
            AuditEntry e = log.appendAsync(entry("early")).get(10, TimeUnit.SECONDS);
            assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(held.forces.get()).as("acknowledged while its force is still under way").isZero();
            assertThat(e.seq()).isEqualTo(1);
            assertThat(Files.readString(file)).as("written before it was acknowledged").contains("\"early\"");
            CompletableFuture<Void> flushed = log.flush();
            Thread.sleep(100);
            assertThat(flushed).as("a reader waits for the force").isNotDone();

            held.release.countDown();
            flushed.get(10, TimeUnit.SECONDS);
            assertThat(held.forces.get()).isPositive();
        }
        AuditVerification v = AuditVerifier.verify(file);
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(1);
    }

    @Test
    void should_not_acknowledge_a_forced_entry_before_its_force_returns() throws Exception {
        Path file = dir.resolve("audit.log");
        HeldForce held = new HeldForce();
        try (AuditLog log = new AuditLog(file, null, AuditSync.FORCED, held)) {
            CompletableFuture<AuditEntry> appended = log.appendAsync(entry("late"));
            assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            assertThat(appended).as("the default waits for the disk").isNotDone();

            held.release.countDown();
            assertThat(appended.get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
        }
    }

    @Test
    void should_keep_every_acknowledged_written_entry_when_the_process_is_killed() throws Exception {
        Path file = dir.resolve("audit.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            AuditAppendMain.class.getName(), file.toString(), "1000000", "killed", "written")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && acknowledged < 2000) {
                acknowledged = Long.parseLong(line.trim()); // the seq of the newest acknowledged entry
            }
            p.destroyForcibly(); // SIGKILL mid-run: no shutdown hook, no close, no last force
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        AuditVerification v = AuditVerifier.verify(file);
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(acknowledged).isGreaterThanOrEqualTo(2000);
        assertThat(v.entries()).as("the kernel kept every line written before the kill").isGreaterThanOrEqualTo(acknowledged);
    }

    @Test
    void should_read_the_setting_from_config_and_refuse_an_unknown_value_naming_the_field() throws IOException {
        new WorkspaceInit(Workspace.at(dir), Clock.systemUTC()).run("personal", false);
        Workspace ws = Workspace.at(dir);
        assertThat(ws.config().auditSync()).as("unset: forced").isEqualTo(AuditSync.FORCED);

        String config = Files.readString(ws.configFile());
        Files.writeString(ws.configFile(), config + "audit:\n  sync: written\n");
        assertThat(ws.config().auditSync()).isEqualTo(AuditSync.WRITTEN);
        assertThat(ws.config().toTree().path("audit").path("sync").asText()).as("kept when config is rewritten")
            .isEqualTo("written");

        Files.writeString(ws.configFile(), config + "audit:\n  sync: sometimes\n");
        assertThatThrownBy(ws::config).isInstanceOfSatisfying(ClonedException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.WORKSPACE_INVALID);
            assertThat(e.getMessage()).contains("config.yaml").contains("sync");
        });
    }
}
