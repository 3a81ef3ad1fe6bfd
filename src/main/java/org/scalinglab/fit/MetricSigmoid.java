package org.scalinglab.fit;

import java.util.Arrays;

/**
 * A metric as a sigmoid of the loss, the second step of the OLMo model ladder (Bhagia et al. 2024, eq. 2):
 *
 * <pre>
 *   m(L) = a / (1 + exp(-k (L - L0))) + b
 * </pre>
 *
 * fitted by least squares on m. For a metric that improves as the loss falls (accuracy, exact match)
 * k < 0 and a > 0 is its range; for one that falls with the loss (Brier score, edit distance) k > 0. The
 * starts are a grid of k and L0; at each, a and b (in which the model is linear) start at their least-squares
 * values, then L-BFGS refines all four.
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

    /** The best fit from the grid of starts; null with fewer than {@link #MIN_POINTS} points. */
    public static Law fit(double[] loss, double[] metric) {
        if (loss.length < MIN_POINTS) {
            return null;
        }
        double[] sorted = loss.clone();
        Arrays.sort(sorted);
        double span = Math.max(sorted[sorted.length - 1] - sorted[0], 1e-6);
        Objective obj = new Objective(loss, metric);
        Lbfgs opt = Lbfgs.standard().withMaxIterations(2_000);
        Lbfgs.Result best = null;
        for (double kk : new double[] {-30, -10, -3, -1, 1, 3, 10, 30}) {
            double k = kk / span;
            for (double q : new double[] {0.1, 0.3, 0.5, 0.7, 0.9, 1.5}) {
                double l0 = q <= 1 ? Bootstrap.quantile(sorted, q) : sorted[0] - 0.5 * span; // the rise below the data
                double[] ab = linear(loss, metric, k, l0);
                Lbfgs.Result r = opt.minimize(obj, new double[] {ab[0], k, l0, ab[1]});
                if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                    best = r;
                }
            }
        }
        if (best == null) {
            return null;
        }
        return canonical(best.x(), best.value(), loss.length);
    }

    /** a s(k (L - L0)) + b = -a s(-k (L - L0)) + a + b: the form with a >= 0, so that a is the metric's range. */
    private static Law canonical(double[] p, double value, int n) {
        double rms = Math.sqrt(value / n);
        return p[0] >= 0 ? new Law(p[0], p[1], p[2], p[3], rms, n) : new Law(-p[0], -p[1], p[2], p[3] + p[0], rms, n);
    }

    /** A refit (a bootstrap resample) from a fitted law's parameters alone. */
    static Law refit(double[] loss, double[] metric, Law from) {
        if (loss.length < MIN_POINTS) {
            return null;
        }
        Lbfgs.Result r = Lbfgs.standard().withMaxIterations(2_000).minimize(new Objective(loss, metric),
                new double[] {from.a(), from.k(), from.l0(), from.b()});
        if (!Double.isFinite(r.value())) {
            return null;
        }
        return canonical(r.x(), r.value(), loss.length);
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

    private record Objective(double[] l, double[] m) implements DifferentiableFunction {
        @Override
        public double valueAndGradient(double[] p, double[] g) {
            Arrays.fill(g, 0);
            double sum = 0;
            for (int i = 0; i < l.length; i++) {
                double s = BrokenPowerLaw.sigmoid(p[1] * (l[i] - p[2]));
                double r = m[i] - (p[0] * s + p[3]);
                sum += r * r;
                double ds = s * (1 - s);
                g[0] += -2 * r * s;
                g[1] += -2 * r * p[0] * ds * (l[i] - p[2]);
                g[2] += -2 * r * p[0] * ds * -p[1];
                g[3] += -2 * r;
            }
            return Double.isFinite(sum) ? sum : Double.POSITIVE_INFINITY;
        }
    }
}
