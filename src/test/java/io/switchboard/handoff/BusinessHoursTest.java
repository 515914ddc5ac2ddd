package io.switchboard.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

    private static final BusinessHours PARIS = new BusinessHours(
            "Europe/Paris", Map.of("mon", "09:00-12:30,13:30-18:00", "fri", "09:00-17:00", "sat", "22:00-24:00"));

    @Test
    void isOpenOnlyWithinTheDaysRangesInTheTenantsTimeZone() {
        // Monday 25 Nov 2026 is a Wednesday; 23 Nov 2026 is a Monday.
        assertThat(PARIS.isOpen(Instant.parse("2026-11-23T08:30:00Z"))).isTrue(); // 09:30 in Paris
        assertThat(PARIS.isOpen(Instant.parse("2026-11-23T12:00:00Z"))).isFalse(); // 13:00, lunch
        assertThat(PARIS.isOpen(Instant.parse("2026-11-23T07:59:00Z"))).isFalse(); // 08:59
        assertThat(PARIS.isOpen(Instant.parse("2026-11-25T10:00:00Z"))).isFalse(); // Wednesday: closed
        assertThat(PARIS.isOpen(Instant.parse("2026-11-28T22:59:00Z"))).isTrue(); // Saturday 23:59
    }

    @Test
    void theNextOpeningIsTheNextRangeStartWithinAWeek() {
        assertThat(PARIS.nextOpening(Instant.parse("2026-11-23T12:00:00Z")))
                .map(ZonedDateTime::toString)
                .hasValue("2026-11-23T13:30+01:00[Europe/Paris]");
        assertThat(PARIS.nextOpening(Instant.parse("2026-11-25T10:00:00Z")))
                .map(ZonedDateTime::toString)
                .hasValue("2026-11-27T09:00+01:00[Europe/Paris]");
        assertThat(PARIS.nextOpening(Instant.parse("2026-11-29T10:00:00Z")))
                .map(ZonedDateTime::toString)
                .hasValue("2026-11-30T09:00+01:00[Europe/Paris]");
        assertThat(new BusinessHours("UTC", Map.of()).nextOpening(Instant.parse("2026-11-29T10:00:00Z")))
                .isEmpty();
    }

    @Test
    void endTimesPastMidnightAndBackwardRangesAreRefused() {
        assertThat("09:00-24:00").matches(BusinessHours.RANGES);
        assertThat("09:00-24:30").doesNotMatch(BusinessHours.RANGES);
        assertThat("09:00-12:00,13:00-18:00").matches(BusinessHours.RANGES);
        assertThat(new BusinessHours("UTC", Map.of("mon", "22:00-02:00")).isEveryRangeForward())
                .isFalse();
        assertThat(new BusinessHours("UTC", Map.of("mon", "22:00-24:00", "tue", "09:00-12:00,13:00-18:00"))
                        .isEveryRangeForward())
                .isTrue();
    }

    @Test
    void aBadTimeZoneIsReported() {
        assertThat(new BusinessHours("Mars/Olympus", Map.of("mon", "09:00-17:00")).isTimezoneKnown())
                .isFalse();
        assertThat(PARIS.isTimezoneKnown()).isTrue();
    }
}
