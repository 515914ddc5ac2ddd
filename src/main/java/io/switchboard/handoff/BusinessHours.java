package io.switchboard.handoff;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When the tenant's people answer, in the tenant's time zone: per day ({@code mon} … {@code sun})
 * one or more ranges such as {@code "09:00-12:30,13:30-18:00"}; a day not listed is closed.
 */
public record BusinessHours(
        @NotBlank String timezone,

        @NotNull @Size(min = 1, max = 7)
        Map<
                        @Pattern(
                                regexp = "mon|tue|wed|thu|fri|sat|sun",
                                message = "must be mon, tue, wed, thu, fri, sat or sun")
                        String,
                        @Pattern(
                                regexp = RANGES,
                                message = "must be ranges such as 09:00-18:00 or 09:00-12:30,13:30-18:00")
                        String>
                open) {

    private static final String RANGE = "([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)";
    static final String RANGES = "^" + RANGE + "(," + RANGE + ")*$";

    public BusinessHours {
        open = open == null ? Map.of() : Map.copyOf(open);
    }

    @JsonIgnore
    @AssertTrue(message = "timezone must be a time zone such as Europe/Paris")
    public boolean isTimezoneKnown() {
        try {
            ZoneId.of(timezone);
            return true;
        } catch (DateTimeException | NullPointerException e) {
            return false;
        }
    }

    @JsonIgnore
    @AssertTrue(message = "every range must end after it starts, within the day (22:00-24:00, not 22:00-02:00)")
    public boolean isEveryRangeForward() {
        return open.values().stream()
                .filter(value -> value != null && value.matches(RANGES))
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .allMatch(range -> range.substring(0, 5).compareTo(range.substring(6)) < 0);
    }

    /** Whether a person is expected to answer at that moment. */
    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(ZoneId.of(timezone));
        LocalTime time = local.toLocalTime();
        return ranges(local.getDayOfWeek()).anyMatch(range -> !time.isBefore(range[0]) && time.isBefore(range[1]));
    }

    /** The next moment the team opens after {@code at}, within a week; empty when no day is open. */
    public Optional<ZonedDateTime> nextOpening(Instant at) {
        ZonedDateTime local = at.atZone(ZoneId.of(timezone));
        for (int day = 0; day <= 7; day++) {
            ZonedDateTime date = local.plusDays(day);
            Optional<ZonedDateTime> opening = ranges(date.getDayOfWeek())
                    .map(range -> date.with(range[0]).withSecond(0).withNano(0))
                    .filter(start -> start.isAfter(local))
                    .min(ZonedDateTime::compareTo);
            if (opening.isPresent()) {
                return opening;
            }
        }
        return Optional.empty();
    }

    private java.util.stream.Stream<LocalTime[]> ranges(DayOfWeek day) {
        String key = day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
        String value = open.get(key);
        if (value == null) {
            return java.util.stream.Stream.empty();
        }
        return java.util.Arrays.stream(value.split(",")).map(range -> {
            String[] ends = range.split("-");
            LocalTime end = ends[1].equals("24:00") ? LocalTime.MAX : LocalTime.parse(ends[1]);
            return new LocalTime[] {LocalTime.parse(ends[0]), end};
        });
    }
}
