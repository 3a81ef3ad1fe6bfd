package org.scalinglab.report;

import org.knowm.xchart.XYChart;

/**
 * One figure of the report: its number ("1a"), file name stem, title and caption, and the chart; or, when
 * the data cannot support it, no chart and the reason, which the page shows in its place.
 *
 * <p>A figure's {@link Body} decides before drawing whether there is anything to draw, and says why not
 * with {@link #absent}; that is the only way a figure becomes a note. An exception from a body is a bug: it
 * fails the report when {@value #STRICT} is true (the tests set it), and otherwise, so that a user still
 * gets the rest of the page, becomes a note naming the exception.
 */
record Figure(String number, String slug, String title, String caption, XYChart chart, String omitted) {

    /** System property: a figure that throws fails the report instead of becoming a note (set in tests). */
    static final String STRICT = "scalinglab.report.strict";

    /** Draws one figure from the data, or says why there is nothing to draw. */
    interface Body {
        Figure draw();
    }

    /** A figure drawn by a {@link Body}: numbered and titled by {@link #build}. */
    static Figure chart(XYChart chart, String caption) {
        return new Figure(null, null, null, caption, chart, null);
    }

    /** What a {@link Body} returns when the data cannot support the figure (no fit, too few runs, ...). */
    static Figure absent(String reason) {
        return new Figure(null, null, null, null, null, reason);
    }

    /** The figure a body draws, under its number, file name and title. */
    static Figure build(String number, String slug, String title, Body body) {
        Figure f;
        try {
            f = body.draw();
        } catch (RuntimeException e) {
            if (Boolean.getBoolean(STRICT)) {
                throw new IllegalStateException("figure " + number + " (" + title + ") threw: " + e, e);
            }
            return new Figure(number, slug, title, null, null, "could not be drawn: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
        }
        return new Figure(number, slug, title, f.caption(), f.chart(), f.omitted());
    }

    boolean isDrawn() {
        return chart != null;
    }

    /** The file name stem: figures/1a-loss-vs-tokens.png and .svg. */
    String fileStem() {
        return number + "-" + slug;
    }
}
