package dev.cloned.gateway.onboard;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Plan of Record of each shipped blueprint, in a fresh personal workspace, against a golden file. Only the first
 * line (id, time, workspace) may differ. Regenerate with {@code -Donboard.golden.update=true} and review the diff.
 */
class PlanOfRecordGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/onboard");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-14T09:26:53Z"), ZoneOffset.UTC);

    @TempDir
    Path root;
    ClonedGateway gw;
    Onboarding onboarding;

    @BeforeEach
    void open() {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, CLOCK).run("personal", false);
        gw = ClonedGateway.open(ws, CLOCK);
        onboarding = Onboarding.builtin(gw, CLOCK);
    }

    @AfterEach
    void close() {
        gw.close();
    }

    private String plan(String goal, List<String> constraints) {
        BlueprintSelection s = onboarding.select(goal, constraints);
        return onboarding.render(onboarding.prepare(goal, constraints, s, s.best().orElseThrow().blueprintId(), "test"));
    }

    static String body(String markdown) {
        return markdown.substring(markdown.indexOf('\n') + 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "researcher;write a research report on heat pumps;",
        "builder;scaffold a prototype app and open a pull request on github;",
        "creator;publish a tutorial video on my youtube channel;",
        "legal_research;legal research on gdpr case law;max_monthly_budget=2000"})
    void should_render_the_golden_plan_of_record_when_onboarding_each_blueprint(String name, String goal,
                                                                                 String constraint) throws Exception {
        String md = plan(goal, constraint == null ? List.of() : List.of(constraint));

        assertThat(md.lines().findFirst().orElseThrow())
            .matches("<!-- cloned plan of record \\| id: plan_[0-9a-f]{16} \\| created: 2025-03-14T09:26:53Z"
                + " \\| workspace: ws_[0-9a-f]{16} -->");
        assertThat(md).contains("# Plan of Record: blueprint." + name);
        Path golden = GOLDEN.resolve(name + ".md");
        if (Boolean.getBoolean("onboard.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, "<!-- header masked -->\n" + body(md), StandardCharsets.UTF_8);
        }
        assertThat(body(md)).isEqualTo(body(Files.readString(golden, StandardCharsets.UTF_8)));
    }

    @Test
    void should_differ_only_in_the_header_line_when_the_inputs_are_the_same() {
        String a = plan("write a research report on heat pumps", List.of("no_publishing"));
        String b = plan("write a research report on heat pumps", List.of("no_publishing"));

        assertThat(a.lines().findFirst()).isNotEqualTo(b.lines().findFirst());
        assertThat(body(a)).isEqualTo(body(b));
    }
}
