package dev.cloned.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command answers --help with exit 0, and the root answers --version. */
class CommandTreeTest {

    private static void collect(CommandLine cl, List<List<String>> paths, List<String> prefix) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            paths.add(p);
            collect(e.getValue(), paths, p);
        }
    }

    @Test
    void should_print_help_for_every_command() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new ClonedCli()), paths, List.of());
        assertThat(paths).hasSizeGreaterThan(15);
        for (List<String> p : paths) {
            List<String> args = new ArrayList<>(p);
            args.add("--help");
            StringWriter out = new StringWriter();
            int code = ClonedCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new));
            assertThat(code).as(String.join(" ", p)).isZero();
            assertThat(out.toString()).as(String.join(" ", p)).contains("Usage: cloned " + String.join(" ", p));
        }
    }

    @Test
    void should_print_the_version() {
        StringWriter out = new StringWriter();
        assertThat(ClonedCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--version")).isZero();
        assertThat(out.toString()).startsWith("cloned ");
    }

    @Test
    void should_offer_output_json_on_data_commands_and_dry_run_on_changing_ones() {
        CommandLine root = new CommandLine(new ClonedCli());
        for (String data : List.of("tools", "budgets", "init", "call", "demo")) {
            assertThat(root.getSubcommands().get(data).getCommandSpec().findOption("--output")).as(data).isNotNull();
        }
        for (String changing : List.of("init", "call")) {
            assertThat(root.getSubcommands().get(changing).getCommandSpec().findOption("--dry-run")).as(changing).isNotNull();
        }
        for (String nested : List.of("approvals list", "audit tail", "firewall list", "policy show")) {
            String[] path = nested.split(" ");
            assertThat(root.getSubcommands().get(path[0]).getSubcommands().get(path[1]).getCommandSpec()
                .findOption("--output")).as(nested + " inherits --output").isNotNull();
        }
        CommandLine approvals = root.getSubcommands().get("approvals");
        assertThat(approvals.getSubcommands().get("approve").getCommandSpec().findOption("--dry-run")).isNotNull();
        assertThat(approvals.getSubcommands().get("deny").getCommandSpec().findOption("--dry-run")).isNotNull();
        CommandLine fw = root.getSubcommands().get("firewall");
        assertThat(fw.getSubcommands().get("allow").getCommandSpec().findOption("--dry-run")).isNotNull();
        assertThat(fw.getSubcommands().get("remove").getCommandSpec().findOption("--dry-run")).isNotNull();
    }
}
