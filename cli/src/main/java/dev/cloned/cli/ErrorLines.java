package dev.cloned.cli;

import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.runtime.redact.Redactor;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The CLI's one error printer. A failure becomes {@code error: MESSAGE [code]} and {@code   fix: HINT}, a usage
 * error its message and the usage, an unexpected exception {@code internal error: ...}; every line passes the
 * redactor first (the gateway's, which knows the vault's secrets, when the command opened one), and the exit code
 * comes from {@link ExitCodes}.
 */
final class ErrorLines implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine line, CommandLine.ParseResult parsed) {
        PrintWriter err = line.getErr();
        Redactor r = WorkspaceOption.redactor();
        if (ex instanceof ClonedException ce) {
            err.println("error: " + r.redact(ce.getMessage()) + " [" + ce.code().code() + "]");
            if (ce.hint() != null) {
                err.println("  fix: " + r.redact(ce.hint()));
            }
            err.flush();
            return ExitCodes.of(ce.code());
        }
        err.println("internal error: " + r.redact(ex.toString()));
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /** Like picocli's default handler (message, then suggestions or usage), with the message redacted. */
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine line = ex.getCommandLine();
        PrintWriter err = line.getErr();
        err.println(WorkspaceOption.redactor().redact(ex.getMessage()));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            line.usage(err, line.getColorScheme());
        }
        err.flush();
        return line.getCommandSpec().exitCodeOnInvalidInput();
    }
}
