package org.scalinglab.forecast;

import java.util.function.DoubleUnaryOperator;
import org.scalinglab.fit.optim.LogMinimiser;

/** One-dimensional root finding and minimisation in log space, as the forecasts need them. */
final class Solve {
    /** ln 1e40: beyond any budget, model or token count a forecast meets. */
    static final double LN_MAX = Math.log(1e40);

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

    /** The x in [e^lo, e^hi] that minimises f, as {@code ComputeOptimal} allocates ({@link LogMinimiser}). */
    static double minimiseLog(DoubleUnaryOperator f, double lo, double hi) {
        return LogMinimiser.argmin(f, lo, hi);
    }
}
