package io.switchboard.insight;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The customer's answer to "How did we do?": 1 (bad) to 5 (great), and what they want to add. */
public record RatingRequest(
        @NotNull(message = "must be a whole number from 1 to 5")
        @Min(value = 1, message = "must be from 1 to 5")
        @Max(value = 5, message = "must be from 1 to 5")
        Integer score,

        @Size(max = RatingRequest.MAX_COMMENT, message = "must be at most " + RatingRequest.MAX_COMMENT + " characters")
        String comment) {

    public static final int MAX_COMMENT = 1000;
}
