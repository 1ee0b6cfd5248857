package dev.cloned.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads JSON given on the command line: inline text, {@code @FILE}, a file path, or {@code -} for standard input. */
public final class Inputs {
    private Inputs() {
    }

    /** Parses {@code spec} as inline JSON, or reads it from {@code @file}/{@code -}. */
    public static JsonNode json(String spec, String what) {
        String text = spec;
        try {
            if (spec.equals("-")) {
                text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } else if (spec.startsWith("@")) {
                text = Files.readString(Path.of(spec.substring(1)));
            }
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot read " + what + " from " + spec + ": " + e.getMessage());
        }
        try {
            return CanonicalJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, what + " is not valid JSON: " + firstLine(e.getMessage()),
                "quote it for your shell, e.g. --input '{\"key\": \"value\"}', or use @file.json");
        }
    }

    /** Reads a file path or {@code -} as JSON. */
    public static JsonNode file(String pathOrDash, String what) {
        return json(pathOrDash.equals("-") ? "-" : "@" + pathOrDash, what);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
