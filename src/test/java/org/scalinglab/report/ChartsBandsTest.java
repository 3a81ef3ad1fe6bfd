package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Overlapping bands stay legible: light fills in their own colours, edged, the widest behind. */
class ChartsBandsTest {
    @Test
    void theWidestBandIsDrawnFirstAndEveryBandIsEdged() {
        XYChart c = Charts.chart("t", "C", "N", true, true);
        double[] x = {1, 10, 100};
        Charts.bands(c, List.of(
                new Charts.Band("narrow", x, new double[] {9, 90, 900}, new double[] {11, 110, 1100}, Charts.APPROACH3),
                new Charts.Band("wide", x, new double[] {1, 10, 100}, new double[] {100, 1000, 10000}, Charts.APPROACH2),
                new Charts.Band("empty", x, new double[] {Double.NaN, Double.NaN, Double.NaN},
                        new double[] {Double.NaN, Double.NaN, Double.NaN}, Charts.APPROACH1)));
        assertEquals(List.of("wide", "narrow"), new ArrayList<>(c.getSeriesMap().keySet()));
        XYSeries wide = c.getSeriesMap().get("wide");
        assertEquals(Charts.OVERLAP_ALPHA, wide.getFillColor().getAlpha());
        assertEquals(Charts.APPROACH2.getRGB() & 0xFFFFFF, wide.getFillColor().getRGB() & 0xFFFFFF);
        assertTrue(wide.isShowInLegend() && c.getSeriesMap().get("narrow").isShowInLegend());
        // in the SVG: the wide band's fill before the narrow one's, and two edges of each band's colour
        String svg = new String(Charts.svg(c), StandardCharsets.UTF_8);
        int wideFill = svg.indexOf("fill:rgb(214,39,40);fill-opacity:0.1098");
        int narrowFill = svg.indexOf("fill:rgb(31,119,180);fill-opacity:0.1098");
        assertTrue(wideFill >= 0 && narrowFill > wideFill, wideFill + " " + narrowFill);
        for (String rgb : List.of("214,39,40", "31,119,180")) {
            assertEquals(2, svg.split("fill:none;stroke:rgb\\(" + rgb + "\\);stroke-opacity:0.66", -1).length - 1,
                    rgb + " edges");
        }
    }

    @Test
    void theReferenceLineIsNeitherSolidNorDashed() {
        assertTrue(Charts.DASH_DOT.getDashArray().length == 4, "a dash and a dot");
        assertFalse(java.util.Arrays.equals(Charts.DASH_DOT.getDashArray(), Charts.DASHED.getDashArray()));
        assertFalse(java.util.Arrays.equals(Charts.DASH_DOT.getDashArray(), Charts.DOTTED.getDashArray()));
    }
}
