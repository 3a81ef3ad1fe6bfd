package org.scalinglab.fit.phenomena;

import java.util.Arrays;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.DifferentiableFunction;
import org.scalinglab.fit.optim.Lbfgs;

/**
 * A metric as a sigmoid of the loss, the second step of the OLMo model ladder (Bhagia et al. 2024, eq. 2):
 *
 * <pre>
 *   m(L) = a / (1 + exp(-k (L - L0))) + b
 * </pre>
 *
 * fitted by least squares on m. For a metric that improves as the loss falls (accuracy, exact match)
 * k < 0 and a > 0 is its range; for one that falls with the loss (Brier score, edit distance) k > 0. Both
 * asymptotes, b and a + b, are kept inside the metric's own range [lo, hi] (0 to 1, or 2 for the Brier
 * score): sweeps of small models see only part of the curve, and an unbounded fit then drifts into a tail
 * that fits the data as well but predicts a metric above 1 or below 0 beyond them. In the optimiser the
 * asymptotes are lo + (hi - lo) sigmoid(p) for free p. The starts are a grid of k (+-3 and +-10 over the loss
 * range) and L0 (at the quartiles of the losses, and half a range below them); at each, the asymptotes start
 * at their least-squares values (clamped into the range), then L-BFGS refines all four.
 */
public final class MetricSigmoid {
    private MetricSigmoid() {}

    /** The law and how well it fits: root mean square residual of the metric. */
    public record Law(double a, double k, double l0, double b, double rms, int n) {
        public double at(double loss) {
            return a * BrokenPowerLaw.sigmoid(k * (loss - l0)) + b;
        }
    }

    public static final int MIN_POINTS = 5;
    /** Squared residuals of metrics in [0, 1]: a gradient of 1e-8 is far below what the data resolve. */
    static final Lbfgs OPTIMIZER = Lbfgs.standard().withGradientTolerance(1e-8).withMaxIterations(500);

    /** The best fit from the grid of starts, asymptotes in [lo, hi]; null with fewer than {@link #MIN_POINTS} points. */
    public static Law fit(double[] loss, double[] metric, double lo, double hi) {
        if (loss.length < MIN_POINTS) {
            return null;
        }
        double[] sorted = loss.clone();
        Arrays.sort(sorted);
        double span = Math.max(sorted[sorted.length - 1] - sorted[0], 1e-6);
        Objective obj = new Objective(loss, metric, lo, hi);
        Lbfgs.Result best = null;
        for (double kk : new double[] {-10, -3, 3, 10}) {
            double k = kk / span;
            for (double q : new double[] {0.25, 0.5, 0.75, 1.5}) {
                double l0 = q <= 1 ? Bootstrap.quantile(sorted, q) : sorted[0] - 0.5 * span; // the rise below the data
                double[] ab = linear(loss, metric, k, l0);
                Lbfgs.Result r = OPTIMIZER.minimize(obj, new double[] {obj.logit(ab[1]), obj.logit(ab[0] + ab[1]), k, l0});
                if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                    best = r;
                }
            }
        }
        return best == null ? null : obj.law(best.x(), best.value());
    }

    /** A refit (a bootstrap resample) from a fitted law's parameters alone. */
    static Law refit(double[] loss, double[] metric, double lo, double hi, Law from) {
        if (loss.length < MIN_POINTS) {
            return null;
        }
        Objective obj = new Objective(loss, metric, lo, hi);
        // the canonical form may have swapped which asymptote is b: either start describes the same curve
        Lbfgs.Result r = OPTIMIZER.minimize(obj, new double[] {obj.logit(from.b()), obj.logit(from.a() + from.b()),
            from.k(), from.l0()});
        return Double.isFinite(r.value()) ? obj.law(r.x(), r.value()) : null;
    }

    /** Least-squares a and b for fixed k and L0. */
    private static double[] linear(double[] l, double[] m, double k, double l0) {
        int n = l.length;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double s = BrokenPowerLaw.sigmoid(k * (l[i] - l0));
            sx += s;
            sy += m[i];
            sxx += s * s;
            sxy += s * m[i];
        }
        double det = n * sxx - sx * sx;
        if (Math.abs(det) < 1e-12 * n * n) {
            return new double[] {0, sy / n};
        }
        double a = (n * sxy - sx * sy) / det;
        return new double[] {a, (sy - a * sx) / n};
    }

    /** Parameters: p0, p1 the logits of b and of a + b within [lo, hi], then k and L0. */
    private record Objective(double[] l, double[] m, double lo, double hi) implements DifferentiableFunction {
        double logit(double v) {
            double t = (v - lo) / (hi - lo);
            t = Math.min(Math.max(t, 1e-4), 1 - 1e-4);
            return Math.log(t / (1 - t));
        }

        @Override
        public double valueAndGradient(double[] p, double[] g) {
            Arrays.fill(g, 0);
            double r0 = BrokenPowerLaw.sigmoid(p[0]);
            double r1 = BrokenPowerLaw.sigmoid(p[1]);
            double b = lo + (hi - lo) * r0;
            double top = lo + (hi - lo) * r1;
            double db = (hi - lo) * r0 * (1 - r0);
            double dtop = (hi - lo) * r1 * (1 - r1);
            double sum = 0;
            for (int i = 0; i < l.length; i++) {
                double s = BrokenPowerLaw.sigmoid(p[2] * (l[i] - p[3]));
                double r = m[i] - (b + (top - b) * s);
                sum += r * r;
                double ds = s * (1 - s);
                g[0] += -2 * r * (1 - s) * db;
                g[1] += -2 * r * s * dtop;
                g[2] += -2 * r * (top - b) * ds * (l[i] - p[3]);
                g[3] += -2 * r * (top - b) * ds * -p[2];
            }
            return Double.isFinite(sum) ? sum : Double.POSITIVE_INFINITY;
        }

        /** The canonical law: a >= 0, so that a is the metric's span and b its lower asymptote. */
        Law law(double[] p, double value) {
            double b = lo + (hi - lo) * BrokenPowerLaw.sigmoid(p[0]);
            double a = lo + (hi - lo) * BrokenPowerLaw.sigmoid(p[1]) - b;
            double rms = Math.sqrt(value / l.length);
            return a >= 0 ? new Law(a, p[2], p[3], b, rms, l.length) : new Law(-a, -p[2], p[3], b + a, rms, l.length);
        }
    }
}
