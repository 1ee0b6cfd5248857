package dev.cloned.runtime.budget;

import dev.cloned.rules.BudgetPeriod;
import dev.cloned.rules.Charge;
import dev.cloned.rules.pack.PackLoader;
import dev.cloned.rules.pack.PolicyPack;
import dev.cloned.runtime.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetWindowTest {

    @ParameterizedTest(name = "{0} at {1} -> [{2}, {3})")
    @CsvSource({
        "hour,  2026-05-17T10:59:59Z, 2026-05-17T10:00:00Z, 2026-05-17T11:00:00Z",
        "day,   2026-05-17T23:59:59Z, 2026-05-17T00:00:00Z, 2026-05-18T00:00:00Z",
        "week,  2026-05-17T12:00:00Z, 2026-05-11T00:00:00Z, 2026-05-18T00:00:00Z",
        "week,  2026-05-18T00:00:00Z, 2026-05-18T00:00:00Z, 2026-05-25T00:00:00Z",
        "month, 2026-02-28T23:00:00Z, 2026-02-01T00:00:00Z, 2026-03-01T00:00:00Z",
        "month, 2026-12-31T23:59:59Z, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
    })
    void should_align_windows_to_utc_calendar_boundaries(String period, String at, String start, String end) {
        BudgetPeriod p = BudgetPeriod.fromWire(period);
        assertThat(p.windowStart(Instant.parse(at))).isEqualTo(Instant.parse(start));
        assertThat(p.windowEnd(Instant.parse(at))).isEqualTo(Instant.parse(end));
    }

    @Test
    void should_start_from_zero_when_the_window_rolls_over(@TempDir Path dir) {
        PolicyPack pack = PackLoader.builtIn("personal"); // content_publish: 5 per month
        try (SqliteStore store = SqliteStore.open(dir.resolve("s.db"))) {
            Budgets b = new Budgets(store);
            Instant lastDay = Instant.parse("2026-01-31T23:59:00Z");
            assertThat(b.reserve(pack, List.of(new Charge("content_publish", 5)), lastDay)).isEmpty();
            assertThat(b.reserve(pack, List.of(new Charge("content_publish", 1)), lastDay)).contains("content_publish");

            Instant nextMonth = Instant.parse("2026-02-01T00:00:00Z");
            assertThat(b.reserve(pack, List.of(new Charge("content_publish", 1)), nextMonth)).isEmpty();
            assertThat(b.state(pack, "content_publish", nextMonth).orElseThrow().used()).isEqualTo(1);
        }
    }

    @Test
    void should_reserve_all_charges_or_none(@TempDir Path dir) {
        PolicyPack pack = PackLoader.builtIn("personal");
        try (SqliteStore store = SqliteStore.open(dir.resolve("s.db"))) {
            Budgets b = new Budgets(store);
            Instant at = Instant.parse("2026-06-10T00:00:00Z");
            assertThat(b.reserve(pack, List.of(new Charge("api_requests", 10), new Charge("content_publish", 6)), at))
                .contains("content_publish");
            assertThat(b.state(pack, "api_requests", at).orElseThrow().used()).as("rolled back").isZero();
        }
    }
}
