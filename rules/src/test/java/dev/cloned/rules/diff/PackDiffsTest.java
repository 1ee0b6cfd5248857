package dev.cloned.rules.diff;

import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PackDiffsTest {
    @Test
    void should_report_no_difference_when_a_pack_is_compared_with_itself() {
        PolicyPack p = PackLoader.builtIn("personal");

        PackDiff d = PackDiffs.between("personal", p, "personal", p);

        assertThat(d.same()).isTrue();
        assertThat(PackDiffs.text(d)).contains("no differences");
    }

    @Test
    void should_list_caps_allowlists_and_approval_rules_when_built_in_packs_differ() {
        PackDiff d = PackDiffs.between("personal", PackLoader.builtIn("personal"), "enterprise",
            PackLoader.builtIn("enterprise"));

        assertThat(d.rules()).as("both use lib:governance").isEmpty();
        assertThat(d.data()).contains(
            new PackDiff.DataChange("budgets.api_requests", PackDiff.Change.CHANGED, "10000 per month",
                "100000 per month"),
            new PackDiff.DataChange("allowlists.publishers", PackDiff.Change.ADDED, null, "enterprise.trusted"),
            new PackDiff.DataChange("allowlists.egress_domains", PackDiff.Change.REMOVED, "localhost", null),
            new PackDiff.DataChange("approvals.rules", PackDiff.Change.ADDED, null,
                "risk_level=medium requires approval by [product]"));
        assertThat(d.data()).extracting(PackDiff.DataChange::path).doesNotContain("budgets.storage");
    }

    @Test
    void should_show_added_removed_and_changed_rules_by_name_when_overlay_rules_differ(@TempDir Path dir)
        throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        String head = "package dev.cloned.custom\nimport dev.cloned.rules.fact.ToolCall\nimport dev.cloned.rules.fact.Verdicts\n";
        Files.writeString(a.resolve("custom.drl"), head + rule("keep", "low") + rule("edit", "low") + rule("gone", "low"));
        Files.writeString(b.resolve("custom.drl"), head + rule("keep", "low") + rule("edit", "high") + rule("fresh", "low"));
        PolicyPack base = PackLoader.builtIn("personal");

        PackDiff d = PackDiffs.between("a", PackLoader.withOverlay(base, a), "b", PackLoader.withOverlay(base, b));

        assertThat(d.rules()).extracting(PackDiff.RuleChange::name, PackDiff.RuleChange::change).containsExactly(
            org.assertj.core.groups.Tuple.tuple("edit", PackDiff.Change.CHANGED),
            org.assertj.core.groups.Tuple.tuple("fresh", PackDiff.Change.ADDED),
            org.assertj.core.groups.Tuple.tuple("gone", PackDiff.Change.REMOVED));
        assertThat(d.rules().get(0).rightBody()).contains("riskLevel == \"high\"").endsWith("end");
        assertThat(PackDiffs.text(d)).contains("~ edit").contains("+ $c : ToolCall( riskLevel == \"high\" )");
    }

    private static String rule(String name, String risk) {
        return "\nrule \"" + name + "\"\nwhen\n    $c : ToolCall( riskLevel == \"" + risk + "\" )\n    $o : Verdicts()\n"
            + "then\n    $o.deny(kcontext, \"x\", \"x\");\nend\n";
    }
}
