package org.scalinglab.report;

import org.knowm.xchart.XYChart;

/**
 * One figure of the report: its number ("1a"), file name stem, title and caption, and the chart; or, when
 * the data cannot support it, no chart and the reason, which the page shows in its place.
 */
record Figure(String number, String slug, String title, String caption, XYChart chart, String omitted) {

    static Figure drawn(String number, String slug, String title, String caption, XYChart chart) {
        return new Figure(number, slug, title, caption, chart, null);
    }

    static Figure omitted(String number, String slug, String title, String reason) {
        return new Figure(number, slug, title, null, null, reason);
    }

    boolean isDrawn() {
        return chart != null;
    }

    /** The file name stem: figures/1a-loss-vs-tokens.png and .svg. */
    String fileStem() {
        return number + "-" + slug;
    }
}
