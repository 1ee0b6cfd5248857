package dev.cloned.rules.blueprint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cloned.graph.Inventory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** One case of blueprints/selection.tests.yaml. */
record SelectionCase(String name, SelectionRequest request, List<String> ranked, Set<String> excluded,
                     List<String> fired, Map<String, Integer> scores, List<String> warnings) {

    static List<SelectionCase> loadBuiltin() {
        try (InputStream in = SelectionCase.class.getClassLoader().getResourceAsStream("blueprints/selection.tests.yaml")) {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            List<SelectionCase> cases = new ArrayList<>();
            root.path("cases").forEach(node -> cases.add(parse(node)));
            return cases;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read blueprints/selection.tests.yaml", e);
        }
    }

    /** Rules that no case names under {@code fired}: each one is a rule without a test. */
    static Set<String> untested(Collection<String> ruleNames, List<SelectionCase> cases) {
        Set<String> untested = new TreeSet<>(ruleNames);
        cases.forEach(c -> c.fired().forEach(untested::remove));
        return untested;
    }

    private static SelectionCase parse(JsonNode node) {
        JsonNode expect = node.path("expect");
        Map<String, Integer> scores = new LinkedHashMap<>();
        expect.path("scores").properties().forEach(e -> scores.put(e.getKey(), e.getValue().asInt()));
        Inventory inventory = new Inventory(Set.copyOf(strings(node.path("installed"))),
                node.has("verified") ? Set.copyOf(strings(node.path("verified"))) : Set.of("cloned.official"));
        SelectionRequest request = SelectionRequest.of(node.path("goal").asText(), strings(node.path("constraints")),
                inventory);
        return new SelectionCase(node.path("name").asText(), request, strings(expect.path("ranked")),
                new TreeSet<>(strings(expect.path("excluded"))), strings(expect.path("fired")), scores,
                strings(expect.path("warnings")));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Override
    public String toString() {
        return name;
    }
}
