package dev.cloned.rules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** A budget window length. Windows align to calendar boundaries in UTC (weeks start on Monday). */
public enum BudgetPeriod {
    HOUR, DAY, WEEK, MONTH;

    /** Start of the window that contains {@code at}. */
    public Instant windowStart(Instant at) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        ZonedDateTime start = switch (this) {
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        };
        return start.toInstant();
    }

    /** End (exclusive) of the window that contains {@code at}. */
    public Instant windowEnd(Instant at) {
        ZonedDateTime start = windowStart(at).atZone(ZoneOffset.UTC);
        ZonedDateTime end = switch (this) {
            case HOUR -> start.plusHours(1);
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
        return end.toInstant();
    }

    /** Wire form, e.g. {@code month}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire form. */
    public static BudgetPeriod fromWire(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
