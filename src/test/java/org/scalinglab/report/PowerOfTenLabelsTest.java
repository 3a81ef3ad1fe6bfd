package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** Log axes say 10^6 (a raised 6), not XChart's 1E6. */
class PowerOfTenLabelsTest {

    @Test
    void decadesArePowersOfTenAndMiddlingValuesPlainDecimals() {
        assertEquals(new PowerOfTenLabels.Label("10", "6"), PowerOfTenLabels.label(1e6));
        assertEquals(new PowerOfTenLabels.Label("10", "-5"), PowerOfTenLabels.label(1e-5));
        assertEquals(new PowerOfTenLabels.Label("3\u00D710", "18"), PowerOfTenLabels.label(3e18));
        assertEquals(new PowerOfTenLabels.Label("2.5\u00D710", "4"), PowerOfTenLabels.label(25_000));
        // values from 0.001 to 9999 are plain decimals (an axis of 500, 1000, 2000, 5000 reads as one)
        assertEquals(new PowerOfTenLabels.Label("1000", null), PowerOfTenLabels.label(1000));
        assertEquals(new PowerOfTenLabels.Label("5000", null), PowerOfTenLabels.label(5000));
        assertEquals(new PowerOfTenLabels.Label("10", "4"), PowerOfTenLabels.label(1e4));
        assertEquals(new PowerOfTenLabels.Label("0.5", null), PowerOfTenLabels.label(0.5));
        assertEquals(new PowerOfTenLabels.Label("3", null), PowerOfTenLabels.label(3));
    }

    @Test
    void candidateTicksGoFromDecadesToFineSteps() {
        List<List<Double>> c = PowerOfTenLabels.candidates(5e5, 2e8);
        assertEquals(List.of(1e6, 1e7, 1e8), c.get(0));
        assertEquals(List.of(5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8), c.get(1));
        // a loss axis from 1.7 to 2.47: one 1..9 tick, then steps of 0.5, 0.2, 0.1 ...
        List<List<Double>> loss = PowerOfTenLabels.candidates(1.7, 2.47);
        assertEquals(List.of(2.0), loss.get(2));
        assertTrue(loss.contains(List.of(1.8, 2.0, 2.2, 2.4)), loss.toString());
        assertTrue(PowerOfTenLabels.candidates(0.9, 1.6).contains(List.of(1.0, 1.2, 1.4, 1.6)));
    }

    /** The labels of a log axis from lo to hi, read back from the SVG's text (exponents left out). */
    private static List<String> labels(boolean xAxis, double lo, double hi) {
        XYChart c = Charts.chart("t", "x", "y", xAxis, !xAxis);
        double[] range = {lo, hi};
        double[] other = {1, 2};
        Charts.line(c, "data", xAxis ? range : other, xAxis ? other : range, Charts.APPROACH3, Charts.SOLID);
        Charts.fitLogTicks(c, xAxis ? lo : 1, xAxis ? hi : 2, xAxis ? 1 : lo, xAxis ? 2 : hi);
        if (xAxis) {
            c.getStyler().setYAxisTicksVisible(false);
        } else {
            c.getStyler().setXAxisTicksVisible(false);
        }
        Matcher m = Pattern.compile("<text style=\"([^\"]*)\"[^>]*>([^<]*)</text>")
                .matcher(new String(Charts.svg(c), StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            if (!m.group(1).contains("font-size:9px") && !List.of("t", "x", "y", "data").contains(m.group(2))) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    @Test
    void everyLogAxisHasThreeReadableLabels() {
        // less than a decade, about a decade, two decades, ten decades; on either axis
        double[][] spans = {{0.9, 1.6}, {1.7, 2.47}, {2.09, 3.58}, {0.0095, 0.028}, {1.2e4, 1.1e5}, {3e5, 5e6},
            {1e17, 1e21}, {1.5e11, 6e11}};
        for (double[] s : spans) {
            for (boolean x : new boolean[] {true, false}) {
                List<String> l = labels(x, s[0], s[1]);
                assertTrue(l.size() >= 3, (x ? "x" : "y") + " axis " + s[0] + ".." + s[1] + ": " + l);
                for (String t : l) {
                    assertTrue(t.length() <= 6 && !t.contains("E") && !t.contains("e"), t);
                }
            }
        }
    }

    @Test
    void aLogAxisIsLabelledInInk() throws IOException {
        XYChart c = Charts.chart("t", "C", "loss", true, true);
        Charts.line(c, "law", new double[] {1e17, 1e21}, new double[] {3, 2}, Charts.APPROACH3, Charts.SOLID);
        Charts.fitLogTicks(c, 1e17, 1e21, 2, 3);
        byte[] png = Charts.png(c);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        // XChart's own labels are transparent and its tick marks grey: dark pixels under the plot are the overlay's
        int dark = 0;
        for (int y = (int) (0.80 * img.getHeight()); y < (int) (0.92 * img.getHeight()); y++) {
            for (int x = 0; x < (int) (0.7 * img.getWidth()); x++) {
                if ((img.getRGB(x, y) & 0xFF) < 0x60) {
                    dark++;
                }
            }
        }
        assertTrue(dark > 50, "dark pixels under the plot: " + dark);
    }
}
