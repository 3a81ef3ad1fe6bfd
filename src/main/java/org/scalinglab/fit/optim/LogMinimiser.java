package org.scalinglab.fit.optim;

import java.util.function.DoubleUnaryOperator;

/**
 * The minimum of a function of a positive quantity over [e^lo, e^hi]: a grid in ln x, then a
 * golden-section search in the grid cells on either side of the best grid point. The grid keeps it
 * from a local minimum of a law that is not unimodal far from its data; the search makes it exact.
 */
public final class LogMinimiser {
    /** Grid points in ln x before the golden-section refinement. */
    private static final int GRID = 241;

    private LogMinimiser() {}

    /** The x that minimises f; non-finite values count as +infinity; NaN when f is nowhere finite. */
    public static double argmin(DoubleUnaryOperator f, double lo, double hi) {
        DoubleUnaryOperator g = x -> {
            double v = f.applyAsDouble(Math.exp(x));
            return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
        };
        double step = (hi - lo) / (GRID - 1);
        double best = Double.POSITIVE_INFINITY;
        int bestK = -1;
        for (int k = 0; k < GRID; k++) {
            double v = g.applyAsDouble(lo + k * step);
            if (v < best) {
                best = v;
                bestK = k;
            }
        }
        if (bestK < 0) {
            return Double.NaN;
        }
        double a = lo + Math.max(0, bestK - 1) * step;
        double b = lo + Math.min(GRID - 1, bestK + 1) * step;
        double r = (Math.sqrt(5) - 1) / 2;
        double x1 = b - r * (b - a);
        double x2 = a + r * (b - a);
        double f1 = g.applyAsDouble(x1);
        double f2 = g.applyAsDouble(x2);
        while (b - a > 1e-12 * Math.max(1, Math.abs(b))) {
            if (f1 <= f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - r * (b - a);
                f1 = g.applyAsDouble(x1);
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + r * (b - a);
                f2 = g.applyAsDouble(x2);
            }
        }
        return Math.exp((a + b) / 2);
    }
}
