package org.scalinglab.forecast;

import java.util.function.DoubleUnaryOperator;

/** One-dimensional root finding and minimisation in log space, as the forecasts need them. */
final class Solve {
    /** ln 1e40: beyond any budget, model or token count a forecast meets. */
    static final double LN_MAX = Math.log(1e40);
    private static final int GRID = 241;

    private Solve() {}

    /**
     * The x in [e^lo, e^hi] where the monotone f(x) crosses {@code target}, by bisection on ln x; NaN when
     * f does not cross it there.
     */
    static double rootLog(DoubleUnaryOperator f, double target, double lo, double hi) {
        double flo = f.applyAsDouble(Math.exp(lo)) - target;
        double fhi = f.applyAsDouble(Math.exp(hi)) - target;
        if (Double.isNaN(flo) || Double.isNaN(fhi) || Math.signum(flo) == Math.signum(fhi)) {
            return flo == 0 ? Math.exp(lo) : fhi == 0 ? Math.exp(hi) : Double.NaN;
        }
        for (int i = 0; i < 100 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
            double mid = (lo + hi) / 2;
            double fm = f.applyAsDouble(Math.exp(mid)) - target;
            if (fm == 0) {
                return Math.exp(mid);
            }
            if (Math.signum(fm) == Math.signum(flo)) {
                lo = mid;
                flo = fm;
            } else {
                hi = mid;
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /**
     * The x in [e^lo, e^hi] that minimises f: a grid in ln x, then golden-section search in the cells on
     * either side of the best grid point (as {@code ComputeOptimal} allocates). Non-finite values count as
     * +infinity.
     */
    static double minimiseLog(DoubleUnaryOperator f, double lo, double hi) {
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
