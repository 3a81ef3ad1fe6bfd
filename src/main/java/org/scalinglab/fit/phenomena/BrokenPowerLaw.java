package org.scalinglab.fit.phenomena;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.scalinglab.fit.optim.DifferentiableFunction;
import org.scalinglab.fit.optim.Lbfgs;
import org.scalinglab.fit.optim.Parallel;

/**
 * A smoothly broken power law with one break (Caballero et al. 2022, eq. 1 with n = 1):
 *
 * <pre>
 *   y = a + b x^-c0 (1 + (x / d)^(1/f))^(-c1 f)
 * </pre>
 *
 * Below the break d the exponent is c0, above it c0 + c1; f sets how many decades the bend takes. With
 * c1 = 0 it is the plain power law with an offset, y = a + b x^-c0, its baseline. Both are fitted as the
 * other laws here are, by least squares on ln y (sum of squared log residuals), by L-BFGS from a grid of
 * starts, keeping the best; the bootstrap refits start from the full-sample optimum and its runners-up.
 *
 * <p>Parameters inside the optimiser: ln a, ln b (at x / xRef, xRef the geometric mean of the x fitted, so
 * that b is of the order of y), c0, c1, ln(d / xRef) and q with f = 0.01 + 4.99 sigmoid(q), which keeps the
 * bend between a hundredth of a decade (a kink) and about five (a long curve).
 */
public final class BrokenPowerLaw {
    static final double F_MIN = 0.01;
    static final double F_SPAN = 4.99;
    /**
     * A sum of squared log residuals near n x 1e-5: a gradient of 1e-9 leaves nothing a start could still
     * gain that the data resolve; 400 iterations bound the starts that wander along flat directions (a break
     * pushed beyond the data), which the best start never needs.
     */
    static final Lbfgs OPTIMIZER = Lbfgs.standard().withGradientTolerance(1e-9).withMaxIterations(400);

    private BrokenPowerLaw() {}

    /**
     * A fitted law; {@code broken} false for the plain power law (c1 = 0, d and f unused).
     *
     * @param b the coefficient of x^-c0 in x's own units
     */
    public record Law(double a, double b, double c0, double c1, double d, double f, boolean broken) {
        public double at(double x) {
            double t = b * Math.pow(x, -c0);
            if (broken) {
                t *= Math.exp(-c1 * f * softplus(Math.log(x / d) / f));
            }
            return a + t;
        }

        /** The local exponent -dln(y - a)/dln x at x: c0 below the break, c0 + c1 above it. */
        public double slope(double x) {
            return broken ? c0 + c1 * sigmoid(Math.log(x / d) / f) : c0;
        }

        /** The number of free parameters. */
        public int parameters() {
            return broken ? 6 : 3;
        }
    }

    /** A fit: the law, the sum of squared log residuals, the points and how the starts went. */
    public record Fit(Law law, double objective, int n, double rmsLogResidual, int starts, int startsConverged) {}

    /** Fewest points each form is fitted to: one more than its parameters. */
    public static int minPoints(boolean broken) {
        return broken ? 7 : 4;
    }

