package io.switchboard.tenant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * How a tenant's widget looks on its site: title, colour (white text on it must keep the 4.5:1
 * contrast of WCAG AA), launcher position, and the language of the widget's own words.
 */
public record WidgetLook(
        @Size(max = 60) String title,

        @Pattern(regexp = "^#[0-9a-fA-F]{6}$", message = "must be a colour such as #2454d6")
        String colour,

        @Pattern(regexp = "^(left|right)$", message = "must be left or right")
        String position,

        @Pattern(regexp = "^(en|es|fr|de|zh)$", message = "must be en, es, fr, de or zh")
        String language) {

    public static final WidgetLook DEFAULT = new WidgetLook(null, null, null, null);
    static final double MIN_CONTRAST = 4.5;

    public WidgetLook {
        title = title == null || title.isBlank() ? "Support" : title.strip();
        colour = colour == null ? "#2454d6" : colour;
        position = position == null ? "right" : position;
        language = language == null ? "en" : language;
    }

    public WidgetLook(String title, String colour, String position) {
        this(title, colour, position, null);
    }

    @JsonIgnore
    @AssertTrue(
            message =
                    "colour is too light for white text: it needs a contrast of at least 4.5:1 (WCAG AA); choose a darker colour")
    public boolean isColourReadable() {
        return !colour.matches("^#[0-9a-fA-F]{6}$") || contrastWithWhite(colour) >= MIN_CONTRAST;
    }

    /** WCAG contrast ratio of white text on the colour. */
    static double contrastWithWhite(String hex) {
        double[] channels = new double[3];
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
            channels[i] = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        double luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
        return 1.05 / (luminance + 0.05);
    }
}
