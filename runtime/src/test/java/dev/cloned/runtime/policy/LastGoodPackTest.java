package dev.cloned.runtime.policy;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.CallFacts;
import dev.cloned.rules.Effect;
import dev.cloned.rules.PolicyEngine;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken pack never replaces the active one, also for a process that starts after the edit. */
class LastGoodPackTest {
    private static final CallFacts ECHO = new CallFacts("cloned.internal.echo@v1", true, "cloned.internal",
        "cloned.official", List.of(), "low", null, null, null, "test", Instant.parse("2026-03-02T10:00:00Z"), false);
    private static final String DENY_ECHO = """
        package dev.cloned.custom
        import dev.cloned.rules.fact.ToolCall
        import dev.cloned.rules.fact.Verdicts

        rule "no_echo"
        when
            ToolCall( toolId == "cloned.internal.echo@v1" )
            $v : Verdicts()
        then
            $v.deny(kcontext, "no_echo", "echo is off");
        end
        """;

    @TempDir
    Path root;

    @Test
    void should_enforce_the_last_good_pack_when_a_new_process_finds_the_overlay_broken() throws Exception {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        Files.writeString(ws.policyDir().resolve("custom.drl"), DENY_ECHO);
        PolicyEngine good = new ActivePolicy(ws, Clock.systemUTC()).current(); // one process activates it
        assertThat(good.decide(ECHO, List.of()).effect()).isEqualTo(Effect.DENY);

        Files.writeString(ws.policyDir().resolve("custom.drl"), DENY_ECHO.replace("toolId ==", "nosuchfield =="));
        ActivePolicy next = new ActivePolicy(ws, Clock.systemUTC()); // the next process
        PolicyEngine engine = next.current();

        assertThat(engine.hash()).isEqualTo(good.hash());
        assertThat(engine.decide(ECHO, List.of()).effect()).as("the custom deny still holds").isEqualTo(Effect.DENY);
        assertThat(next.lastRejection()).get().satisfies(r -> assertThat(r.error()).contains("custom.drl:7"));
        assertThat(PolicyStatus.read(ws).rejectionPending()).isTrue();
    }

    @Test
    void should_refuse_to_decide_when_no_pack_was_ever_good() throws Exception {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        Files.delete(LastGoodPack.file(ws)); // e.g. a workspace from before this file existed
        Files.writeString(ws.policyDir().resolve("custom.drl"), DENY_ECHO.replace("toolId ==", "nosuchfield =="));

        assertThatThrownBy(() -> new ActivePolicy(ws, Clock.systemUTC()).current())
            .isInstanceOf(ClonedException.class)
            .satisfies(e -> assertThat(((ClonedException) e).code()).isEqualTo(ErrorCode.INVALID_POLICY))
            .hasMessageContaining("custom.drl:7");
    }

    @Test
    void should_ignore_a_tampered_record() throws Exception {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        Path f = LastGoodPack.file(ws);
        assertThat(LastGoodPack.load(ws)).isPresent();
        String text = Files.readString(f);
        String tampered = text.replace("\"cap\" : 10000", "\"cap\" : 99999999");
        assertThat(tampered).isNotEqualTo(text);
        Files.writeString(f, tampered);
        assertThat(LastGoodPack.load(ws)).isEmpty();
    }
}
