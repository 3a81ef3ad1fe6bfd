package org.scalinglab.fit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HuberLogLossTest {
    static final double[] N = {1e7, 3e7, 1e8, 3e8, 1e9};
    static final double[] D = {2e9, 1e9, 5e9, 3e9, 2e10};
    static final double[] L = {3.1, 3.0, 2.6, 2.5, 2.2};

    /** The appendix D.2 formula written the slow, obvious way. */
    static double naive(double[] x, double delta, double[] w) {
        double f = 0;
        for (int i = 0; i < N.length; i++) {
            double pred = Math.log(Math.exp(x[0] - x[3] * Math.log(N[i])) + Math.exp(x[1] - x[4] * Math.log(D[i]))
                    + Math.exp(x[2]));
            double r = pred - Math.log(L[i]);
            f += w[i] * (Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta));
        }
        return f;
    }

    @Test
    void valueMatchesTheFormulaInBothHuberRegimes() {
        double[] ones = {1, 1, 1, 1, 1};
        for (double delta : new double[] {1e-3, 10}) {
            HuberLogLoss f = HuberLogLoss.of(N, D, L, delta);
            double[] x = {6, 7, 0.5, 0.34, 0.28};
            assertEquals(naive(x, delta, ones), f.valueAndGradient(x, new double[5]), 1e-14);
        }
    }

    @Test
    void gradientMatchesCentralDifferences() {
        for (double delta : new double[] {1e-3, 10}) {
            HuberLogLoss f = HuberLogLoss.of(N, D, L, delta);
            for (double[] x : new double[][] {{6, 7, 0.5, 0.34, 0.28}, {0, 25, -1, 2, 0}, {12, 3, 1, 0.6, 0.1}}) {
                double[] g = new double[5];
                f.valueAndGradient(x, g);
                double[] fd = new double[5];
                for (int k = 0; k < 5; k++) {
                    double h = 1e-6;
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    xp[k] += h;
                    xm[k] -= h;
                    fd[k] = (f.valueAndGradient(xp, new double[5]) - f.valueAndGradient(xm, new double[5])) / (2 * h);
                }
                assertArrayEquals(fd, g, 1e-6);
            }
        }
    }

    @Test
    void weightsEqualRepeatedRows() {
        double[] w = {2, 0, 1, 3, 1};
        HuberLogLoss weighted = HuberLogLoss.weighted(N, D, L, w, 1e-3);
        double[] x = {6, 7, 0.5, 0.34, 0.28};
        assertEquals(4, weighted.size());
        assertEquals(naive(x, 1e-3, w), weighted.valueAndGradient(x, new double[5]), 1e-14);
    }
}
