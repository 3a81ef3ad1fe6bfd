package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
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
        // XChart writes values from 0.001 to 1000 as decimals; so do these labels
        assertEquals(new PowerOfTenLabels.Label("1000", null), PowerOfTenLabels.label(1000));
        assertEquals(new PowerOfTenLabels.Label("0.5", null), PowerOfTenLabels.label(0.5));
        assertEquals(new PowerOfTenLabels.Label("3", null), PowerOfTenLabels.label(3));
    }

    @Test
    void ticksAreXChartsLogTicks() {
        assertEquals(List.of(1e6, 1e7, 1e8), PowerOfTenLabels.ticks(5e5, 2e8, true));
        assertEquals(List.of(2.0, 3.0), PowerOfTenLabels.ticks(1.9, 3.5, false));
        assertEquals(List.of(), PowerOfTenLabels.ticks(2.1, 2.6, false));
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
