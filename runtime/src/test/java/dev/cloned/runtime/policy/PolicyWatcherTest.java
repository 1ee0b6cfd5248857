package dev.cloned.runtime.policy;

import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyWatcherTest {
    private static final CallFacts FETCH = new CallFacts("cloned.internal.fetch@v1", true, "cloned.internal",
        "cloned.official", List.of("web.fetch"), "low", "api_requests", 1L, "api.example.com", "test",
        Instant.parse("2026-03-02T10:00:00Z"), false);

    @TempDir
    Path root;
    Workspace ws;
    ActivePolicy policy;
    PolicyWatcher watcher;
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void serve() {
        ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        policy = new ActivePolicy(ws, Clock.systemUTC());
        policy.current();
        policy.addListener(new PolicyListener() {
            @Override
            public void activated(ActivePolicy.Activation a) {
                events.add(a);
            }

            @Override
            public void rejected(ActivePolicy.Rejection r) {
                events.add(r);
            }
        });
        watcher = PolicyWatcher.forWorkspace(policy, Duration.ofMillis(50)).start();
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    private Object next() throws InterruptedException {
        Object e = events.poll(60, TimeUnit.SECONDS);
        assertThat(e).as("the watcher reported a reload").isNotNull();
        return e;
    }

    @Test
    void should_swap_in_the_new_snapshot_when_the_overlay_file_changes() throws Exception {
        PolicyEngine before = policy.current();
        assertThat(before.decide(FETCH, List.of()).effect()).isEqualTo(Effect.DENY);

        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  egress_domains: [api.example.com]\n");

        ActivePolicy.Activation a = (ActivePolicy.Activation) next();
        assertThat(a.previousHash()).isEqualTo(before.hash());
        assertThat(policy.current().hash()).isEqualTo(a.hash()).isNotEqualTo(before.hash());
        assertThat(policy.current().decide(FETCH, List.of()).effect()).isEqualTo(Effect.ALLOW);
        assertThat(before.decide(FETCH, List.of()).effect()).as("an old snapshot never changes").isEqualTo(Effect.DENY);
        assertThat(PolicyStatus.read(ws).active().hash()).isEqualTo(a.hash());
    }

    @Test
    void should_keep_the_old_snapshot_and_report_file_and_line_when_a_rule_file_is_broken() throws Exception {
        PolicyEngine before = policy.current();

        Files.writeString(ws.policyDir().resolve("custom.drl"), """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall

            rule "broken"
            when
                $c : ToolCall( nosuchfield == 1 )
            then
            end
            """);

        ActivePolicy.Rejection r = (ActivePolicy.Rejection) next();
        assertThat(r.error()).contains("custom.drl:6");
        assertThat(policy.current()).isSameAs(before);
        PolicyStatus status = PolicyStatus.read(ws);
        assertThat(status.lastRejection().error()).contains("custom.drl:6");
        assertThat(status.rejectionPending()).isTrue();

        Files.delete(ws.policyDir().resolve("custom.drl"));
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  egress_domains: [api.example.com]\n");
        Object after = next();
        assertThat(after).isInstanceOf(ActivePolicy.Activation.class);
        assertThat(PolicyStatus.read(ws).rejectionPending()).isFalse();
    }

    @Test
    void should_let_a_reload_in_progress_finish_before_close_returns() throws Exception {
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        policy.addListener(new PolicyListener() {
            @Override
            public void activated(ActivePolicy.Activation a) {
                inListener.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void rejected(ActivePolicy.Rejection r) {
            }
        });
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"),
            "allowlists:\n  egress_domains: [api.example.com]\n");
        assertThat(inListener.await(60, TimeUnit.SECONDS)).as("a reload reached the listeners").isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(watcher::close);
        assertThatThrownBy(() -> closing.get(300, TimeUnit.MILLISECONDS))
            .as("close waits for the reload that is running").isInstanceOf(TimeoutException.class);
        release.countDown();
        closing.get(60, TimeUnit.SECONDS);
        assertThat(policy.current().decide(FETCH, List.of()).effect()).isEqualTo(Effect.ALLOW);
    }

    @Test
    void should_report_nothing_when_a_reload_finds_no_change() throws Exception {
        Files.writeString(ws.policyDir().resolve(".custom.drl.swp"), "garbage");
        Files.writeString(ws.policyDir().resolve("notes.txt"), "garbage");
        watcher.reloadNow().join(); // a reload with nothing changed reports nothing

        assertThat(events).isEmpty();
    }
}
