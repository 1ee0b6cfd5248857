package dev.cloned.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the packaged CLI ({@code cli/target/cloned.jar}) as a real subprocess and captures its output. */
final class CliProcess {
    private static final Pattern LISTENING = Pattern.compile("cloned gateway on (http://\\S+:\\d+) ");
    private static final Pattern TOKEN = Pattern.compile("bootstrap token .*: (\\S+)$");

    private CliProcess() {
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("cloned.root", "..")).resolve("cli/target/cloned.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        return jar;
    }

    static Run runWithStdin(Path cwd, String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("cloned " + String.join(" ", args) + " did not finish in 120 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Run run(Path cwd, String... args) throws IOException, InterruptedException {
        return runWithStdin(cwd, null, args);
    }

    /** A running {@code cloned serve}: its base URL and bootstrap token, read from the two lines it prints first. */
    record Serving(Process process, String base, String token) implements AutoCloseable {
        /** SIGTERM (the shutdown hook drains and closes the audit log), then waits for the exit. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("cloned serve did not stop in 60 s");
            }
        }
    }

    /** Starts {@code cloned serve --port 0 ARGS...} in {@code cwd} and waits until it listens. */
    static Serving serve(Path cwd, String... args) throws IOException, InterruptedException {
        return serve(cwd, java.util.Map.of(), args);
    }

    /** As {@link #serve(Path, String...)}, with {@code env} added to the inherited environment. */
    static Serving serve(Path cwd, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC", "-jar", jar().toString(), "serve", "--port", "0"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Matcher listening = LISTENING.matcher(String.valueOf(out.readLine()));
        Matcher token = TOKEN.matcher(String.valueOf(out.readLine()));
        if (!listening.find() || !token.find()) {
            new Serving(p, null, null).close();
            throw new IllegalStateException("cloned serve did not print its address and bootstrap token");
        }
        return new Serving(p, listening.group(1), token.group(1));
    }
}
