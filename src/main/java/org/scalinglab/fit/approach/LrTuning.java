package org.scalinglab.fit.approach;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/**
 * The learning-rate rule of a study, from a tuning grid: per budget, loss against x = ln lr is fitted
 * as one parabola per size with a curvature shared by all sizes (loss = a_i + b_i x + k x^2, linear
 * least squares), since short tuning runs are noisy and the sizes' curves have much the same width;
 * each size's best lr is its vertex -b_i / 2k (a vertex more than half a grid step beyond the lrs
 * tried is an edge: the grid's end, a bound, flagged and left out of the rule). Then lr_opt = c N^p by least squares of ln lr_opt on
 * ln N, with a t-interval on p (Porian et al. 2024: a learning rate tuned per size, not one for all,
 * moves the compute-optimal exponent). Diverged runs (loss +inf) only bound the grid.
 *
 * <p>The rule is applied only where the tune data identify it: at least {@link #MIN_RULE_SIZES}
 * sizes with interior optima, and an exponent interval narrow enough that across the sizes the rule
 * serves it fixes the lr to within one step of the tune grid (half-width x ln(N_max/N_min) at most
 * ln of the grid's ratio). Otherwise the study uses one pooled lr for every size, the vertex of one
 * parabola in ln lr shared by all sizes (their own offsets kept), and says so. Measured: with 3 sizes
 * x 3 lrs, seed and CPU-kernel noise (0.007-0.011 nats) is as large as the grid's differences, and
 * the per-size rule flipped sign between seeds (lr = 0.008 N^+0.06, 0.97 N^-0.40).
 */
public final class LrTuning {
    public static final String SCHEMA = "scalinglab.tuning/2";
    /**
     * A slope's interval through 3 sizes rests on one degree of freedom: its width is itself a
     * chi-square(1) draw, narrow by chance in about 1 draw in 10 of pure noise (LrTuningTest), so a
     * rule needs 4 sizes with interior optima.
     */
    public static final int MIN_RULE_SIZES = 4;

    private LrTuning() {}

    /** One tuning run: its N (the fit's convention), learning rate, budget and final validation loss (+inf: diverged). */
    public record Point(String id, @JsonProperty("N") double params, double lr, double budget, double loss) {}

    /** The best learning rate of one size at one budget. */
    @JsonPropertyOrder({"budget", "N", "lr_opt", "loss_opt", "edge", "reason", "points"})
    public record Size(double budget, @JsonProperty("N") double params, double lrOpt, double lossOpt, boolean edge,
            String reason, List<Point> points) {}

    /** lr = coefficient x N^exponent. */
    @JsonPropertyOrder({"form", "coefficient", "exponent", "exponent_ci", "level", "sizes_used", "note"})
    public record Rule(String form, double coefficient, double exponent, double[] exponentCi, double level,
            int sizesUsed, String note) {
        public double lr(double n) {
            return coefficient * Math.pow(n, exponent);
        }
    }

    /**
     * tuning.json: the rule the study applies ({@code per_size}: the fitted power law; {@code pooled}:
     * one lr for all sizes), the power law fitted to the sizes' optima whether applied or not (null
     * below 2 interior sizes), and why.
     */
    @JsonPropertyOrder({"schema", "param_convention", "applied", "rule", "fitted_rule", "reason", "sizes"})
    public record Result(String schema, String paramConvention, String applied, Rule rule, Rule fittedRule,
            String reason, List<Size> sizes) {
        public static final String PER_SIZE = "per_size";
        public static final String POOLED = "pooled";

        @JsonIgnore
        public boolean pooled() {
            return POOLED.equals(applied);
        }

        @JsonIgnore
        public String describe() {
            if (pooled()) {
                return String.format(Locale.ROOT, "lr = %.4g for every size (pooled over %d sizes): %s",
                        rule.coefficient(), sizes.size(), reason);
            }
            Rule r = rule;
            String ci = Double.isFinite(r.exponentCi()[0]) ? String.format(Locale.ROOT, " [%.3f, %.3f]",
                    r.exponentCi()[0], r.exponentCi()[1]) : "";
            return String.format(Locale.ROOT, "lr = %.4g N^%.3f%s (N %s, %d sizes)%s", r.coefficient(), r.exponent(), ci,
                    paramConvention, r.sizesUsed(), r.note() == null ? "" : "; " + r.note());
        }
    }

