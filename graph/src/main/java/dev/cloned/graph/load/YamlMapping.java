package dev.cloned.graph.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.graph.Blueprint;
import dev.cloned.graph.Capability;
import dev.cloned.graph.Connector;
import dev.cloned.graph.CostModel;
import dev.cloned.graph.RiskLevel;
import dev.cloned.graph.Tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps schema-valid YAML trees onto the model records; the schema has already checked shapes and types. */
final class YamlMapping {
    private YamlMapping() {
    }

    static Capability capability(JsonNode node) {
        return new Capability(node.path("id").asText(), node.path("description").asText(),
                RiskLevel.parse(node.path("risk_level").asText()), cost(node.path("cost_model")),
                strings(node.path("required_approvals")), strings(node.path("prerequisites")));
    }

    static Connector connector(JsonNode node) {
        List<Tool> tools = new ArrayList<>();
        node.path("tools").forEach(tool -> tools.add(tool(tool)));
        return new Connector(node.path("id").asText(), node.path("version").asText(),
                node.path("publisher_id").asText(), tools, strings(node.path("provides_capabilities")),
                strings(node.path("requires_capabilities")), strings(node.path("manual_steps")));
    }

    static Tool tool(JsonNode node) {
        return new Tool(node.path("id").asText(), node.path("schema_id").asText(),
                strings(node.path("permissions_required")), cost(node.path("cost")),
                RiskLevel.parse(node.path("risk_level").asText()), strings(node.path("egress_hosts")),
                strings(node.path("capabilities")));
    }

    static Blueprint blueprint(JsonNode node) {
        Map<String, Double> budget = new LinkedHashMap<>();
        node.path("budget_estimate").properties().forEach(e -> budget.put(e.getKey(), e.getValue().asDouble()));
        return new Blueprint(node.path("id").asText(), node.path("version").asText(),
                node.path("description").asText(""), strings(node.path("goals")),
                strings(node.path("required_capabilities")), strings(node.path("preferred_connectors")),
                node.path("policy_pack").asText(), node.path("first_run_pipeline").asText(),
                strings(node.path("expected_tool_calls")), budget);
    }

    static CostModel cost(JsonNode node) {
        String category = node.path("category").asText();
        JsonNode estimate = node.path("estimate");
        return estimate.isNumber() ? CostModel.of(category, estimate.asDouble()) : CostModel.unknown(category);
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.asText()));
        return values;
    }
}
