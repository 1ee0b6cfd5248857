package dev.cloned.gateway.onboard;

import dev.cloned.error.ClonedException;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conversation driven by lines of text, as a pipe or a terminal would give them. */
class ConversationTest {
    @TempDir
    Path root;
    ClonedGateway gw;
    StringWriter said = new StringWriter();

    @BeforeEach
    void open() {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        gw = ClonedGateway.open(ws, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        gw.close();
    }

    private Conversation.Outcome talk(String answers, Conversation.Options o) {
        return new Conversation(Onboarding.builtin(gw, Clock.systemUTC()),
            new BufferedReader(new StringReader(answers)), new PrintWriter(said, true)).run(o);
    }

    private static Conversation.Options ask() {
        return new Conversation.Options(null, null, null, false, false, "test");
    }

    @Test
    void should_ask_goal_constraints_choice_and_confirmation_when_nothing_is_given() {
        Conversation.Outcome o = talk("\nresearch and publish a youtube video\nno_publishing\nblueprint.nope\n\ny\n", ask());

        assertThat(said.toString())
            .contains("What should your agents do?")
            .contains("Please describe the goal")
            .contains("Best fit: blueprint.researcher")
            .contains("Excluded: blueprint.creator")
            .contains("no-publishing-excludes-publishers")
            .contains("'blueprint.nope' is not one of [blueprint.researcher]")
            .contains("Pre-flight")
            .contains("Plan of Record written: .cloned/plans/");
        assertThat(o.applied()).isTrue();
        assertThat(o.plan().constraints()).containsEntry("no_publishing", "true");
        assertThat(root.resolve(o.plan().relativePath())).exists();
    }

    @Test
    void should_take_another_ranked_blueprint_when_the_user_types_its_id() {
        Conversation.Outcome o = talk("legal research\n\nblueprint.researcher\nn\n", ask());

        assertThat(o.plan().chosen().blueprintId()).isEqualTo("blueprint.researcher");
        assertThat(o.applied()).isFalse();
        assertThat(said.toString()).contains("Nothing written; nothing changed.");
        assertThat(root.resolve(".cloned/plans")).doesNotExist();
    }

    @Test
    void should_change_nothing_when_the_input_ends_before_the_confirmation() throws Exception {
        String audit = Files.readString(root.resolve(".cloned/audit.log"));

        Conversation.Outcome o = talk("write a research report\n\n", ask());

        assertThat(o.applied()).isFalse();
        assertThat(root.resolve(".cloned/plans")).doesNotExist();
        assertThat(Files.readString(root.resolve(".cloned/audit.log"))).isEqualTo(audit);
    }

    @Test
    void should_fail_with_a_hint_when_no_goal_is_given_before_the_input_ends() {
        assertThatThrownBy(() -> talk("", ask())).isInstanceOf(ClonedException.class).hasMessage("no goal given");
    }

    @Test
    void should_fail_with_every_exclusion_listed_when_no_blueprint_fits() {
        assertThatThrownBy(() -> talk("", new Conversation.Options("publish a youtube video", List.of("no_publishing"),
            null, true, false, "test")))
            .isInstanceOf(ClonedException.class).hasMessageContaining("no blueprint fits");
        assertThat(said.toString()).contains("Excluded: blueprint.creator").contains("no-publishing-excludes-publishers");
    }

    @Test
    void should_print_the_whole_plan_and_ask_nothing_when_scripted_as_a_dry_run() {
        Conversation.Outcome o = talk("", new Conversation.Options("scaffold an app on github", List.of(), null, false,
            true, "test"));

        assertThat(o.applied()).isFalse();
        assertThat(said.toString()).doesNotContain("[Y/n").doesNotContain("[y/N]")
            .contains("# Plan of Record: blueprint.builder")
            .contains("dry run: the plan was not written");
        assertThat(root.resolve(".cloned/plans")).doesNotExist();
    }
}
