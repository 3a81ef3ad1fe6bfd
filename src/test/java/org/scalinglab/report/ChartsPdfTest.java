package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** report --pdf: a figure as a PDF document from XChart's own vector renderer. */
class ChartsPdfTest {
    @Test
    void aFigureIsAPdfDocument() {
        XYChart c = Charts.chart("loss", "tokens D", "loss", true, true);
        Charts.line(c, "N = 11.7k", new double[] {1e5, 1e6, 1e7}, new double[] {3, 2.5, 2.2}, Charts.GREY, Charts.THIN);
        byte[] pdf = Charts.pdf(c);
        assertEquals("%PDF-", new String(pdf, 0, 5, StandardCharsets.US_ASCII));
        assertTrue(new String(pdf, pdf.length - 8, 8, StandardCharsets.US_ASCII).contains("%%EOF"));
    }
}
