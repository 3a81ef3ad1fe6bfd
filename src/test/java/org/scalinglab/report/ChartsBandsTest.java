package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        List<String> names = new ArrayList<>(c.getSeriesMap().keySet());
        assertEquals(List.of("wide", "wide (lower edge)", "wide (upper edge)", "narrow", "narrow (lower edge)",
                "narrow (upper edge)"), names);
        XYSeries wide = c.getSeriesMap().get("wide");
        assertEquals(Charts.OVERLAP_ALPHA, wide.getFillColor().getAlpha());
        assertEquals(Charts.APPROACH2.getRGB() & 0xFFFFFF, wide.getFillColor().getRGB() & 0xFFFFFF);
        XYSeries edge = c.getSeriesMap().get("narrow (upper edge)");
        assertEquals(Charts.APPROACH3.getRGB() & 0xFFFFFF, edge.getLineColor().getRGB() & 0xFFFFFF);
        assertFalse(edge.isShowInLegend());
        assertTrue(c.getSeriesMap().get("narrow").isShowInLegend());
    }

    @Test
    void theReferenceLineIsNeitherSolidNorDashed() {
        assertTrue(Charts.DASH_DOT.getDashArray().length == 4, "a dash and a dot");
        assertFalse(java.util.Arrays.equals(Charts.DASH_DOT.getDashArray(), Charts.DASHED.getDashArray()));
        assertFalse(java.util.Arrays.equals(Charts.DASH_DOT.getDashArray(), Charts.DOTTED.getDashArray()));
    }
}
