package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContoursTest {
    @Test
    void theLevelLineOfAParaboloidIsItsCircle() {
        double[] x = PlotData.linspace(-2, 2, 81);
        double[] y = PlotData.linspace(-2, 2, 81);
        double[][] z = new double[x.length][y.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                z[i][j] = x[i] * x[i] + y[j] * y[j];
            }
        }
        List<double[]> seg = Contours.segments(x, y, z, 1.0);
        assertTrue(seg.size() > 60, "segments: " + seg.size());
        for (double[] s : seg) {
            // linear interpolation of r^2 along a cell edge of 0.05 misses the circle by less than 0.01
            assertEquals(1, Math.hypot(s[0], s[1]), 0.01);
            assertEquals(1, Math.hypot(s[2], s[3]), 0.01);
        }
        double[][] lines = Contours.polylines(seg, 1e-12);
        long breaks = java.util.Arrays.stream(lines[0]).filter(Double::isNaN).count();
        assertEquals(0, breaks, "one closed line");
        assertTrue(lines[0].length > 60 && lines[0].length <= seg.size() + 1);
        assertEquals(lines[0][0], lines[0][lines[0].length - 1], 1e-12, "it closes on itself");
    }

    @Test
    void aSaddleCellGivesTwoSegmentsSplitByItsCentre() {
        double[] x = {0, 1};
        double[] y = {0, 1};
        // corners: bottom-left 1, bottom-right 0, top-right 1, top-left 0; centre 0.5 > 0.4
        double[][] z = {{1, 0}, {0, 1}};
        List<double[]> seg = Contours.segments(x, y, z, 0.4);
        assertEquals(2, seg.size());
        // the centre is above the level, as the bottom-left corner: the lines cut off the low corners
        for (double[] s : seg) {
            double mx = (s[0] + s[2]) / 2;
            double my = (s[1] + s[3]) / 2;
            assertTrue((mx > 0.5 && my < 0.5) || (mx < 0.5 && my > 0.5), java.util.Arrays.toString(s));
        }
    }

    @Test
    void nothingWhereTheLevelIsNotCrossedOrValuesAreMissing() {
        double[] x = {0, 1, 2};
        double[] y = {0, 1};
        assertTrue(Contours.segments(x, y, new double[][] {{1, 1}, {1, 1}, {1, 1}}, 2).isEmpty());
        // the first cell crosses the level once; the second has a missing corner and is skipped
        assertEquals(1, Contours.segments(x, y, new double[][] {{0, 0}, {2, 2}, {2, Double.NaN}}, 1).size());
    }

    @Test
    void tickLabelsReadLikeNumbers() {
        assertEquals("1e10", Charts.tick(1e10));
        assertEquals("2.5e4", Charts.tick(25_000));
        assertEquals("2.5", Charts.tick(2.5));
        assertEquals("0.05", Charts.tick(0.05));
        assertEquals("-0.02", Charts.tick(-0.02));
        assertEquals("0", Charts.tick(0));
        assertEquals("1e-3", Charts.tick(0.001));
    }
}
