package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.connectors.ConnectorTools;
import dev.cloned.gateway.connectors.TestPackages;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.vault.Environment;
import dev.cloned.runtime.vault.VaultConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.cloned.gateway.http.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/connectors/{id}/enable|disable} are the same governed tool calls as the CLI's: the pack decides
 * (approval, denial), the audit records them with the HTTP caller as actor, and nothing changes until allowed.
 */
@ExtendWith(VertxExtension.class)
class ConnectorRoutesTest {
    private static final String ALLOW_TEST_PUBLISHER = "allowlists:\n  publishers: [cloned.official, "
        + TestPackages.PUBLISHER + "]\n";
    @TempDir
    Path root;
    GatewayFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private void start(Vertx vertx, String overlay) throws Exception {
        Workspace ws = ConnectorWorkspace.create(root, VaultConfig.dev(), Environment.of(Map.of()), "x");
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"), ALLOW_TEST_PUBLISHER + overlay);
        f = new GatewayFixture(vertx, root, HttpGateway.Options.of("127.0.0.1", 0), false, Environment.of(Map.of()));
    }

    private HttpResponse<String> post(String action) throws Exception {
        return f.send(f.post("/v1/connectors/" + TestPackages.ID + "/" + action, ""));
    }

    private boolean enabled() throws Exception {
        for (JsonNode c : json(f.send(f.get("/v1/connectors"))).path("connectors")) {
            if (c.path("id").asText().equals(TestPackages.ID)) {
                return c.path("enabled").asBoolean();
            }
        }
        throw new AssertionError("the test connector is not listed");
    }

    /** The audit's decision entries for {@code tool} (an id with version), in order. */
    private List<JsonNode> decisions(String tool) throws Exception {
        f.gw.audit().awaitFlushed();
        String id = tool.substring(0, tool.indexOf('@'));
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(f.gw.workspace().auditLog())) {
            JsonNode n = CanonicalJson.MAPPER.readTree(line);
            if (n.path("kind").asText().equals("decision") && n.path("tool_id").asText().equals(id)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void should_disable_and_enable_through_the_governed_path_and_audit_the_http_caller(Vertx vertx) throws Exception {
        start(vertx, "");

        HttpResponse<String> off = post("disable");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(json(off).path("enabled").asBoolean()).isFalse();
        assertThat(json(off).path("tools_registered").asInt()).isZero();

        HttpResponse<String> on = post("enable");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(json(on).path("enabled").asBoolean()).isTrue();
        assertThat(json(on).path("tools_registered").asInt()).isEqualTo(TestPackages.TOOLS);

        assertThat(decisions(ConnectorTools.DISABLE)).singleElement()
            .satisfies(d -> assertThat(d.path("actor").asText()).isEqualTo("http:bootstrap"));
        assertThat(decisions(ConnectorTools.ENABLE)).singleElement()
            .satisfies(d -> assertThat(d.path("policy_decision").path("effect").asText()).isEqualTo("allow"));
    }

    @Test
    void should_enable_only_once_approved_when_the_pack_asks_for_an_approval(Vertx vertx) throws Exception {
        start(vertx, "approvals:\n  rules:\n    - match: {tool_id: " + ConnectorTools.ENABLE + "}\n"
            + "      requires_approval: true\n      approvers: [security]\n");
        assertThat(post("disable").statusCode()).isEqualTo(200);

        HttpResponse<String> asked = post("enable");

        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String approval = json(asked).path("approval_id").asText();
        assertThat(approval).startsWith("apr_");
        assertThat(enabled()).isFalse();
        HttpResponse<String> approved = f.send(f.post("/v1/approvals/" + approval + "/approve", "{}"));
        assertThat(json(approved).path("replay").path("status").asText()).isEqualTo("succeeded");
        assertThat(enabled()).isTrue();
    }

    @Test
    void should_answer_403_and_change_nothing_when_the_pack_denies_the_tool(Vertx vertx) throws Exception {
        start(vertx, "denylists:\n  tools: [" + ConnectorTools.DISABLE + "]\n");

        HttpResponse<String> r = post("disable");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(json(r).path("result").path("status").asText()).isEqualTo("denied");
        assertThat(enabled()).isTrue();
        assertThat(decisions(ConnectorTools.DISABLE)).singleElement()
            .satisfies(d -> assertThat(d.path("policy_decision").path("effect").asText()).isEqualTo("deny"));
        assertThat(f.send(f.post("/v1/connectors/connector.none/disable", "")).statusCode()).isEqualTo(404);
    }
}
