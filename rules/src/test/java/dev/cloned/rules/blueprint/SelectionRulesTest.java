package dev.cloned.rules.blueprint;

import dev.cloned.graph.CapabilityGraph;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case of blueprints/selection.tests.yaml against blueprints/selection.drl, plus one check that every
 * rule of the DRL is named by some case (a rule without a case fails here).
 */
class SelectionRulesTest {
    private static final BlueprintSelector SELECTOR = BlueprintSelector.builtin(CapabilityGraph.loadBuiltin());

    @TestFactory
    Stream<DynamicTest> should_select_as_each_case_expects_when_running_selection_tests_yaml() {
        List<SelectionCase> cases = SelectionCase.loadBuiltin();
        List<DynamicTest> tests = new ArrayList<>();
        for (SelectionCase selectionCase : cases) {
            tests.add(DynamicTest.dynamicTest(selectionCase.name(), () -> check(selectionCase)));
        }
        tests.add(DynamicTest.dynamicTest("every rule in selection.drl is named by a case", () ->
                assertThat(SelectionCase.untested(SELECTOR.ruleNames(), cases))
                        .as("rules without a case in selection.tests.yaml").isEmpty()));
        return tests.stream();
    }

    private static void check(SelectionCase expected) {
        BlueprintSelection selection = SELECTOR.select(expected.request());

        assertThat(selection.ranked()).extracting(RankedBlueprint::blueprintId).as("ranked")
                .containsExactlyElementsOf(expected.ranked());
        assertThat(selection.excluded()).extracting(ExcludedBlueprint::blueprintId).as("excluded")
                .containsExactlyInAnyOrderElementsOf(expected.excluded());
        assertThat(selection.firedRules()).as("fired rules").containsAll(expected.fired());
        for (Map.Entry<String, Integer> score : expected.scores().entrySet()) {
            RankedBlueprint ranked = selection.ranked().stream()
                    .filter(r -> r.blueprintId().equals(score.getKey())).findFirst().orElseThrow();
            assertThat(ranked.score()).as("score of " + score.getKey() + ", reasons " + ranked.reasons())
                    .isEqualTo(score.getValue());
        }
        for (String warning : expected.warnings()) {
            assertThat(selection.warnings()).as("warnings").anyMatch(w -> w.contains(warning));
        }
        for (ExcludedBlueprint excluded : selection.excluded()) {
            assertThat(excluded.reasons()).as("reasons for excluding " + excluded.blueprintId()).isNotEmpty();
        }
    }
}
