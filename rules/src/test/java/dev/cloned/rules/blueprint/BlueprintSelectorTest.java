package dev.cloned.rules.blueprint;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.Inventory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlueprintSelectorTest {
    private static final CapabilityGraph GRAPH = CapabilityGraph.loadBuiltin();
    private static final String ONE_RULE = "package test.selection;\n"
            + "import dev.cloned.rules.blueprint.BlueprintFact;\n"
            + "global dev.cloned.rules.blueprint.SelectionLedger ledger;\n"
            + "rule \"always-builder\"\nwhen\n  $b : BlueprintFact(id == \"blueprint.builder\")\n"
            + "then\n  ledger.score($b.getId(), 100, \"house rule\");\nend\n";

    @TempDir
    Path dir;

    @Test
    void should_use_the_users_rules_when_a_drl_path_is_given() throws IOException {
        Path drl = Files.writeString(dir.resolve("selection.drl"), ONE_RULE);

        BlueprintSelection selection = BlueprintSelector.fromFile(GRAPH, drl)
                .select(SelectionRequest.of("research report", List.of(), Inventory.empty()));

        RankedBlueprint best = selection.best().orElseThrow();
        assertThat(best.blueprintId()).isEqualTo("blueprint.builder");
        assertThat(best.reasons()).containsExactly(new ScoreReason("always-builder", 100, "house rule"));
        assertThat(selection.firedRules()).containsExactly("always-builder");
    }

    @Test
    void should_compile_once_when_the_same_drl_content_is_loaded_again() {
        assertThat(SelectionRuleBase.compile(ONE_RULE, "a.drl")).isSameAs(SelectionRuleBase.compile(ONE_RULE, "b.drl"));
        assertThat(SelectionRuleBase.compile(ONE_RULE + "\n", "c.drl"))
                .isNotSameAs(SelectionRuleBase.compile(ONE_RULE, "a.drl"));
    }

    @Test
    void should_fail_with_invalid_policy_naming_the_file_when_the_drl_does_not_compile() throws IOException {
        Path drl = Files.writeString(dir.resolve("broken.drl"), ONE_RULE.replace("BlueprintFact(", "NoSuchFact("));

        assertThatThrownBy(() -> BlueprintSelector.fromFile(GRAPH, drl))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_POLICY))
                .hasMessageContaining("broken.drl")
                .hasMessageContaining("line ");
    }

    @Test
    void should_fail_with_not_found_when_the_drl_file_is_missing() {
        assertThatThrownBy(() -> BlueprintSelector.fromFile(GRAPH, dir.resolve("absent.drl")))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void should_explain_exclusions_with_the_rule_and_its_message_when_a_constraint_excludes() {
        BlueprintSelection selection = BlueprintSelector.builtin(GRAPH).select(SelectionRequest.of(
                "publish a youtube video", List.of("no_publishing"), Inventory.empty()));

        ExcludedBlueprint creator = selection.excluded().stream()
                .filter(e -> e.blueprintId().equals("blueprint.creator")).findFirst().orElseThrow();
        assertThat(creator.reasons()).extracting(ScoreReason::rule).contains("no-publishing-excludes-publishers");
        assertThat(creator.plan().publishesContent()).isTrue();
    }

    @Test
    void should_report_untested_rules_when_no_case_names_them() {
        SelectionCase onlyGoal = new SelectionCase("x", SelectionRequest.of("g", List.of(), Inventory.empty()),
                List.of(), java.util.Set.of(), List.of("goal-phrase-match"), Map.of(), List.of());

        assertThat(SelectionCase.untested(List.of("goal-phrase-match", "new-rule"), List.of(onlyGoal)))
                .containsExactly("new-rule");
    }

    @Test
    void should_treat_a_bare_key_as_true_when_parsing_constraints() {
        SelectionRequest request = SelectionRequest.of("g", List.of("no_publishing", " max_monthly_budget = 50 "),
                Inventory.empty());

        assertThat(request.constraints()).containsExactly(Map.entry("max_monthly_budget", "50"),
                Map.entry("no_publishing", "true"));
        assertThatThrownBy(() -> SelectionRequest.of("g", List.of("=1"), Inventory.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_expose_no_kie_types_when_inspecting_the_public_api() {
        List<Class<?>> api = List.of(BlueprintSelector.class, BlueprintSelection.class, RankedBlueprint.class,
                ExcludedBlueprint.class, ScoreReason.class, SelectionRequest.class, SelectionLedger.class,
                BlueprintFact.class, GoalFact.class, ConstraintFact.class);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            for (Method method : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers())) {
                    continue;
                }
                Stream.concat(Stream.of(method.getReturnType()), Stream.of(method.getParameterTypes()))
                        .filter(t -> t.getName().startsWith("org.kie") || t.getName().startsWith("org.drools"))
                        .forEach(t -> leaks.add(type.getSimpleName() + "." + method.getName() + " uses " + t.getName()));
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    assertThat(component.getType().getName()).doesNotStartWith("org.kie");
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
