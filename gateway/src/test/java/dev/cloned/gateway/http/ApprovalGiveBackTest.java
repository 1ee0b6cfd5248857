package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.gateway.connectors.TestPackages;
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
import java.util.Map;

import static dev.cloned.gateway.http.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approved call that the vault then stops (the secret is missing) never ran, so it does not use up its approval:
 * once the secret is there, the same call goes through on the same approval, and only then is the approval consumed.
 */
@ExtendWith(VertxExtension.class)
class ApprovalGiveBackTest {
    private static final String CALL = "{\"tool_id\":\"test.env@v1\",\"input\":{\"name\":\""
        + ConnectorWorkspace.VARIABLE + "\"}}";
    @TempDir
    Path root;
    GatewayFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private String approvalStatus(String id) throws Exception {
        return json(f.send(f.get("/v1/approvals/" + id))).path("status").asText();
    }

    @Test
    void should_keep_the_approval_usable_when_the_vault_denies_the_approved_call(Vertx vertx) throws Exception {
        Workspace ws = ConnectorWorkspace.create(root, VaultConfig.dev(), Environment.of(Map.of()), null);
        Files.writeString(ws.policyDir().resolve("policy.personal.default.yaml"), "allowlists:\n  publishers: "
            + "[cloned.official, " + TestPackages.PUBLISHER + "]\napprovals:\n  rules:\n    - match: {tool_id: test.env@v1}\n"
            + "      requires_approval: true\n      approvers: [security]\n");
        f = new GatewayFixture(vertx, root, HttpGateway.Options.of("127.0.0.1", 0), false, Environment.of(Map.of()));

        HttpResponse<String> asked = f.send(f.post("/v1/tool-calls", CALL));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String approval = json(asked).path("approval_id").asText();

        JsonNode replay = json(f.send(f.post("/v1/approvals/" + approval + "/approve", "{}"))).path("replay");
        assertThat(replay.path("status").asText()).as(replay.toString()).isEqualTo("denied");
        assertThat(replay.path("code").asText()).isEqualTo("secret_not_found");
        assertThat(approvalStatus(approval)).as("nothing ran, so the use is given back").isEqualTo("approved");

        f.gw.vault().set("canary", "x-value");
        HttpResponse<String> again = f.send(f.post("/v1/tool-calls", CALL));

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).path("approval_id").asText()).isEqualTo(approval);
        assertThat(approvalStatus(approval)).isEqualTo("consumed");
        HttpResponse<String> third = f.send(f.post("/v1/tool-calls", CALL));
        assertThat(third.statusCode()).as("single use: a third call asks again").isEqualTo(202);
        assertThat(json(third).path("approval_id").asText()).isNotEqualTo(approval);
    }
}
