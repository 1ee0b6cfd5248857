package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.policy.PolicyListener;
import dev.cloned.runtime.policy.PolicyWatcher;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A gateway "serving" in-process: the governed path plus the policy watcher, as {@code cloned serve} wires them. */
class HotReloadTest {
    @TempDir
    Path root;
    ClonedGateway gw;
    PolicyWatcher watcher;
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void serve() {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        gw = ClonedGateway.open(ws, Clock.systemUTC());
        gw.policy().addListener(new PolicyListener() {
            @Override
            public void activated(ActivePolicy.Activation a) {
                events.add(a);
            }

            @Override
            public void rejected(ActivePolicy.Rejection r) {
                events.add(r);
            }
        });
        watcher = PolicyWatcher.forWorkspace(gw.policy(), Duration.ofMillis(50)).start();
    }

    @AfterEach
    void stop() {
        watcher.close();
        gw.close();
    }

    private CallResult call(String tool, String input, boolean dry) throws Exception {
        JsonNode in = CanonicalJson.MAPPER.readTree(input);
        return gw.calls().call(new ToolCallEnvelope(tool, in, "test", dry, null));
    }

    private Object next() throws InterruptedException {
        Object e = events.poll(60, TimeUnit.SECONDS);
        assertThat(e).as("the watcher reported a reload").isNotNull();
        return e;
    }

    @Test
    void should_keep_serving_the_old_pack_and_report_file_and_line_when_a_drl_breaks_while_serving() throws Exception {
        CallResult before = call("cloned.internal.echo@v1", "{}", false);
        assertThat(before.status()).isEqualTo(CallResult.Status.SUCCEEDED);
        String servingHash = before.decision().packHash();
        // init recorded the starting pack, so the first decision reports no activation: the next event is the edit's

        Files.writeString(root.resolve(".cloned/policy/custom.drl"), """
            package dev.cloned.custom
            import dev.cloned.rules.fact.ToolCall
            import dev.cloned.rules.fact.Verdicts

            rule "deny_echo"
            when
                $c : ToolCall( toolId == "cloned.internal.echo@v1", nosuchfield == 1 )
                $o : Verdicts()
            then
                $o.deny(kcontext, "no_echo", "echo is off");
            end
            """);
        ActivePolicy.Rejection r = (ActivePolicy.Rejection) next();

        assertThat(r.error()).contains("custom.drl:7");
        CallResult during = call("cloned.internal.echo@v1", "{}", false);
        assertThat(during.status()).as("the old pack still serves").isEqualTo(CallResult.Status.SUCCEEDED);
        assertThat(during.decision().packHash()).isEqualTo(servingHash);
        List<String> audit = Files.readAllLines(root.resolve(".cloned/audit.log"));
        assertThat(audit).anyMatch(l -> l.contains("\"event\":\"policy.rejected\"") && l.contains("custom.drl:7"));

        Files.writeString(root.resolve(".cloned/policy/custom.drl"), Files.readString(
            root.resolve(".cloned/policy/custom.drl")).replace(", nosuchfield == 1", ""));
        ActivePolicy.Activation a = (ActivePolicy.Activation) next();

        CallResult after = call("cloned.internal.echo@v1", "{}", false);
        assertThat(after.status()).as("the next call uses the new pack").isEqualTo(CallResult.Status.DENIED);
        assertThat(after.code()).isEqualTo("no_echo");
        assertThat(after.decision().packHash()).isEqualTo(a.hash());
        assertThat(Files.readAllLines(root.resolve(".cloned/audit.log")))
            .anyMatch(l -> l.contains("\"event\":\"policy.activated\"") && l.contains(a.hash()));
    }

    @Test
    void should_lose_no_call_and_mix_no_snapshot_when_packs_swap_under_concurrent_load() throws Exception {
        Path overlay = root.resolve(".cloned/policy/policy.personal.default.yaml");
        String open = "allowlists:\n  egress_domains: [api.example.com]\n";
        String closed = "allowlists:\n  egress_domains: [other.example.com]\n";
        Files.writeString(overlay, closed);
        String closedHash = gw.policy().reload().hash();
        Files.writeString(overlay, open);
        String openHash = gw.policy().reload().hash();
        Map<String, String> expected = new HashMap<>(Map.of(openHash, "dry_run", closedHash, "blocked"));
        watcher.close(); // this test swaps by hand, as fast as it can

        int threads = 6;
        int perThread = 150;
        CountDownLatch started = new CountDownLatch(threads);
        ConcurrentLinkedQueue<CallResult> results = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            callers.add(pool.submit(() -> {
                started.countDown();
                for (int i = 0; i < perThread; i++) {
                    results.add(call("cloned.internal.fetch@v1", "{\"url\":\"https://api.example.com/x\"}", true));
                }
                return null;
            }));
        }
        started.await();
        int swaps = 0;
        while (callers.stream().anyMatch(f -> !f.isDone())) {
            Files.writeString(overlay, swaps % 2 == 0 ? closed : open);
            gw.policy().reload();
            swaps++;
        }
        for (Future<?> f : callers) {
            f.get();
        }
        pool.shutdown();

        assertThat(swaps).as("packs swapped while calls ran").isGreaterThan(2);
        assertThat(results).hasSize(threads * perThread);
        Map<String, Integer> byHash = new HashMap<>();
        for (CallResult r : results) {
            String hash = r.decision().packHash();
            assertThat(expected).containsKey(hash);
            assertThat(r.status()).isEqualTo(hash.equals(openHash) ? CallResult.Status.DRY_RUN
                : CallResult.Status.DENIED);
            byHash.merge(hash, 1, Integer::sum);
        }
        List<String> decisions = Files.readAllLines(root.resolve(".cloned/audit.log")).stream()
            .filter(l -> l.contains("\"kind\":\"decision\"")).toList();
        assertThat(decisions).as("every call is audited once").hasSize(threads * perThread);
        for (String line : decisions) {
            JsonNode e = CanonicalJson.MAPPER.readTree(line);
            String hash = e.path("policy_decision").path("pack_hash").asText();
            assertThat(e.path("outcome").asText()).isEqualTo(expected.get(hash));
        }
    }
}
