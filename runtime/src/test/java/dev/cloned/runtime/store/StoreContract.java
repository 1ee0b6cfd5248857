package dev.cloned.runtime.store;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract every store adapter passes (SQLite now; PostgreSQL runs the same cases). */
abstract class StoreContract {
    private static final Instant WINDOW = Instant.parse("2026-02-01T00:00:00Z");

    protected abstract Store store();

    /** Closes and opens the store again (data must survive). */
    protected abstract Store reopen();

    @Test
    void should_admit_exactly_the_cap_when_64_threads_hammer_one_budget() throws Exception {
        int cap = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            fs.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 40; i++) {
                    if (store().tryReserve("api_requests", WINDOW, 1, cap)) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertThat(admitted.get()).isEqualTo(cap);
        assertThat(store().used("api_requests", WINDOW)).isEqualTo(cap);
    }

    @Test
    void should_refuse_a_reservation_that_would_cross_the_cap() {
        assertThat(store().tryReserve("content_publish", WINDOW, 4, 5)).isTrue();
        assertThat(store().tryReserve("content_publish", WINDOW, 2, 5)).isFalse();
        assertThat(store().tryReserve("content_publish", WINDOW, 1, 5)).isTrue();
        assertThat(store().used("content_publish", WINDOW)).isEqualTo(5);
    }

    @Test
    void should_keep_windows_apart_and_release_without_going_negative() {
        Instant next = Instant.parse("2026-03-01T00:00:00Z");
        store().tryReserve("storage", WINDOW, 10, 10);
        assertThat(store().tryReserve("storage", next, 10, 10)).isTrue();
        store().release("storage", WINDOW, 25);
        assertThat(store().used("storage", WINDOW)).isZero();
        assertThat(store().used("storage", next)).isEqualTo(10);
    }

    @Test
    void should_refuse_a_second_decision_for_one_approval() {
        store().appendApproval(rec("a1", ApprovalRecord.REQUEST, 0, "{\"payload_hash\":\"p1\"}"));
        store().appendApproval(rec("a1", ApprovalRecord.DECISION, 0, "{\"decision\":\"approved\"}"));

        assertThatThrownBy(() -> store().appendApproval(rec("a1", ApprovalRecord.DECISION, 0, "{\"decision\":\"denied\"}")))
            .isInstanceOf(ClonedException.class)
            .satisfies(e -> assertThat(((ClonedException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(store().approvalRecords("a1")).extracting(ApprovalRecord::kind)
            .containsExactly(ApprovalRecord.REQUEST, ApprovalRecord.DECISION);
        assertThat(store().requestsForPayload("p1")).hasSize(1);
    }

    @Test
    void should_keep_data_when_reopened() {
        store().tryReserve("api_requests", WINDOW, 7, 100);
        store().putMeta("k", "v");
        Store again = reopen();
        assertThat(again.used("api_requests", WINDOW)).isEqualTo(7);
        assertThat(again.meta("k")).contains("v");
    }

    @Test
    void should_mirror_audit_rows_once_and_page_them_in_order() {
        List<AuditRow> rows = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            rows.add(new AuditRow(i, "aud_" + i, WINDOW.plusSeconds(i).toString(), "decision", "c" + i, "t", "allow", null, false,
                100L * i, 99));
        }
        assertThat(store().lastAudit()).isEmpty();
        store().mirrorAudit(rows);
        store().mirrorAudit(rows.subList(0, 2));
        assertThat(store().audit(2, 10)).containsExactlyElementsOf(rows.subList(2, 5));
        assertThat(store().auditBetween(WINDOW.plusSeconds(2), WINDOW.plusSeconds(4), "decision", 10))
            .extracting(AuditRow::seq).containsExactly(2L, 3L);
        assertThat(store().lastAudit()).contains(rows.get(4));
        store().clearAudit();
        assertThat(store().lastAudit()).isEmpty();
        assertThat(store().audit(0, 10)).isEmpty();
    }

    private static ApprovalRecord rec(String id, String kind, int use, String body) {
        return new ApprovalRecord(0, id, kind, use, WINDOW, "tester", body, null, "h-" + kind + use);
    }
}
