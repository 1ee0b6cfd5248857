package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.audit.AuditVerification;
import dev.cloned.runtime.audit.AuditVerifier;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.cloned.gateway.http.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every route of the contract over real HTTP on a random loopback port. */
@ExtendWith(VertxExtension.class)
class HttpApiTest {
    @TempDir
    Path root;
    GatewayFixture f;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        f = new GatewayFixture(vertx, root);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private HttpResponse<String> call(String envelope) throws Exception {
        return f.send(f.post("/v1/tool-calls", envelope));
    }

    @Test
    void should_serve_the_contract_when_openapi_yaml_is_requested() throws Exception {
        HttpResponse<String> r = f.send(f.request("/openapi.yaml").GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("openapi: 3.1.0").contains("operationId: callTool");
    }

    @Test
    void should_run_the_tool_and_answer_200_when_the_call_is_allowed() throws Exception {
        HttpResponse<String> r = call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"hi\":\"there\"}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = json(r);
        assertThat(n.path("status").asText()).isEqualTo("succeeded");
        assertThat(n.path("output").path("echo").path("hi").asText()).isEqualTo("there");
        assertThat(n.path("decision").path("effect").asText()).isEqualTo("allow");
        assertThat(Files.readString(f.gw.workspace().auditLog())).contains("\"actor\":\"http:bootstrap\"");
    }

    @Test
    void should_answer_200_with_a_preview_when_dry_run_is_set() throws Exception {
        HttpResponse<String> r = call("{\"tool_id\":\"cloned.internal.meter@v1\",\"input\":{\"units\":3},\"dry_run\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("dry_run");
        JsonNode budgets = json(f.send(f.get("/v1/budgets"))).path("budgets");
        assertThat(budgets.findValues("used")).allMatch(u -> u.asLong() == 0);
    }

    @Test
    void should_answer_403_problem_with_the_result_when_policy_denies() throws Exception {
        HttpResponse<String> r = call("{\"tool_id\":\"cloned.internal.fetch@v1\",\"input\":{\"url\":\"https://evil.example.com/\"}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(Problems.MEDIA_TYPE);
        JsonNode p = json(r);
        assertThat(p.path("code").asText()).isEqualTo("egress_denied");
        assertThat(p.path("status").asInt()).isEqualTo(403);
        assertThat(p.path("result").path("status").asText()).isEqualTo("denied");
        assertThat(p.path("detail").asText()).isNotBlank();
    }

    @Test
    void should_answer_202_and_replay_on_approval_when_the_call_needs_one() throws Exception {
        HttpResponse<String> r = call("{\"tool_id\":\"cloned.internal.artifact.write@v1\",\"input\":{\"name\":\"a.txt\",\"content\":\"x\"}}");
        assertThat(r.statusCode()).isEqualTo(202);
        String id = json(r).path("approval_id").asText();
        assertThat(id).startsWith("apr_");
        assertThat(json(f.send(f.get("/v1/approvals?status=pending"))).path("approvals").get(0).path("id").asText())
            .isEqualTo(id);
        assertThat(json(f.send(f.get("/v1/approvals/" + id))).path("status").asText()).isEqualTo("pending");

        HttpResponse<String> a = f.send(f.post("/v1/approvals/" + id + "/approve", "{\"reason\":\"ok\"}"));
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(json(a).path("replay").path("status").asText()).isEqualTo("succeeded");
        assertThat(f.gw.workspace().artifactsDir().resolve("a.txt")).exists();
        assertThat(f.send(f.post("/v1/approvals/" + id + "/deny", "{}")).statusCode()).isEqualTo(409);
    }

    @Test
    void should_leave_the_call_undone_when_the_approval_is_denied() throws Exception {
        String id = json(call("{\"tool_id\":\"cloned.internal.artifact.write@v1\",\"input\":{\"name\":\"b.txt\",\"content\":\"x\"}}"))
            .path("approval_id").asText();
        HttpResponse<String> d = f.send(f.post("/v1/approvals/" + id + "/deny", "{\"reason\":\"no\"}"));
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(json(d).path("approval").path("status").asText()).isEqualTo("denied");
        assertThat(f.gw.workspace().artifactsDir().resolve("b.txt")).doesNotExist();
        assertThat(f.send(f.get("/v1/approvals/apr_nope")).statusCode()).isEqualTo(404);
    }

    @Test
    void should_answer_400_problem_when_the_body_breaks_the_contract() throws Exception {
        HttpResponse<String> r = call("{\"input\":{}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("code").asText()).isEqualTo("invalid_input");
        HttpResponse<String> q = f.send(f.get("/v1/audit?limit=0"));
        assertThat(q.statusCode()).isEqualTo(400);
        assertThat(json(q).path("type").asText()).contains("invalid_input");
    }

    @Test
    void should_answer_400_problem_when_the_call_body_is_malformed_empty_or_mistyped() throws Exception {
        for (String body : new String[] {"{\"tool_id\":", "", "[1,2]", "{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{},\"dry_run\":\"yes\"}"}) {
            HttpResponse<String> r = call(body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(json(r).path("code").asText()).as(body).isEqualTo("invalid_input");
        }
        f.gw.audit().awaitFlushed();
        assertThat(java.nio.file.Files.readString(f.gw.workspace().auditLog())).doesNotContain("\"yes\"");
    }

    @Test
    void should_name_the_field_and_refuse_trailing_data_when_validating_the_call_body() throws Exception {
        HttpResponse<String> pattern = call("{\"tool_id\":\"no version\",\"input\":{}}");
        assertThat(pattern.statusCode()).isEqualTo(400);
        assertThat(json(pattern).path("detail").asText()).contains("/tool_id");
        HttpResponse<String> mistyped = call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":[1]}");
        assertThat(json(mistyped).path("detail").asText()).contains("/input");
        HttpResponse<String> trailing = call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{}} {}");
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(json(trailing).path("code").asText()).isEqualTo("invalid_input");
        HttpResponse<String> ok = call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"k\":\"v\"}}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("output").path("echo").path("k").asText()).isEqualTo("v");
    }

    @Test
    void should_answer_400_problem_when_the_tool_input_breaks_its_schema() throws Exception {
        HttpResponse<String> r = call("{\"tool_id\":\"cloned.internal.meter@v1\",\"input\":{\"units\":\"many\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("code").asText()).isEqualTo("invalid_input");
    }

    @Test
    void should_answer_404_problem_when_the_route_is_unknown() throws Exception {
        HttpResponse<String> r = f.send(f.get("/v1/nope"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void should_answer_413_when_the_body_is_too_large() throws Exception {
        String big = "{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"x\":\"" + "a".repeat(2 << 20) + "\"}}";
        assertThat(call(big).statusCode()).isEqualTo(413);
    }

    @Test
    void should_page_and_verify_the_audit_when_calls_were_made() throws Exception {
        for (int i = 0; i < 3; i++) {
            call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"i\":" + i + "}}");
        }
        JsonNode page = json(f.send(f.get("/v1/audit?after_seq=0&limit=4")));
        assertThat(page.path("entries")).hasSize(4);
        assertThat(page.path("more").asBoolean()).isTrue();
        JsonNode rest = json(f.send(f.get("/v1/audit?after_seq=" + page.path("next_after_seq").asLong())));
        assertThat(rest.path("entries")).as("init's policy.activated entry + 3 calls x 2, minus the first page")
            .hasSize(3);
        JsonNode v = json(f.send(f.get("/v1/audit/verify")));
        assertThat(v.path("ok").asBoolean()).isTrue();
        assertThat(v.path("entries").asLong()).isEqualTo(7);
        JsonNode runs = json(f.send(f.get("/v1/runs")));
        assertThat(runs.path("runs")).hasSize(3);
    }

    @Test
    void should_fail_verification_and_deny_calls_when_the_log_loses_its_end_while_serving() throws Exception {
        assertThat(call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"a\":1}}").statusCode()).isEqualTo(200);
        Path log = f.gw.workspace().auditLog();
        List<String> kept = Files.readAllLines(log);
        assertThat(call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"a\":2}}").statusCode()).isEqualTo(200);
        f.gw.audit().awaitFlushed();
        Files.write(log, kept);

        JsonNode v = json(f.send(f.get("/v1/audit/verify")));
        assertThat(v.path("ok").asBoolean()).isFalse();
        assertThat(v.path("bad_line").asLong()).isEqualTo(kept.size() + 1);
        assertThat(v.path("problem").asText()).contains("removed from the end");
        HttpResponse<String> denied = call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"a\":3}}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).path("detail").asText()).contains("shrank");
        assertThat(Files.readAllLines(log)).isEqualTo(kept);
    }

    @Test
    void should_show_validate_and_evaluate_the_policy_when_asked() throws Exception {
        JsonNode ws = json(f.send(f.get("/v1/workspace")));
        assertThat(ws.path("active_pack").path("pack_id").asText()).isEqualTo("policy.personal.default");
        assertThat(json(f.send(f.get("/v1/policy"))).path("packId").asText()).isEqualTo("policy.personal.default");
        assertThat(json(f.send(f.post("/v1/policy/validate", ""))).path("ok").asBoolean()).isTrue();
        JsonNode d = json(f.send(f.post("/v1/policy/eval",
            "{\"tool_id\":\"cloned.internal.artifact.write@v1\",\"input\":{\"name\":\"n\",\"content\":\"c\"}}")));
        assertThat(d.path("effect").asText()).isEqualTo("require_approval");
        assertThat(json(f.send(f.get("/v1/approvals"))).path("approvals")).isEmpty();
    }

    @Test
    void should_apply_a_firewall_change_only_when_its_approval_is_granted() throws Exception {
        assertThat(f.send(f.get("/v1/firewall")).body()).doesNotContain("api.example.org");
        HttpResponse<String> r = f.send(f.post("/v1/firewall/change-requests",
            "{\"action\":\"allow\",\"host\":\"api.example.org\"}"));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(f.send(f.get("/v1/firewall")).body()).doesNotContain("api.example.org");
        String id = json(r).path("approval_id").asText();
        HttpResponse<String> a = f.send(f.post("/v1/approvals/" + id + "/approve", "{}"));
        assertThat(json(a).path("replay").path("status").asText()).isEqualTo("succeeded");
        assertThat(f.send(f.get("/v1/firewall")).body()).contains("api.example.org");
    }

    @Test
    void should_redact_a_secret_that_a_problem_would_quote() throws Exception {
        String token = "gh" + "p_" + "Zq7".repeat(12); // a GitHub token's shape, assembled so no scanner trips on it

        HttpResponse<String> r = f.send(f.get("/v1/approvals/" + token));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain(token).contains("[REDACTED:");
        assertThat(json(r).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void should_report_operations_state_when_asked() throws Exception {
        assertThat(json(f.send(f.get("/v1/connectors"))).path("connectors").isArray()).isTrue();
        assertThat(f.send(f.post("/v1/connectors/connector.none/enable", "")).statusCode()).isEqualTo(404);
        JsonNode vault = json(f.send(f.get("/v1/vault")));
        assertThat(vault.path("provider").asText()).isEqualTo("dev");
        assertThat(vault.has("reachable")).isTrue();
        JsonNode doctor = json(f.send(f.get("/v1/doctor")));
        assertThat(doctor.path("checks").findValuesAsText("name")).contains("audit.chain", "policy.compiles",
            "vault.reachable", "disk.space", "clock.sanity", "connectors", "gateway.bind");
        assertThat(doctor.path("ok").asBoolean()).isTrue();
        assertThat(doctor.path("status").asText()).as("the dev vault is a warning").isEqualTo("warn");
        assertThat(json(f.send(f.get("/v1/graph"))).size()).isPositive();
        HttpResponse<String> dot = f.send(f.get("/v1/graph?format=dot"));
        assertThat(dot.body()).contains("digraph");
    }

    @Test
    void should_stream_decisions_as_events_when_a_call_is_made() throws Exception {
        HttpResponse<InputStream> r = f.client.send(f.get("/v1/events").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo(": connected");
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("event: decision")) {
                        return reader.readLine();
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        call("{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{}}");
        assertThat(seen.get(30, TimeUnit.SECONDS)).startsWith("data: {").contains("cloned.internal.echo");
        r.body().close();
    }

    @Test
    void should_treat_an_empty_optional_body_as_no_fields() throws Exception {
        HttpResponse<String> approve = f.send(f.post("/v1/approvals/apr_nosuch/approve", ""));
        assertThat(approve.statusCode()).as(approve.body()).isEqualTo(404); // was a 500: no body buffer at all
        assertThat(json(approve).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void should_list_then_apply_the_safe_doctor_fixes_and_audit_them() throws Exception {
        Path dir = f.gw.workspace().dir();
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        JsonNode dry = json(f.send(f.post("/v1/doctor/fix", "{\"dry_run\":true}")));
        assertThat(dry.path("fixes")).hasSize(1);
        assertThat(dry.path("fixes").get(0).path("check").asText()).isEqualTo("workspace.permissions");
        assertThat(dry.path("fixes").get(0).path("applied").asBoolean()).isFalse();
        assertThat(Files.getPosixFilePermissions(dir)).as("a dry run changes nothing")
            .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);

        HttpResponse<String> doneR = f.send(f.post("/v1/doctor/fix", ""));
        assertThat(doneR.statusCode()).as(doneR.body()).isEqualTo(200);
        JsonNode done = json(doneR);
        assertThat(done.path("fixes").get(0).path("applied").asBoolean()).isTrue();
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        JsonNode perms = null;
        for (JsonNode c : done.path("checks")) {
            if (c.path("name").asText().equals("workspace.permissions")) {
                perms = c;
            }
        }
        assertThat(perms).isNotNull();
        assertThat(perms.path("status").asText()).as("the report is taken after the fix").isEqualTo("ok");
        f.gw.audit().awaitFlushed();
        assertThat(Files.readAllLines(f.gw.workspace().auditLog())).filteredOn(l -> l.contains("doctor.fixed"))
            .hasSize(1).allSatisfy(l -> assertThat(l).contains("workspace.permissions"));

        assertThat(json(f.send(f.post("/v1/doctor/fix", "{}"))).path("fixes")).as("nothing left to fix").isEmpty();
        HttpResponse<String> bad = f.send(f.post("/v1/doctor/fix", "{\"dryrun\":true}"));
        assertThat(bad.statusCode()).as("unknown fields are refused").isEqualTo(400);
    }

    @Test
    void should_dispatch_once_the_decision_is_written_when_audit_sync_is_written_and_record_every_call() throws Exception {
        f.close();
        Path config = Workspace.at(root).configFile();
        Files.writeString(config, Files.readString(config) + "audit:\n  sync: written\n");
        f = new GatewayFixture(Vertx.vertx(), root);
        assertThat(json(f.send(f.get("/v1/workspace"))).path("audit_sync").asText()).isEqualTo("written");
        JsonNode doctor = json(f.send(f.get("/v1/doctor")));
        assertThat(doctor.path("checks")).filteredOn(c -> c.path("name").asText().equals("audit.chain"))
            .singleElement().satisfies(c -> assertThat(c.path("detail").asText()).contains("audit.sync written")
                .contains("power loss"));
        long before = Files.readAllLines(f.gw.workspace().auditLog()).size();

        for (int i = 0; i < 20; i++) {
            JsonNode r = json(f.send(f.post("/v1/tool-calls", "{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{\"i\":" + i + "}}")));
            assertThat(r.path("status").asText()).isEqualTo("succeeded");
            assertThat(r.path("output").path("echo").path("i").asInt()).isEqualTo(i);
        }
        JsonNode audit = json(f.send(f.get("/v1/audit?limit=100")));
        assertThat(audit.path("entries")).as("a reader waits for the force: every call's two entries are listed")
            .filteredOn(e -> e.path("tool_id").asText().equals("cloned.internal.echo")).hasSize(40);
        f.gw.close();
        AuditVerification v = AuditVerifier.verify(f.gw.workspace().auditLog());
        assertThat(v.ok()).as(v.problem()).isTrue();
        assertThat(v.entries()).isEqualTo(before + 40);
        f = new GatewayFixture(Vertx.vertx(), root);
        assertThat(json(f.send(f.get("/v1/workspace"))).path("audit_sync").asText()).as("the setting stays").isEqualTo("written");
    }

    @Test
    void should_finish_in_flight_calls_and_keep_the_audit_whole_when_stopped() throws Exception {
        HttpRequest req = f.post("/v1/tool-calls", "{\"tool_id\":\"cloned.internal.echo@v1\",\"input\":{}}").build();
        java.util.List<CompletableFuture<HttpResponse<String>>> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inFlight.add(f.client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        json(f.send(f.get("/v1/workspace"))); // the server has taken requests before it is told to stop
        f.http.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        long ok = 0;
        for (CompletableFuture<HttpResponse<String>> c : inFlight) {
            HttpResponse<String> r = c.exceptionally(e -> null).get(30, TimeUnit.SECONDS);
            if (r != null && r.statusCode() == 200) {
                ok++;
            }
        }
        f.gw.close();
        assertThat(AuditVerifier.verify(f.gw.workspace().auditLog()).ok()).isTrue();
        // every call answered 200 was recorded twice (decision + outcome); none was cut in half
        assertThat(Files.readAllLines(f.gw.workspace().auditLog())).as("init's entry + decision and outcome per call")
            .hasSize((int) (1 + 2 * ok));
        f = new GatewayFixture(Vertx.vertx(), root);
    }
}
