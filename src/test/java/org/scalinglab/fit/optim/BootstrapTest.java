package org.scalinglab.fit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    @Test
    void resamplesAreSeededAndKeepTheSampleSize() {
        int[][] a = new Bootstrap(50, 9, 0.95).resampleCounts(30);
        int[][] b = new Bootstrap(50, 9, 0.95).resampleCounts(30);
        int[][] c = new Bootstrap(50, 10, 0.95).resampleCounts(30);
        assertEquals(50, a.length);
        for (int r = 0; r < a.length; r++) {
            assertArrayEquals(a[r], b[r]);
            assertEquals(30, Arrays.stream(a[r]).sum());
        }
        assertFalse(Arrays.deepEquals(a, c));
    }

    @Test
    void withinGroupsEveryGroupKeepsItsSize() {
        int[] group = {0, 0, 0, 1, 1, 2, 2, 2, 2, -1};
        for (int[] counts : new Bootstrap(100, 1, 0.9).resampleCountsWithinGroups(group)) {
            assertEquals(3, counts[0] + counts[1] + counts[2]);
            assertEquals(2, counts[3] + counts[4]);
            assertEquals(4, counts[5] + counts[6] + counts[7] + counts[8]);
            assertEquals(0, counts[9]);
        }
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        double[] v = new double[101];
        for (int i = 0; i < v.length; i++) {
            v[i] = 101 - i; // order must not matter
        }
        assertArrayEquals(new double[] {6, 96}, Bootstrap.percentileInterval(v, 0.9), 1e-12);
        // np.percentile([1, 2, 3, 4], [2.5, 97.5]) = [1.075, 3.925]
        assertArrayEquals(new double[] {1.075, 3.925}, Bootstrap.percentileInterval(new double[] {4, 1, 3, 2}, 0.95), 1e-12);
        assertArrayEquals(new double[] {1, 3}, Bootstrap.percentileInterval(new double[] {1, Double.NaN, 3}, 0.999999), 1e-4);
    }

    @Test
    void indicesExpandCounts() {
        assertArrayEquals(new int[] {0, 0, 2, 3, 3, 3}, Bootstrap.indices(new int[] {2, 0, 1, 3}));
    }
}
