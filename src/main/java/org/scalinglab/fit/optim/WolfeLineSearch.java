package org.scalinglab.fit.optim;

/**
 * Line search for the Wolfe conditions (Nocedal and Wright, Numerical Optimization, 2nd ed., algorithms
 * 3.5 and 3.6: bracketing, then zoom by safeguarded cubic interpolation): sufficient decrease
 * {@code f(x + t d) <= f(x) + c1 t g'd} and curvature {@code g(x + t d)'d >= c2 g'd}. The weak curvature
 * condition is enough to keep the L-BFGS update positive definite (s'y > 0); on the Huber objective,
 * whose slope jumps where a residual crosses +-delta, the strong form rejected many good steps and cost a
 * fifth more evaluations.
 *
 * <p>Near an optimum the decrease a step can make falls below the rounding error of the objective, and
 * the sufficient-decrease test becomes a coin toss. Like Hager and Zhang's CG_DESCENT, a step is then
 * also accepted under the "approximate Wolfe" rule: the curvature condition holds and the value has not
 * risen by more than {@code approxTolerance * |f(x)|}. This lets L-BFGS keep driving the gradient down
 * where the value can no longer tell steps apart.
 */
public final class WolfeLineSearch {
    private final double c1;
    private final double c2;
    private final int maxEvaluations;
    private final double approxTolerance;

    public WolfeLineSearch(double c1, double c2, int maxEvaluations, double approxTolerance) {
        if (!(0 < c1 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException("need 0 < c1 < c2 < 1, got c1=" + c1 + ", c2=" + c2);
        }
        this.c1 = c1;
        this.c2 = c2;
        this.maxEvaluations = maxEvaluations;
        this.approxTolerance = approxTolerance;
    }

    /**
     * c1 = 1e-4, c2 = 0.9 (the usual choice for quasi-Newton methods); approximate Wolfe within 1e-10 |f|.
     * On the Huber objective the value carries rounding noise of about 1e-14 |f| (each residual is a
     * difference of logs near 1, summed), which near the optimum exceeds what a step can gain.
     */
    public static WolfeLineSearch standard() {
        return new WolfeLineSearch(1e-4, 0.9, 50, 1e-10);
    }

    /** The accepted point, or {@code accepted == false} when no step decreased the objective. */
    public record Step(double alpha, double value, double[] x, double[] gradient, int evaluations, boolean accepted) {}

    private static final class Trial {
        final double alpha;
        final double f;
        final double slope;
        final double[] x;
        final double[] g;

        Trial(double alpha, double f, double slope, double[] x, double[] g) {
            this.alpha = alpha;
            this.f = f;
            this.slope = slope;
            this.x = x;
            this.g = g;
        }
    }

    /**
     * Searches along {@code dir} from {@code x} (value {@code fx}, gradient {@code gx}), starting with
     * step {@code alpha0}. {@code dir} must be a descent direction.
     */
    public Step search(DifferentiableFunction fn, double[] x, double fx, double[] gx, double[] dir, double alpha0) {
        double slope0 = dot(gx, dir);
        if (!(slope0 < 0)) {
            return new Step(0, fx, x, gx, 0, false);
        }
        int[] evals = {0};
        Trial origin = new Trial(0, fx, slope0, x, gx);
        Trial prev = origin;
        double alpha = alpha0;
        for (int i = 0; evals[0] < maxEvaluations; i++) {
            Trial t = evaluate(fn, x, dir, alpha, evals);
            if (!Double.isFinite(t.f) || !Double.isFinite(t.slope)) {
                // overshot into overflow: a shorter step, still beyond the last good one
                alpha = prev.alpha + 0.25 * (alpha - prev.alpha);
                continue;
            }
            boolean armijo = t.f <= fx + c1 * alpha * slope0;
            if (acceptable(t, fx, slope0, armijo)) {
                return accept(t, evals[0]);
            }
            if (!armijo || (i > 0 && t.f >= prev.f)) {
                return zoom(fn, x, dir, fx, slope0, prev, t, evals);
            }
            prev = t;
            alpha *= 4;
        }
        return prev.alpha > 0 ? accept(prev, evals[0]) : new Step(0, fx, x, gx, evals[0], false);
    }

    private boolean acceptable(Trial t, double fx, double slope0, boolean armijo) {
        boolean curvature = t.slope >= c2 * slope0;
        boolean approx = t.f <= fx + approxTolerance * Math.abs(fx);
        return curvature && (armijo || approx);
    }

    private Step zoom(DifferentiableFunction fn, double[] x, double[] dir, double fx, double slope0,
            Trial lo, Trial hi, int[] evals) {
        while (evals[0] < maxEvaluations) {
            double width = hi.alpha - lo.alpha;
            if (Math.abs(width) <= 1e-16 * Math.max(Math.abs(lo.alpha), Math.abs(hi.alpha))) {
                break;
            }
            double alpha = interpolate(lo, hi);
            Trial t = evaluate(fn, x, dir, alpha, evals);
            boolean finite = Double.isFinite(t.f) && Double.isFinite(t.slope);
            boolean armijo = finite && t.f <= fx + c1 * alpha * slope0;
            if (finite && acceptable(t, fx, slope0, armijo)) {
                return accept(t, evals[0]);
            }
            if (!armijo || t.f >= lo.f) {
                hi = t;
            } else {
                if (t.slope * (hi.alpha - lo.alpha) >= 0) {
                    hi = lo;
                }
                lo = t;
            }
        }
        // no Wolfe point found, but lo still decreased the objective: take it; L-BFGS skips the update
        return lo.alpha > 0 ? accept(lo, evals[0]) : new Step(0, fx, x, lo.g, evals[0], false);
    }

    /** Minimiser of the cubic through both ends, kept in the middle 80 % of the bracket; else bisection. */
    private static double interpolate(Trial lo, Trial hi) {
        double a0 = lo.alpha;
        double a1 = hi.alpha;
        double mid = 0.5 * (a0 + a1);
        if (!Double.isFinite(hi.f) || !Double.isFinite(hi.slope)) {
            return mid;
        }
        double d1 = lo.slope + hi.slope - 3 * (lo.f - hi.f) / (a0 - a1);
        double disc = d1 * d1 - lo.slope * hi.slope;
        if (!(disc >= 0)) {
            return mid;
        }
        double d2 = Math.signum(a1 - a0) * Math.sqrt(disc);
        double a = a1 - (a1 - a0) * (hi.slope + d2 - d1) / (hi.slope - lo.slope + 2 * d2);
        double low = Math.min(a0, a1);
        double high = Math.max(a0, a1);
        double margin = 0.1 * (high - low);
        if (!Double.isFinite(a) || a < low + margin || a > high - margin) {
            return mid;
        }
        return a;
    }

    private static Trial evaluate(DifferentiableFunction fn, double[] x, double[] dir, double alpha, int[] evals) {
        int n = x.length;
        double[] xt = new double[n];
        for (int i = 0; i < n; i++) {
            xt[i] = x[i] + alpha * dir[i];
        }
        double[] gt = new double[n];
        double f = fn.valueAndGradient(xt, gt);
        evals[0]++;
        return new Trial(alpha, f, dot(gt, dir), xt, gt);
    }

    private static Step accept(Trial t, int evaluations) {
        return new Step(t.alpha, t.f, t.x, t.g, evaluations, true);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
