package dev.cloned.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WorkspaceInitTest {
    @TempDir
    Path root;

    @Test
    void should_create_the_layout_when_the_folder_is_empty() {
        WorkspaceInit.Result r = new WorkspaceInit(Workspace.at(root), Clock.systemUTC()).run("shared", false);

        Workspace ws = Workspace.at(root);
        assertThat(ws.configFile()).isRegularFile();
        assertThat(ws.stateDb()).isRegularFile();
        assertThat(ws.auditLog()).isRegularFile();
        assertThat(ws.registryFile()).isRegularFile();
        assertThat(ws.revocationsFile()).isRegularFile();
        assertThat(ws.publishersDir()).isDirectory();
        assertThat(ws.policyDir()).isDirectory();
        assertThat(ws.artifactsDir()).isDirectory();
        assertThat(ws.config().tier()).isEqualTo("shared");
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.action()).isEqualTo("created"));
    }

    @Test
    void should_create_nothing_when_dry_run() throws IOException {
        WorkspaceInit.Result r = new WorkspaceInit(Workspace.at(root), Clock.systemUTC()).run("personal", true);

        assertThat(r.steps()).isNotEmpty().allSatisfy(s -> assertThat(s.action()).isEqualTo("would create"));
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void should_keep_existing_state_when_run_again() throws IOException {
        WorkspaceInit init = new WorkspaceInit(Workspace.at(root), Clock.systemUTC());
        init.run("personal", false);
        Workspace ws = Workspace.at(root);
        Files.writeString(ws.auditLog(), "precious\n");
        String config = Files.readString(ws.configFile());

        WorkspaceInit.Result again = init.run("enterprise", false);

        assertThat(ws.auditLog()).hasContent("precious");
        assertThat(Files.readString(ws.configFile())).isEqualTo(config);
        assertThat(again.tier()).isEqualTo("personal");
        assertThat(again.note()).contains("kept");
        assertThat(again.steps()).allSatisfy(s -> assertThat(s.action()).isEqualTo("exists"));
    }
}
