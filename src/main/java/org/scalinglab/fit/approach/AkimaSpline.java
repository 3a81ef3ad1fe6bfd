package org.scalinglab.fit.approach;

import java.util.Arrays;

/**
 * Akima's (1970) piecewise cubic through every knot, as scipy's {@code Akima1DInterpolator} builds it (its
 * default {@code method="akima"}): each knot's slope is a weighted mean of the neighbouring secant slopes,
 * with two secants extrapolated linearly beyond each end. Local and without overshoot, it is what Porian et
 * al. (2024) interpolate IsoFLOP profiles with (ln loss against ln N); approach 2 takes its minimum.
 *
 * @param x knots, strictly increasing
 * @param y values at the knots
 * @param slopes the derivative at each knot
 */
public record AkimaSpline(double[] x, double[] y, double[] slopes) {

    /** A knot's minimum or an interior stationary point: where the spline is lowest over [x0, xn]. */
    public record Minimum(double x, double value, boolean atEnd) {}

    /** Through the knots (x strictly increasing, at least 2 of them). */
    public static AkimaSpline through(double[] x, double[] y) {
        int n = x.length;
        if (n < 2 || y.length != n) {
            throw new IllegalArgumentException("an Akima spline needs at least 2 knots and one value per knot");
        }
        for (int i = 1; i < n; i++) {
            if (!(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("Akima knots must be strictly increasing");
            }
        }
        // secants m[2..n] with two extrapolated on each side, as scipy pads them
        double[] m = new double[n + 3];
        for (int i = 0; i < n - 1; i++) {
            m[i + 2] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
        }
        if (n == 2) {
            Arrays.fill(m, m[2]);
        } else {
            m[1] = 2 * m[2] - m[3];
            m[0] = 2 * m[1] - m[2];
            m[n + 1] = 2 * m[n] - m[n - 1];
            m[n + 2] = 2 * m[n + 1] - m[n];
        }
        double[] dm = new double[n + 2];
        double maxF = 0;
        for (int i = 0; i < n + 2; i++) {
            dm[i] = Math.abs(m[i + 1] - m[i]);
        }
        for (int i = 0; i < n; i++) {
            maxF = Math.max(maxF, dm[i + 2] + dm[i]);
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double f1 = dm[i + 2];
            double f2 = dm[i];
            double f12 = f1 + f2;
            // where both weights vanish (m1 = m2, m3 = m4) the slope is undefined; scipy's fill value
            t[i] = f12 > 1e-9 * maxF ? (f1 * m[i + 1] + f2 * m[i + 2]) / f12 : 0.5 * (m[i] + m[i + 3]);
        }
        return new AkimaSpline(x.clone(), y.clone(), t);
    }

    /** The spline at u; NaN beyond the knots (scipy's default for Akima: no extrapolation). */
    public double value(double u) {
        if (!(u >= x[0] && u <= x[x.length - 1])) {
            return Double.NaN;
        }
        int i = piece(u);
        double h = x[i + 1] - x[i];
        double s = u - x[i];
        double[] c = coefficients(i, h);
        return c[0] + s * (c[1] + s * (c[2] + s * c[3]));
    }

    /** The lowest point over [x0, xn]: knots and the stationary points inside each piece. */
    public Minimum minimum() {
        int n = x.length;
        int bestPiece = -1;
        double bestX = x[0];
        double best = y[0];
        for (int i = 1; i < n; i++) {
            if (y[i] < best) {
                best = y[i];
                bestX = x[i];
            }
        }
        for (int i = 0; i < n - 1; i++) {
            double h = x[i + 1] - x[i];
            double[] c = coefficients(i, h);
            // p'(s) = c1 + 2 c2 s + 3 c3 s^2; a minimum where p' crosses zero upwards
            for (double s : quadraticRoots(3 * c[3], 2 * c[2], c[1])) {
                if (s > 0 && s < h && 2 * c[2] + 6 * c[3] * s > 0) {
                    double v = c[0] + s * (c[1] + s * (c[2] + s * c[3]));
                    if (v < best) {
                        best = v;
                        bestX = x[i] + s;
                        bestPiece = i;
                    }
                }
            }
        }
        boolean atEnd = bestPiece < 0 && (bestX == x[0] || bestX == x[n - 1]);
        return new Minimum(bestX, best, atEnd);
    }

    private int piece(double u) {
        int i = Arrays.binarySearch(x, u);
        if (i < 0) {
            i = -i - 2;
        }
        return Math.max(0, Math.min(x.length - 2, i));
    }

    /** Hermite cubic of piece i in s = u - x_i: c0 + c1 s + c2 s^2 + c3 s^3. */
    private double[] coefficients(int i, double h) {
        double m = (y[i + 1] - y[i]) / h;
        double t0 = slopes[i];
        double t1 = slopes[i + 1];
        return new double[] {y[i], t0, (3 * m - 2 * t0 - t1) / h, (t0 + t1 - 2 * m) / (h * h)};
    }

    /** Real roots of a s^2 + b s + c (a linear equation when a is 0). */
    private static double[] quadraticRoots(double a, double b, double c) {
        double scale = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
        if (scale == 0) {
            return new double[0];
        }
        if (Math.abs(a) <= 1e-14 * scale) {
            return b == 0 ? new double[0] : new double[] {-c / b};
        }
        double disc = b * b - 4 * a * c;
        if (disc < 0) {
            return new double[0];
        }
        // the numerically stable pair
        double q = -0.5 * (b + Math.copySign(Math.sqrt(disc), b));
        return q == 0 ? new double[] {0} : new double[] {q / a, c / q};
    }
}
