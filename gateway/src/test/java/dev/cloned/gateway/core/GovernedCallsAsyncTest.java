package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.CallResult;
import dev.cloned.runtime.tools.ToolCallEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of {@link GovernedCallsTest}, through {@code callAsync}: same results, entries and charges. */
class GovernedCallsAsyncTest extends GovernedCallsTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-continuation"));
    private final AtomicInteger continued = new AtomicInteger();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Override
    CallResult call(String tool, String input, boolean dry) throws Exception {
        JsonNode in = CanonicalJson.MAPPER.readTree(input);
        int before = continued.get();
        CallResult r = gw.calls().callAsync(new ToolCallEnvelope(tool, in, "test", dry, null), task -> {
            continued.incrementAndGet();
            pool.execute(task);
        }).get(30, TimeUnit.SECONDS);
        assertThat(continued.get()).as("the part after the durable decision ran on the given executor")
            .isEqualTo(before + 1);
        return r;
    }

    @Test
    void should_keep_every_call_in_order_in_one_verifiable_chain_when_many_are_in_flight() throws Exception {
        JsonNode in = CanonicalJson.MAPPER.readTree("{\"n\":1}");
        List<CompletableFuture<CallResult>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(gw.calls().callAsync(new ToolCallEnvelope("cloned.internal.echo@v1", in, "agent-" + i, false, null),
                pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(all).allSatisfy(f -> assertThat(f.join().status()).isEqualTo(CallResult.Status.SUCCEEDED));
        assertThat(all.stream().map(f -> f.join().auditSeq()).distinct().count()).isEqualTo(500);
        gw.audit().awaitFlushed();
        var v = dev.cloned.runtime.audit.AuditVerifier.verify(gw.workspace().auditLog());
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(1 + 2 * 500);
        assertThat(gw.store().audit(0, 2000)).hasSize(1001);
    }
}
