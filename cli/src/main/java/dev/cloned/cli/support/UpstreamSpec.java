package dev.cloned.cli.support;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --upstream ID=COMMAND}: the connector id its tools register under and the command that starts the MCP
 * server, split into words like a POSIX shell does for quotes and backslashes (no variables, globs or pipes), so a
 * path with spaces can be quoted: {@code files=npx -y server-filesystem "/home/me/My Documents"}.
 */
public record UpstreamSpec(String id, List<String> command) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final String EXAMPLE = "e.g. --upstream 'files=npx -y @modelcontextprotocol/server-filesystem /tmp'";

    public UpstreamSpec {
        command = List.copyOf(command);
    }

    /** Parses {@code ID=COMMAND}; a bad one is {@code INVALID_INPUT} saying what is wrong. */
    public static UpstreamSpec parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw bad("--upstream '" + spec + "' has no '=': it wants ID=COMMAND");
        }
        String id = spec.substring(0, eq).trim();
        if (!ID.matcher(id).matches()) {
            throw bad("--upstream id '" + id + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
        List<String> words = words(spec.substring(eq + 1));
        if (words.isEmpty()) {
            throw bad("--upstream " + id + "= has no command");
        }
        return new UpstreamSpec(id, words);
    }

    /** Splits {@code text} into words: blanks separate, '...' is literal, "..." and a backslash escape. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\\') {
                if (++i == text.length()) {
                    throw bad("--upstream command ends with a lone backslash: " + text);
                }
                w.append(text.charAt(i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw bad("--upstream command has an unclosed " + quote + " quote: " + text);
        }
        if (inWord) {
            out.add(w.toString());
        }
        return out;
    }

    private static ClonedException bad(String msg) {
        return new ClonedException(ErrorCode.INVALID_INPUT, msg, EXAMPLE);
    }
}
