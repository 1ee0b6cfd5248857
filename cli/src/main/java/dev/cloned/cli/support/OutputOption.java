package dev.cloned.cli.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.json.CanonicalJson;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code --output text|json} and the two ways of printing: aligned tables for people, JSON for programs. */
public final class OutputOption {
    /** Output formats. */
    public enum Format { text, json }

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT", scope = ScopeType.INHERIT,
        description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    public boolean json() {
        return format == Format.json;
    }

    /** Prints pretty JSON. */
    public static void printJson(PrintWriter out, JsonNode node) {
        try {
            out.println(CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prints an aligned table with a header row. */
    public static void printTable(PrintWriter out, List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] w = new int[header.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], String.valueOf(r.get(i)).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = String.valueOf(r.get(i));
                sb.append(i == r.size() - 1 ? cell : String.format("%-" + w[i] + "s  ", cell));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
