package dev.cloned.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code cloned serve} picks up {@code cloned connectors enable|disable}, each run as its own process,
 * without a restart: the HTTP API shows the connector's tools registered, then gone, and the audit records both
 * changes as {@code connector.reloaded}.
 */
class ServeLiveConnectorsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @TempDir
    Path ws;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private JsonNode acme(String base, String token) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/connectors"))
            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        for (JsonNode c : CanonicalJson.MAPPER.readTree(r.body()).path("connectors")) {
            if ("connector.acme".equals(c.path("id").asText())) {
                return c;
            }
        }
        throw new AssertionError("connector.acme is not listed: " + r.body());
    }

    private JsonNode await(String base, String token, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode c = acme(base, token);
        while (!condition.test(c)) {
            assertThat(System.nanoTime()).as("the serving gateway never showed it; last: " + c).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            c = acme(base, token);
        }
        return c;
    }

    @Test
    void should_register_and_unregister_the_tools_when_the_cli_enables_and_disables_while_serve_runs() throws Exception {
        ConnectorsCliIT.installTrustedAcme(ws);
        try (CliProcess.Serving serving = CliProcess.serve(ws)) {
            String base = serving.base();
            String bearer = serving.token();
            assertThat(acme(base, bearer).path("tools_registered").asInt()).isZero();

            CliProcess.Run enable = CliProcess.run(ws, "connectors", "enable", "connector.acme");
            assertThat(enable.exit()).as(enable.all()).isZero();
            await(base, bearer, c -> c.path("tools_registered").asInt() == 2);

            CliProcess.Run disable = CliProcess.run(ws, "connectors", "disable", "connector.acme");
            assertThat(disable.exit()).as(disable.all()).isZero();
            await(base, bearer, c -> c.path("tools_registered").asInt() == 0);
        }
        List<String> reloaded = Files.readAllLines(ws.resolve(".cloned/audit.log")).stream()
            .filter(l -> l.contains("\"event\":\"connector.reloaded\"")).toList();
        assertThat(reloaded).hasSize(2);
        assertThat(reloaded.get(0)).contains("\"change\":\"enabled\"");
        assertThat(reloaded.get(1)).contains("\"change\":\"disabled\"");
        assertThat(CliProcess.run(ws, "audit", "verify").exit()).isZero();
    }
}
