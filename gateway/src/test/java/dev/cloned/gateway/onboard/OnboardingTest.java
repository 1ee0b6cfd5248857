package dev.cloned.gateway.onboard;

import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.blueprint.BlueprintSelection;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

class OnboardingTest {
    @TempDir
    Path root;
    ClonedGateway gw;
    Onboarding onboarding;

    @BeforeEach
    void open() {
        Workspace ws = Workspace.at(root);
        new WorkspaceInit(ws, Clock.systemUTC()).run("personal", false);
        gw = ClonedGateway.open(ws, Clock.systemUTC());
        onboarding = Onboarding.builtin(gw, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        gw.close();
    }

    @Test
    void dump() {
        for (String goal : List.of("write a research report on heat pumps", "build a prototype app and open a pull request on github",
            "publish a youtube video", "legal research on gdpr case law")) {
            BlueprintSelection s = onboarding.select(goal, List.of());
            PlanOfRecord p = onboarding.prepare(goal, List.of(), s, s.best().orElseThrow().blueprintId(), "test");
            System.out.println(onboarding.render(p));
        }
    }
}
