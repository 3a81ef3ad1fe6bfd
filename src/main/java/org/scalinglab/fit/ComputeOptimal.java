package org.scalinglab.fit;

import java.util.function.DoubleBinaryOperator;

/**
 * The compute-optimal allocation of a budget under a fitted L(N, D): the N that minimises
 * L(N, C / F(N)), with F the runs' own FLOPs per token ({@link FlopsCurve}), so that the budget is
 * counted as the sweep counted it. Under F = 6N this is Chinchilla's closed form (eq. 4); along a
 * real shape family, whose F/N falls with N (embeddings and attention weigh less in larger models),
 * it is not, and only a numerical minimum counts C consistently.
 */
public final class ComputeOptimal {
    /** Grid points in log N before the golden-section refinement. */
    private static final int GRID = 241;

    private ComputeOptimal() {}

    /** N_opt and D_opt for budget {@code c}; the search spans N from 1 to the model that gets one token. */
    public static double[] allocate(DoubleBinaryOperator loss, FlopsCurve curve, double c) {
        double lo = 0;
        double hi = Math.log(largest(curve, c));
        double best = Double.POSITIVE_INFINITY;
        int bestK = -1;
        double step = (hi - lo) / (GRID - 1);
        for (int k = 0; k < GRID; k++) {
            double v = value(loss, curve, c, lo + k * step);
            if (v < best) {
                best = v;
                bestK = k;
            }
        }
        if (bestK < 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        // golden-section search in the grid cell on either side of the best grid point
        double a = lo + Math.max(0, bestK - 1) * step;
        double b = lo + Math.min(GRID - 1, bestK + 1) * step;
        double g = (Math.sqrt(5) - 1) / 2;
        double x1 = b - g * (b - a);
        double x2 = a + g * (b - a);
        double f1 = value(loss, curve, c, x1);
        double f2 = value(loss, curve, c, x2);
        while (b - a > 1e-12 * Math.max(1, Math.abs(b))) {
            if (f1 <= f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - g * (b - a);
                f1 = value(loss, curve, c, x1);
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + g * (b - a);
                f2 = value(loss, curve, c, x2);
            }
        }
        double n = Math.exp((a + b) / 2);
        return new double[] {n, curve.tokens(n, c)};
    }

    /** N_opt(C), D_opt(C) and the loss there, as functions of C (for curves over a range of budgets). */
    public static java.util.function.DoubleUnaryOperator[] frontier(DoubleBinaryOperator loss, FlopsCurve curve) {
        return new java.util.function.DoubleUnaryOperator[] {
            c -> allocate(loss, curve, c)[0],
            c -> allocate(loss, curve, c)[1],
            c -> {
                double[] o = allocate(loss, curve, c);
                return loss.applyAsDouble(o[0], o[1]);
            }};
    }

    private static double value(DoubleBinaryOperator loss, FlopsCurve curve, double c, double logN) {
        double n = Math.exp(logN);
        double v = loss.applyAsDouble(n, curve.tokens(n, c));
        return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
    }

    /** The N whose single token costs the whole budget (F(N) = C), found by bisection in log N. */
    private static double largest(FlopsCurve curve, double c) {
        double lo = 0;
        double hi = 80; // e^80: beyond any model
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (curve.perToken(Math.exp(mid)) < c) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp(Math.max(lo, 1));
    }
}
