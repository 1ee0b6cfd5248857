package dev.cloned.graph.algo;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.graph.BlueprintMatch;
import dev.cloned.graph.BlueprintPlan;
import dev.cloned.graph.CapabilityGraph;
import dev.cloned.graph.ConnectorChoice;
import dev.cloned.graph.CoverBasis;
import dev.cloned.graph.Explanation;
import dev.cloned.graph.Inventory;
import dev.cloned.graph.MissingCapability;
import dev.cloned.graph.Planner;
import dev.cloned.graph.RiskLevel;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphPlannerTest {
    private static final CapabilityGraph GRAPH = CapabilityGraph.loadBuiltin();
    private static final Inventory OFFICIAL = new Inventory(Set.of(), Set.of("cloned.official"));

    private final Planner planner = Planner.over(GRAPH);

    @Test
    void should_map_goal_to_blueprint_and_capabilities_when_goal_mentions_research() {
        Explanation explanation = planner.explain("Write a research report on heat pumps", OFFICIAL);

        assertThat(explanation.matches()).extracting(BlueprintMatch::blueprintId)
                .containsExactly("blueprint.researcher");
        assertThat(explanation.plans().get(0).capabilities()).containsExactly("artifact.write", "citations.lookup",
                "content.guard", "report.compose", "secrets.read", "text.synthesis", "web.search");
    }

    @Test
    void should_rank_the_blueprint_with_more_matching_phrases_first_when_several_match() {
        assertThat(planner.match("legal research on GDPR contracts")).extracting(BlueprintMatch::blueprintId)
                .containsExactly("blueprint.legal_research", "blueprint.researcher");
        assertThat(planner.match("bake a cake")).isEmpty();
    }

    @Test
    void should_order_setup_with_the_vault_before_github_when_planning_builder() {
        BlueprintPlan plan = planner.plan("blueprint.builder", OFFICIAL);

        assertThat(plan.connectors()).extracting(ConnectorChoice::connectorId).containsExactly(
                "connector.builtin", "connector.local.artifacts", "connector.vault",
                "connector.github.app", "connector.model.synthesis");
        assertThat(plan.connectors()).allMatch(c -> c.basis() == CoverBasis.VERIFIED_PUBLISHER);
        assertThat(plan.risk()).isEqualTo(RiskLevel.HIGH);
        assertThat(plan.requiredApprovals()).containsExactly("workspace.admins");
        assertThat(plan.egressHosts()).containsExactly("api.anthropic.com", "api.github.com", "api.openai.com");
    }

    @Test
    void should_recommend_connectors_and_name_the_unavailable_capability_when_planning_legal_research() {
        BlueprintPlan plan = planner.plan("blueprint.legal_research",
                new Inventory(Set.of("connector.web.search", "connector.builtin"), Set.of("cloned.official")));

        assertThat(plan.unavailable()).containsExactly("legal.case_law.search");
        assertThat(plan.unknownCostCapabilities()).containsExactly("legal.case_law.search");
        MissingCapability citations = plan.missing().stream()
                .filter(m -> m.capabilityId().equals("citations.lookup")).findFirst().orElseThrow();
        assertThat(citations.connectorId()).contains("connector.citations.crossref");
        assertThat(citations.manualSteps()).anyMatch(s -> s.contains("cloned vault set crossref.mailto"));
        assertThat(plan.missing()).extracting(MissingCapability::capabilityId)
                .doesNotContain("web.search", "content.guard");
        assertThat(plan.connectorsToInstall()).extracting(ConnectorChoice::connectorId)
                .doesNotContain("connector.web.search");
        assertThat(plan.coverageRatio()).isBetween(0.0, 1.0);
    }

    @Test
    void should_flag_publishing_when_a_blueprint_uploads_content() {
        assertThat(planner.plan("blueprint.creator", OFFICIAL).publishesContent()).isTrue();
        assertThat(planner.plan("blueprint.researcher", OFFICIAL).publishesContent()).isFalse();
    }

    @Test
    void should_fail_with_not_found_when_the_blueprint_is_unknown() {
        assertThatThrownBy(() -> planner.plan("blueprint.nope", OFFICIAL))
                .isInstanceOfSatisfying(ClonedException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