    /** As {@link #fit(List, String, double, double)}, the rule serving the tuned sizes' own range. */
    public static Result fit(List<Point> points, String paramConvention, double level) {
        return fit(points, paramConvention, level, Double.NaN);
    }

    /**
     * The tuning result; {@code lnRange} is ln(N_max / N_min) of the sizes the rule will set lrs for
     * (the design's), NaN for the tuned sizes' own range.
     */
    public static Result fit(List<Point> points, String paramConvention, double level, double lnRange) {
        Map<Double, List<Point>> byBudget = new LinkedHashMap<>();
        for (Point p : points) {
            byBudget.computeIfAbsent(p.budget(), k -> new ArrayList<>()).add(p);
        }
        List<Size> sizes = new ArrayList<>();
        for (List<Point> b : byBudget.values()) {
            sizes.addAll(sharedCurvature(b));
        }
        sizes.sort(Comparator.comparingDouble(Size::budget).thenComparingDouble(Size::params));
        if (sizes.stream().allMatch(sz -> sz.points().stream().noneMatch(p -> Double.isFinite(p.loss())))) {
            throw new ScalingLabException(ExitCode.FIT, "no tuning run completed, so there is no learning-rate rule",
                    "check the tune runs' status in results/<sweep>/tune/runs.csv");
        }
        List<Size> used = sizes.stream().filter(sz -> !sz.edge()).toList();
        Rule fitted = used.size() >= 2 ? rule(used, level, null) : null;
        double range = Double.isFinite(lnRange) ? lnRange : Math.log(sizes.stream().mapToDouble(Size::params).max()
                .orElse(1) / sizes.stream().mapToDouble(Size::params).min().orElse(1));
        String why = unidentified(used.size(), fitted, range, gridRatio(points));
        if (why == null) {
            return new Result(SCHEMA, paramConvention, Result.PER_SIZE, fitted, fitted,
                    "the tune data identify the rule", sizes);
        }
        double lr = pooled(points);
        Rule one = new Rule("lr = c", lr, 0, new double[] {Double.NaN, Double.NaN}, level, sizes.size(),
                "pooled: " + why);
        return new Result(SCHEMA, paramConvention, Result.POOLED, one, fitted, why, sizes);
    }

    /**
     * Why the per-size rule is not identified, or null when it is: fewer than {@link #MIN_RULE_SIZES}
     * interior optima, or an exponent interval whose half-width, over ln(N_max/N_min) of the sizes it
     * serves, moves the lr by more than one step of the grid.
     */
    static String unidentified(int interior, Rule fitted, double lnRange, double gridRatio) {
        if (interior < MIN_RULE_SIZES) {
            return String.format(Locale.ROOT, "%d of the tuned sizes had an interior optimum (a rule needs %d)",
                    interior, MIN_RULE_SIZES);
        }
        double half = (fitted.exponentCi()[1] - fitted.exponentCi()[0]) / 2;
        double allowed = Math.log(gridRatio) / lnRange;
        if (!(half <= allowed)) {
            return String.format(Locale.ROOT, "the exponent %.3f [%.3f, %.3f] is not identified: over the sizes it "
                    + "serves (%.1fx) its interval moves the lr by more than the grid's step (x%.2f; half-width "
                    + "%.3f > %.3f)", fitted.exponent(), fitted.exponentCi()[0], fitted.exponentCi()[1],
                    Math.exp(lnRange), gridRatio, half, allowed);
        }
        return null;
    }

    /** The median ratio between neighbouring lrs of the grid. */
    static double gridRatio(List<Point> points) {
        double[] lrs = points.stream().mapToDouble(Point::lr).distinct().sorted().toArray();
        if (lrs.length < 2) {
            return Double.NaN;
        }
        double[] r = new double[lrs.length - 1];
        for (int i = 1; i < lrs.length; i++) {
            r[i - 1] = lrs[i] / lrs[i - 1];
        }
        Arrays.sort(r);
        return r.length % 2 == 1 ? r[r.length / 2] : Math.sqrt(r[r.length / 2 - 1] * r[r.length / 2]);
    }

