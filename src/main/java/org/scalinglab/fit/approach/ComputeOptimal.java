package org.scalinglab.fit.approach;

import java.util.function.DoubleBinaryOperator;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.optim.LogMinimiser;

/**
 * The compute-optimal allocation of a budget under a fitted L(N, D): the N that minimises
 * L(N, C / F(N)), with F the runs' own FLOPs per token ({@link FlopsCurve}), so that the budget is
 * counted as the sweep counted it. Under F = 6N this is Chinchilla's closed form (eq. 4); along a
 * real shape family, whose F/N falls with N (embeddings and attention weigh less in larger models),
 * it is not, and only a numerical minimum counts C consistently.
 */
public final class ComputeOptimal {
    private ComputeOptimal() {}

    /** N_opt and D_opt for budget {@code c}; the search spans N from 1 to the model that gets one token. */
    public static double[] allocate(DoubleBinaryOperator loss, FlopsCurve curve, double c) {
        double n = LogMinimiser.argmin(x -> loss.applyAsDouble(x, curve.tokens(x, c)), 0,
                Math.log(largest(curve, c)));
        return Double.isNaN(n) ? new double[] {Double.NaN, Double.NaN} : new double[] {n, curve.tokens(n, c)};
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

    /** The N whose single token costs the whole budget (F(N) = C), found by bisection in log N. */
    private static double largest(FlopsCurve curve, double c) {
        double lo = 0;
        double hi = 80; // e^80: beyond any model
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            boolean below = curve.perToken(Math.exp(mid)) < c;
            double nextLo = below ? mid : lo;
            double nextHi = below ? hi : mid;
            if (nextLo == lo && nextHi == hi) {
                break; // a fixed point: every later halving would repeat this one
            }
            lo = nextLo;
            hi = nextHi;
        }
        return Math.exp(Math.max(lo, 1));
    }
}
