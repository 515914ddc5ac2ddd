package io.switchboard.console;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A bar chart laid out for an inline SVG (no script, no chart library, nothing fetched): one bar
 * per item, optionally with a highlighted part (escalated conversations of a day), scaled to the
 * largest value. Each bar carries its label and value for a tooltip and screen readers.
 */
public record BarChart(String title, List<Bar> bars, String largest, String firstLabel, String lastLabel) {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 160;

    /** A bar and its highlighted part, both measured from the chart's baseline. */
    public record Bar(
            double x,
            double y,
            double width,
            double height,
            double partY,
            double partHeight,
            String label,
            String value) {}

    /** Scaled to the largest value, or to {@code ceiling} when that is larger (a score out of 5 is drawn against 5). */
    static <T> BarChart of(
            String title,
            List<T> items,
            ToDoubleFunction<T> value,
            ToDoubleFunction<T> part,
            java.util.function.Function<T, String> label,
            java.util.function.DoubleFunction<String> format,
            double ceiling) {
        double max = Math.max(ceiling, items.stream().mapToDouble(value).max().orElse(0));
        double slot = items.isEmpty() ? WIDTH : (double) WIDTH / items.size();
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            double height = max == 0 ? 0 : value.applyAsDouble(item) / max * HEIGHT;
            double partHeight = max == 0 ? 0 : part.applyAsDouble(item) / max * HEIGHT;
            bars.add(new Bar(
                    round(i * slot + slot * 0.1),
                    round(HEIGHT - height),
                    round(slot * 0.8),
                    round(height),
                    round(HEIGHT - partHeight),
                    round(partHeight),
                    label.apply(item),
                    format.apply(value.applyAsDouble(item))));
        }
        return new BarChart(
                title,
                bars,
                format.apply(max),
                items.isEmpty() ? "" : label.apply(items.get(0)),
                items.isEmpty() ? "" : label.apply(items.get(items.size() - 1)));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