    /**
     * One lr for all sizes: the vertex of loss = a_i + b x + k x^2 in x = ln lr, one offset a_i per
     * size (and budget), the slope and curvature shared, within half a grid step of the lrs tried;
     * where that parabola does not bend or its vertex lies beyond, the grid lr whose losses, less
     * each size's mean, are lowest on average.
     */
    static double pooled(List<Point> points) {
        Map<String, List<Point>> groups = new LinkedHashMap<>();
        for (Point p : points) {
            if (Double.isFinite(p.loss())) {
                groups.computeIfAbsent(p.budget() + "/" + p.params(), k -> new ArrayList<>()).add(p);
            }
        }
        List<List<Point>> gs = new ArrayList<>(groups.values());
        int g = gs.size();
        List<double[]> rows = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            for (Point p : gs.get(i)) {
                double x = Math.log(p.lr());
                double[] row = new double[g + 2];
                row[i] = 1;
                row[g] = x;
                row[g + 1] = x * x;
                rows.add(row);
                y.add(p.loss());
            }
        }
        double[] lrs = points.stream().filter(p -> Double.isFinite(p.loss())).mapToDouble(Point::lr).distinct()
                .sorted().toArray();
        double[] coef = rows.size() > g + 2 ? solve(rows, y) : null;
        if (coef != null && coef[g + 1] > 0 && lrs.length >= 3) {
            double vertex = -coef[g] / (2 * coef[g + 1]);
            double half = Math.log(gridRatio(points)) / 2;
            if (vertex > Math.log(lrs[0]) - half && vertex < Math.log(lrs[lrs.length - 1]) + half) {
                return Math.exp(vertex);
            }
        }
        double best = Double.NaN;
        double bestMean = Double.POSITIVE_INFINITY;
        for (double lr : lrs) {
            double sum = 0;
            int n = 0;
            for (List<Point> grp : gs) {
                double mean = grp.stream().mapToDouble(Point::loss).average().orElse(0);
                for (Point p : grp) {
                    if (p.lr() == lr) {
                        sum += p.loss() - mean;
                        n++;
                    }
                }
            }
            if (n > 0 && sum / n < bestMean) {
                bestMean = sum / n;
                best = lr;
            }
        }
        return best;
    }

    /**
     * One budget's sizes: parabolas in ln lr with one shared curvature; where that curvature is not
     * positive (a grid too narrow to bend), each size's own 3-point parabola ({@link #best}).
     */
    static List<Size> sharedCurvature(List<Point> budget) {
        Map<Double, List<Point>> bySize = new LinkedHashMap<>();
        for (Point p : budget) {
            bySize.computeIfAbsent(p.params(), k -> new ArrayList<>()).add(p);
        }
        List<List<Point>> groups = new ArrayList<>();
        for (List<Point> g : bySize.values()) {
            List<Point> finite = g.stream().filter(p -> Double.isFinite(p.loss())).toList();
            if (finite.size() >= 3) {
                groups.add(g);
            }
        }
        double[] coef = groups.isEmpty() ? null : solveShared(groups);
        List<Size> out = new ArrayList<>();
        for (List<Point> g : bySize.values()) {
            int i = groups.indexOf(g);
            if (coef == null || i < 0 || !(coef[coef.length - 1] > 0)) {
                out.add(best(g));
                continue;
            }
            double k = coef[coef.length - 1];
            double a = coef[i];
            double b = coef[groups.size() + i];
            double vertex = -b / (2 * k);
            List<Point> sorted = new ArrayList<>(g);
            sorted.sort(Comparator.comparingDouble(Point::lr));
            double first = Math.log(sorted.get(0).lr());
            double last = Math.log(sorted.get(sorted.size() - 1).lr());
            // a vertex within half a grid step beyond the ends is still an estimate; farther out, a bound
            double half = (last - first) / (sorted.size() - 1) / 2;
            double lo = first - half;
            double hi = last + half;
            Point any = sorted.get(0);
            if (vertex <= lo || vertex >= hi) {
                double edge = vertex <= lo ? first : last;
                out.add(new Size(any.budget(), any.params(), Math.exp(edge), a + b * edge + k * edge * edge, true,
                        "the best lr lies " + (vertex <= lo ? "below the grid's smallest" : "above the grid's largest")
                                + String.format(Locale.ROOT, " (the parabola's vertex %.3g)", Math.exp(vertex)),
                        sorted));
            } else {
                out.add(new Size(any.budget(), any.params(), Math.exp(vertex), a + b * vertex + k * vertex * vertex,
                        false, null, sorted));
            }
        }
        return out;
    }

    /** Least squares for a_i, b_i (one per group) and the shared k of loss = a_i + b_i x + k x^2. */
    private static double[] solveShared(List<List<Point>> groups) {
        int g = groups.size();
        List<double[]> rows = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            for (Point p : groups.get(i)) {
                if (!Double.isFinite(p.loss())) {
                    continue;
                }
                double x = Math.log(p.lr());
                double[] row = new double[2 * g + 1];
                row[i] = 1;
                row[g + i] = x;
                row[2 * g] = x * x;
                rows.add(row);
                y.add(p.loss());
            }
        }
        return solve(rows, y);
    }

    /** Least squares by QR; null when the design is singular. */
    private static double[] solve(List<double[]> rows, List<Double> y) {
        org.apache.commons.math3.linear.RealMatrix a = new org.apache.commons.math3.linear.Array2DRowRealMatrix(
                rows.toArray(double[][]::new));
        org.apache.commons.math3.linear.RealVector v = new org.apache.commons.math3.linear.ArrayRealVector(
                y.stream().mapToDouble(Double::doubleValue).toArray());
        var qr = new org.apache.commons.math3.linear.QRDecomposition(a);
        if (!qr.getSolver().isNonSingular()) {
            return null;
        }
        return qr.getSolver().solve(v).toArray();
    }

    /** The best lr of one size: the 3-point parabola's vertex in ln lr, or the grid's end (an edge). */
    static Size best(List<Point> g) {
        List<Point> pts = new ArrayList<>(g);
        pts.sort(Comparator.comparingDouble(Point::lr));
        int b = 0;
        for (int i = 1; i < pts.size(); i++) {
            if (pts.get(i).loss() < pts.get(b).loss()) {
                b = i;
            }
        }
        Point p = pts.get(b);
        if (b == 0 || b == pts.size() - 1) {
            return new Size(p.budget(), p.params(), p.lr(), p.loss(), true, "the best lr is the grid's "
                    + (b == 0 ? "smallest" : "largest"), pts);
        }
        if (!Double.isFinite(pts.get(b - 1).loss()) || !Double.isFinite(pts.get(b + 1).loss())) {
            return new Size(p.budget(), p.params(), p.lr(), p.loss(), false, "a neighbouring lr diverged: the grid's "
                    + "best", pts);
        }
        double[] x = new double[3];
        double[] y = new double[3];
        for (int k = 0; k < 3; k++) {
            x[k] = Math.log(pts.get(b - 1 + k).lr());
            y[k] = pts.get(b - 1 + k).loss();
        }
        Parabola q = Parabola.fit(x, y);
        double v = q != null && q.convex() ? Math.max(x[0], Math.min(x[2], q.vertex())) : x[1];
        return new Size(p.budget(), p.params(), Math.exp(v), q != null && q.convex() ? q.value(v) : p.loss(), false,
                null, pts);
    }

    private static Rule rule(List<Size> used, double level, String note) {
        if (used.size() == 1) {
            Size s = used.get(0);
            return new Rule("lr = c N^p", s.lrOpt(), 0, new double[] {Double.NaN, Double.NaN}, level, 1,
                    "one size only: a constant learning rate" + (note == null ? "" : "; " + note));
        }
        SimpleRegression r = PowerLaw.logLog(used.stream().mapToDouble(Size::params).toArray(),
                used.stream().mapToDouble(Size::lrOpt).toArray());
        double[] ci = {Double.NaN, Double.NaN};
        if (used.size() > 2) {
            double t = new TDistribution(used.size() - 2).inverseCumulativeProbability(0.5 + level / 2);
            ci = new double[] {r.getSlope() - t * r.getSlopeStdErr(), r.getSlope() + t * r.getSlopeStdErr()};
        }
        return new Rule("lr = c N^p", Math.exp(r.getIntercept()), r.getSlope(), ci, level, used.size(), note);
    }
}