    /** The best of a grid of starts; null when there are too few points or no start ends finite. */
    public static Fit fit(double[] x, double[] y, boolean broken) {
        if (x.length < minPoints(broken)) {
            return null;
        }
        Objective obj = new Objective(x, y, broken);
        List<double[]> starts = starts(obj);
        // starts in parallel, the best kept in start order: the answer does not depend on threads
        List<Lbfgs.Result> ends = Parallel.map(starts.size(), Parallel.defaultThreads(),
                i -> OPTIMIZER.minimize(obj, starts.get(i)));
        Lbfgs.Result best = null;
        int converged = 0;
        for (Lbfgs.Result r : ends) {
            if (r.converged()) {
                converged++;
            }
            if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                best = r;
            }
        }
        return best == null ? null : obj.fit(best.x(), best.value(), starts.size(), converged);
    }

    /** A refit (a bootstrap resample) from the full-sample fit's parameters and 3 of the grid's starts. */
    static Fit refit(double[] x, double[] y, Fit from) {
        boolean broken = from.law().broken();
        if (x.length < minPoints(broken)) {
            return null;
        }
        Objective obj = new Objective(x, y, broken);
        List<double[]> starts = new ArrayList<>();
        starts.add(obj.encode(from.law()));
        List<double[]> grid = starts(obj);
        for (int i = 0; i < grid.size(); i += Math.max(1, grid.size() / 3)) {
            starts.add(grid.get(i));
        }
        Lbfgs opt = OPTIMIZER;
        Lbfgs.Result best = null;
        for (double[] s : starts) {
            Lbfgs.Result r = opt.minimize(obj, s);
            if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                best = r;
            }
        }
        return best == null ? null : obj.fit(best.x(), best.value(), starts.size(), 0);
    }

    /**
     * Starts. Plain: the offset a at 0, 50 % and 90 % of the smallest y, c0 in {0.05, 0.3, 1}, b through the
     * data's median. Broken: from the best plain fit's a, b and c0 (and from a at half the smallest y), the
     * break at 20, 40, 60 and 80 % of the range of ln x, c1 in {-0.5, 0.3, 1.5} (flattening or steepening),
     * f in {0.1, 1}: 48 starts.
     */
    private static List<double[]> starts(Objective o) {
        double yMin = Arrays.stream(o.y).min().orElseThrow();
        double yMed = median(o.y);
        List<double[]> plain = new ArrayList<>();
        for (double frac : new double[] {0, 0.5, 0.9}) {
            double a = frac * yMin;
            double la = Math.log(Math.max(a, 1e-12 * yMin));
            double lb = Math.log(Math.max(yMed - a, 1e-6 * yMed));
            for (double c0 : new double[] {0.05, 0.3, 1}) {
                plain.add(new double[] {la, lb, c0});
            }
        }
        if (!o.broken) {
            return plain;
        }
        Objective po = new Objective(o, false);
        Lbfgs.Result base = null;
        for (double[] s : plain) {
            Lbfgs.Result r = OPTIMIZER.minimize(po, s);
            if (Double.isFinite(r.value()) && (base == null || r.value() < base.value())) {
                base = r;
            }
        }
        double[] u = o.u.clone();
        Arrays.sort(u);
        double uMin = u[0];
        double uMax = u[u.length - 1];
        List<double[]> out = new ArrayList<>();
        double[][] abc = base == null ? new double[][] {plain.get(4)}
                : new double[][] {base.x(), {Math.log(0.5 * yMin), base.x()[1], base.x()[2]}};
        for (double[] p : abc) {
            for (double c1 : new double[] {-0.5, 0.3, 1.5}) {
                for (double at : new double[] {0.2, 0.4, 0.6, 0.8}) {
                    for (double f : new double[] {0.1, 1}) {
                        double q = Math.log((f - F_MIN) / (F_MIN + F_SPAN - f));
                        out.add(new double[] {p[0], p[1], p[2], c1, uMin + at * (uMax - uMin), q});
                    }
                }
            }
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    static double softplus(double z) {
        return z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** Sum of squared log residuals in the optimiser's parameters, with its analytic gradient. */
    static final class Objective implements DifferentiableFunction {
        final double[] u;
        final double[] y;
        final double[] lny;
        final double xRef;
        final boolean broken;

        /** The same points under the other form. */
        Objective(Objective o, boolean broken) {
            this.u = o.u;
            this.y = o.y;
            this.lny = o.lny;
            this.xRef = o.xRef;
            this.broken = broken;
        }

        Objective(double[] x, double[] y, boolean broken) {
            this.y = y.clone();
            this.broken = broken;
            double m = 0;
            for (double v : x) {
                m += Math.log(v);
            }
            m /= x.length;
            this.xRef = Math.exp(m);
            this.u = new double[x.length];
            this.lny = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                u[i] = Math.log(x[i]) - m;
                lny[i] = Math.log(y[i]);
            }
        }

        @Override
        public double valueAndGradient(double[] p, double[] g) {
            Arrays.fill(g, 0);
            double a = Math.exp(p[0]);
            double c0 = p[2];
            double c1 = broken ? p[3] : 0;
            double ud = broken ? p[4] : 0;
            double sq = broken ? sigmoid(p[5]) : 0;
            double f = F_MIN + F_SPAN * sq;
            double sum = 0;
            for (int i = 0; i < u.length; i++) {
                double z = broken ? (u[i] - ud) / f : 0;
                double s = broken ? softplus(z) : 0;
                double lt = p[1] - c0 * u[i] - (broken ? c1 * f * s : 0);
                double t = Math.exp(lt);
                double yhat = a + t;
                double r = lny[i] - Math.log(yhat);
                sum += r * r;
                double w = -2 * r / yhat;
                g[0] += w * a;
                g[1] += w * t;
                g[2] += w * -u[i] * t;
                if (broken) {
                    double sig = sigmoid(z);
                    g[3] += w * -f * s * t;
                    g[4] += w * c1 * sig * t;
                    double dF = F_SPAN * sq * (1 - sq); // df/dq
                    g[5] += w * -c1 * (s - sig * z) * dF * t;
                }
            }
            if (!Double.isFinite(sum)) {
                Arrays.fill(g, 0);
                return Double.POSITIVE_INFINITY;
            }
            return sum;
        }

        double[] encode(Law law) {
            double la = Math.log(Math.max(law.a(), 1e-300));
            double lb = Math.log(law.b()) - law.c0() * Math.log(xRef); // b at x / xRef
            if (!broken) {
                return new double[] {la, lb, law.c0()};
            }
            double f = Math.min(Math.max(law.f(), F_MIN * 1.0001), (F_MIN + F_SPAN) * 0.9999);
            return new double[] {la, lb, law.c0(), law.c1(), Math.log(law.d() / xRef),
                Math.log((f - F_MIN) / (F_MIN + F_SPAN - f))};
        }

        Law decode(double[] p) {
            double b = Math.exp(p[1] + p[2] * Math.log(xRef));
            if (!broken) {
                return new Law(Math.exp(p[0]), b, p[2], 0, Double.NaN, Double.NaN, false);
            }
            return new Law(Math.exp(p[0]), b, p[2], p[3], xRef * Math.exp(p[4]), F_MIN + F_SPAN * sigmoid(p[5]), true);
        }

        Fit fit(double[] p, double value, int starts, int converged) {
            return new Fit(decode(p), value, u.length, Math.sqrt(value / u.length), starts, converged);
        }
    }

    /** One rolling origin: fitted on the points of lowest x, scored on the next block. */
    public record Origin(int trained, int tested, double xMaxTrained, double plainError, double brokenError) {}

    /**
     * Rolling-origin held-out error of both forms: points sorted by x, origins after 50, 60, 70, 80 and 90 %
     * of them (those that leave the broken form at least {@link #minPoints} to fit); each origin fits both
     * forms to the points before it and scores the root mean square of ln(predicted / measured) on the
     * points up to the next origin (the last on the rest).
     */
    public static List<Origin> rolling(double[] x, double[] y) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] xs = new double[x.length];
        double[] ys = new double[x.length];
        for (int i = 0; i < order.length; i++) {
            xs[i] = x[order[i]];
            ys[i] = y[order[i]];
        }
        List<Integer> cuts = new ArrayList<>();
        for (double frac : new double[] {0.5, 0.6, 0.7, 0.8, 0.9}) {
            int k = (int) Math.round(frac * xs.length);
            // a cut between equal x would score a point at an x the fit has already seen
            while (k < xs.length && k > 0 && xs[k] == xs[k - 1]) {
                k++;
            }
            if (k >= minPoints(true) && k < xs.length && (cuts.isEmpty() || k > cuts.get(cuts.size() - 1))) {
                cuts.add(k);
            }
        }
        List<Origin> out = new ArrayList<>();
        for (int c = 0; c < cuts.size(); c++) {
            int k = cuts.get(c);
            int end = c + 1 < cuts.size() ? cuts.get(c + 1) : xs.length;
            double[] tx = Arrays.copyOf(xs, k);
            double[] ty = Arrays.copyOf(ys, k);
            Fit plain = fit(tx, ty, false);
            Fit broken = fit(tx, ty, true);
            out.add(new Origin(k, end - k, xs[k - 1], error(plain, xs, ys, k, end), error(broken, xs, ys, k, end)));
        }
        return out;
    }

    private static double error(Fit f, double[] x, double[] y, int from, int to) {
        if (f == null) {
            return Double.NaN;
        }
        double ss = 0;
        for (int i = from; i < to; i++) {
            double r = Math.log(f.law().at(x[i]) / y[i]);
            ss += r * r;
        }
        return Math.sqrt(ss / (to - from));
    }
}
