package dev.cloned.runtime.approval;

import dev.cloned.error.ClonedException;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.store.ApprovalRecord;
import dev.cloned.runtime.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalsTest {
    @TempDir
    Path dir;
    SqliteStore store;
    Approvals approvals;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
        approvals = new Approvals(store, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Approval request(String payload) {
        return approvals.request(new Approvals.Request("agent", "tool_call", "x@v1", payload, "high",
            CanonicalJson.MAPPER.createObjectNode(), List.of("owner"), List.of("risk high"), 1,
            CanonicalJson.MAPPER.createObjectNode()));
    }

    @Test
    void should_append_a_decision_chained_to_the_request_and_never_update() {
        Approval a = request("p1");
        approvals.approve(a.id(), "alice", "ok");

        List<ApprovalRecord> h = approvals.history(a.id());
        assertThat(h).extracting(ApprovalRecord::kind).containsExactly("request", "decision");
        assertThat(h.get(1).prevHash()).isEqualTo(h.get(0).thisHash());
        assertThat(approvals.find(a.id()).orElseThrow().status()).isEqualTo("approved");
        assertThatThrownBy(() -> approvals.deny(a.id(), "bob", "changed my mind")).isInstanceOf(ClonedException.class)
            .hasMessageContaining("already approved");
    }

    @Test
    void should_grant_exactly_one_use_when_many_threads_race_for_it() throws Exception {
        Approval a = request("p2");
        approvals.approve(a.id(), "alice", "ok");
        assertThat(race(a.id(), "p2", 32)).isEqualTo(1);
        assertThat(approvals.find(a.id()).orElseThrow().status()).isEqualTo("consumed");
    }

    @Test
    void should_grant_the_use_again_once_after_the_call_that_took_it_gave_it_back() throws Exception {
        Approval a = request("p4");
        approvals.approve(a.id(), "alice", "ok");
        assertThat(approvals.consume(a.id(), "p4", "c1")).isTrue();
        assertThat(approvals.find(a.id()).orElseThrow().status()).isEqualTo("consumed");

        assertThat(approvals.giveBack(a.id(), "c-other", "never took it")).isFalse();
        assertThat(approvals.giveBack(a.id(), "c1", "secret_not_found")).isTrue();
        assertThat(approvals.giveBack(a.id(), "c1", "twice")).as("a use is given back once").isFalse();
        assertThat(approvals.find(a.id()).orElseThrow().status()).isEqualTo("approved");

        assertThat(race(a.id(), "p4", 16)).as("the returned use is granted exactly once more").isEqualTo(1);
        assertThat(approvals.find(a.id()).orElseThrow().status()).isEqualTo("consumed");
        assertThat(approvals.history(a.id())).extracting(r -> r.kind() + " " + r.useNo())
            .containsExactly("request 0", "decision 0", "consumption 1", "return 1", "consumption 2");
    }

    /** {@code callers} threads try to use approval {@code id} at once; returns how many were granted a use. */
    private int race(String id, String payload, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(callers, 16));
        AtomicInteger wins = new AtomicInteger();
        List<Future<?>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String callId = "call-" + i;
            fs.add(pool.submit(() -> {
                if (approvals.consume(id, payload, callId)) {
                    wins.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return wins.get();
    }

    @Test
    void should_not_unlock_a_different_payload() {
        Approval a = request("p3");
        approvals.approve(a.id(), "alice", "ok");
        assertThat(approvals.consume(a.id(), "other-payload", "c1")).isFalse();
        assertThat(approvals.consume(a.id(), "p3", "c2")).isTrue();
    }
}
