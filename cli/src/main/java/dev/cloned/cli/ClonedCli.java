package dev.cloned.cli;

import dev.cloned.cli.command.ApprovalsCommand;
import dev.cloned.cli.command.AuditCommand;
import dev.cloned.cli.command.BudgetsCommand;
import dev.cloned.cli.command.CallCommand;
import dev.cloned.cli.command.ConnectorsCommand;
import dev.cloned.cli.command.DemoCommand;
import dev.cloned.cli.command.DoctorCommand;
import dev.cloned.cli.command.FirewallCommand;
import dev.cloned.cli.command.GraphCommand;
import dev.cloned.cli.command.InitCommand;
import dev.cloned.cli.command.OnboardCommand;
import dev.cloned.cli.command.PolicyCommand;
import dev.cloned.cli.command.PublisherCommand;
import dev.cloned.cli.command.McpCommand;
import dev.cloned.cli.command.PairCommand;
import dev.cloned.cli.command.ServeCommand;
import dev.cloned.cli.command.ToolsCommand;
import dev.cloned.cli.command.VaultCommand;
import dev.cloned.cli.support.WorkspaceOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code cloned}: the command-line entry point. Commands are thin: parse, call a service, print. */
@Command(name = "cloned", mixinStandardHelpOptions = true, versionProvider = ClonedCli.Version.class,
    description = "Local-first governance gateway for AI-agent tool calls.",
    subcommands = {InitCommand.class, CallCommand.class, PolicyCommand.class, BudgetsCommand.class,
        ApprovalsCommand.class, AuditCommand.class, FirewallCommand.class, ToolsCommand.class, DemoCommand.class,
        VaultCommand.class, ConnectorsCommand.class, PublisherCommand.class, ServeCommand.class, McpCommand.class,
        PairCommand.class,
        GraphCommand.class,
        OnboardCommand.class,
        DoctorCommand.class,
        CommandLine.HelpCommand.class})
public final class ClonedCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-w", "--workspace"}, paramLabel = "DIR",
        description = "Workspace root for the command that follows (the folder holding .cloned/).")
    void workspace(java.nio.file.Path dir) {
        WorkspaceOption.setRootDefault(dir);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests in-process). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        WorkspaceOption.reset();
        CommandLine cl = new CommandLine(new ClonedCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorLines errors = new ErrorLines();
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        return cl.execute(args);
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ClonedCli.class.getPackage().getImplementationVersion();
            return new String[] {"cloned " + (v == null ? "dev" : v), "Java " + System.getProperty("java.version")};
        }
    }
}
