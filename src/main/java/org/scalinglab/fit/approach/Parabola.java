package org.scalinglab.fit.approach;

import java.util.Arrays;

/** y = c0 + c1 x + c2 x^2, fitted by least squares; approach 2 fits loss against ln N (or ln D). */
public record Parabola(double c0, double c1, double c2) {

    /** Least squares; null when x has fewer than 3 distinct values. */
    public static Parabola fit(double[] x, double[] y) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        double scale = 0;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v - mean));
        }
        if (distinct(x) < 3 || scale == 0) {
            return null;
        }
        // centre and scale x so the normal equations stay well conditioned, then map back
        double[][] m = new double[3][4];
        for (int i = 0; i < n; i++) {
            double u = (x[i] - mean) / scale;
            double[] row = {1, u, u * u};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] += row[r] * row[c];
                }
                m[r][3] += row[r] * y[i];
            }
        }
        double[] q = solve3(m);
        if (q == null) {
            return null;
        }
        // y = q0 + q1 u + q2 u^2 with u = (x - mean)/scale
        double k1 = q[1] / scale;
        double k2 = q[2] / (scale * scale);
        return new Parabola(q[0] - k1 * mean + k2 * mean * mean, k1 - 2 * k2 * mean, k2);
    }

    public boolean convex() {
        return c2 > 0;
    }

    public double vertex() {
        return -c1 / (2 * c2);
    }

    public double value(double x) {
        return c0 + c1 * x + c2 * x * x;
    }

    private static int distinct(double[] x) {
        return (int) Arrays.stream(x).distinct().count();
    }

    /** Gaussian elimination with partial pivoting on an augmented 3x4 matrix. */
    private static double[] solve3(double[][] m) {
        for (int col = 0; col < 3; col++) {
            int piv = col;
            for (int r = col + 1; r < 3; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
                    piv = r;
                }
            }
            if (Math.abs(m[piv][col]) < 1e-300) {
                return null;
            }
            double[] tmp = m[col];
            m[col] = m[piv];
            m[piv] = tmp;
            for (int r = col + 1; r < 3; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c < 4; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] q = new double[3];
        for (int r = 2; r >= 0; r--) {
            double s = m[r][3];
            for (int c = r + 1; c < 3; c++) {
                s -= m[r][c] * q[c];
            }
            q[r] = s / m[r][r];
        }
        return q;
    }
}
