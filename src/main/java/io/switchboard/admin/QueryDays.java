package io.switchboard.admin;

import io.switchboard.platform.ProblemException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Days given as query parameters (2026-11-29): null when absent, a field error naming the parameter when unreadable. */
final class QueryDays {

    private QueryDays() {
    }

    static LocalDate day(String parameter, String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
        } catch (DateTimeParseException notADay) {
            throw ProblemException.invalid(parameter, "must be a day such as 2026-11-29");
        }
    }
}
