package io.switchboard.tenant;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** How a tenant's widget looks on its site. */
public record WidgetLook(
        @Size(max = 60) String title,
        @Pattern(regexp = "^#[0-9a-fA-F]{6}$", message = "must be a colour such as #2454d6") String colour,
        @Pattern(regexp = "^(left|right)$", message = "must be left or right") String position) {

    public static final WidgetLook DEFAULT = new WidgetLook(null, null, null);

    public WidgetLook {
        title = title == null || title.isBlank() ? "Support" : title.strip();
        colour = colour == null ? "#2454d6" : colour;
        position = position == null ? "right" : position;
    }
}
