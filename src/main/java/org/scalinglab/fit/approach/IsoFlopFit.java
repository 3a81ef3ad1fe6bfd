package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * Approach 2 (IsoFLOP profiles): per budget, a curve of loss against ln N and one against ln D through the
 * budget's runs, by default a least-squares parabola over the sizes where the profile lies within 5 % of its
 * minimum ({@link #band}; or a fixed count of sizes nearest the lowest loss, or every size: {@link IsoFlopSettings});
 * their minima give N_opt and D_opt, the N-curve's value there loss_opt. A
 * minimum at or beyond the smallest or largest size fitted at that budget, or a parabola that opens
 * downwards, is an edge minimum: it is flagged with the reason and left out of the power laws, never
 * extrapolated. The power laws are least squares in log-log over the remaining budgets. The bootstrap
 * resamples runs within each budget, choosing each replicate's window and re-flagging edges afresh.
 */
public final class IsoFlopFit {
    static final int MIN_SIZES = 3;
    static final int MIN_BUDGETS = 2;

    private final IsoFlopSettings settings;
    private final boolean refineBand;

    public IsoFlopFit() {
        this(IsoFlopSettings.defaults());
    }

    public IsoFlopFit(IsoFlopSettings settings) {
        this(settings, true);
    }

    /** With {@code refineBand} false a loss band is only its first step (measured against, never a default). */
    IsoFlopFit(IsoFlopSettings settings, boolean refineBand) {
        this.settings = settings;
        this.refineBand = refineBand;
    }

    public IsoFlopSettings settings() {
        return settings;
    }

    public IsoFlopResult fit(RunTable table) {
        BudgetGrouping.Assignment groups = BudgetGrouping.assign(table);
        List<IsoFlopResult.Budget> budgets = profiles(table, groups);
        List<IsoFlopResult.Budget> used = budgets.stream().filter(IsoFlopResult.Budget::used).toList();
        if (used.size() < MIN_BUDGETS) {
            String why = budgets.stream().filter(b -> !b.used())
                    .map(b -> String.format(Locale.ROOT, "C=%.3g: %s", b.flops(), b.reason()))
                    .limit(4).reduce((x, y) -> x + "; " + y).orElse("");
            throw new ScalingLabException(ExitCode.FIT, "approach 2 needs at least " + MIN_BUDGETS
                    + " budgets with an interior minimum, got " + used.size() + " of " + budgets.size()
                    + (why.isEmpty() ? "" : " (" + why + ")"),
                    "sample sizes on both sides of the optimum at each budget, or add budgets");
        }
        PowerLaw[] laws = laws(used);
        if (!(laws[0].exponent() > 0 && laws[1].exponent() > 0)) {
            throw new ScalingLabException(ExitCode.FIT, String.format(Locale.ROOT,
                    "approach 2's power laws have a = %.4g and b = %.4g over %d budgets: a non-positive exponent is "
                            + "outside the physical range (N_opt and D_opt must grow with compute)",
                    laws[0].exponent(), laws[1].exponent(), used.size()),
                    "check the budgets' minima; sample more sizes around each optimum");
        }
        if (!(laws[2].exponent() < 0)) {
            throw new ScalingLabException(ExitCode.FIT, String.format(Locale.ROOT,
                    "approach 2's loss_opt(C) has exponent %.4g >= 0 over %d budgets: a best loss that does not "
                            + "fall with compute is outside the physical range", laws[2].exponent(), used.size()),
                    "check the budgets' minima and the losses of the larger budgets");
        }
        return new IsoFlopResult(laws[0].exponent(), laws[1].exponent(), Map.of(), settings.curve().key(),
                settings.windowKey(), laws[0], laws[1], laws[2], used.size(), groups.rule(), "ln N and ln D", budgets,
                null);
    }

    /** Every budget's profile, usable or not (the report draws them even when approach 2 cannot be fitted). */
    public List<IsoFlopResult.Budget> profiles(RunTable table) {
        return profiles(table, BudgetGrouping.assign(table));
    }

    private List<IsoFlopResult.Budget> profiles(RunTable table, BudgetGrouping.Assignment groups) {
        List<IsoFlopResult.Budget> budgets = new ArrayList<>();
        for (int g = 0; g < groups.count(); g++) {
            budgets.add(profile(table, groups.members(g), groups.budgets()[g], true));
        }
        return budgets;
    }

    private static PowerLaw[] laws(List<IsoFlopResult.Budget> used) {
        double[] c = used.stream().mapToDouble(IsoFlopResult.Budget::flops).toArray();
        return new PowerLaw[] {
            PowerLaw.fit(c, used.stream().mapToDouble(IsoFlopResult.Budget::nOpt).toArray()),
            PowerLaw.fit(c, used.stream().mapToDouble(IsoFlopResult.Budget::dOpt).toArray()),
            PowerLaw.fit(c, used.stream().mapToDouble(IsoFlopResult.Budget::lossOpt).toArray())
        };
    }

    /** One budget's profile from the given rows (repeats allowed); CheckValidation profiles its check runs so. */
    public IsoFlopResult.Budget profile(RunTable t, int[] rows, double budget, boolean keepPoints) {
        int n = rows.length;
        double[] lnN = new double[n];
        double[] lnD = new double[n];
        double[] loss = new double[n];
        List<IsoFlopResult.Point> pts = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            RunPoint p = t.get(rows[k]);
            lnN[k] = Math.log(p.params());
            lnD[k] = Math.log(p.tokens());
            loss[k] = p.loss();
            if (keepPoints) {
                pts.add(new IsoFlopResult.Point(p.id(), p.params(), p.tokens(), p.flops(), p.loss()));
            }
        }
        int sizes = (int) Arrays.stream(lnN).distinct().count();
        double[] range = {Math.exp(min(lnN)), Math.exp(max(lnN))};
        if (sizes < MIN_SIZES) {
            return new IsoFlopResult.Budget(budget, Double.NaN, Double.NaN, Double.NaN, false, false,
                    "fewer than " + MIN_SIZES + " distinct sizes", n, sizes, range, 0, null, null, null, null, null,
                    Map.of(), pts);
        }
        boolean[] in = settings.band() > 0 ? band(lnN, loss, settings.band(), refineBand)
                : window(lnN, loss, settings.window());
        double[] wN = select(lnN, in);
        double[] wD = select(lnD, in);
        double[] wLoss = select(loss, in);
        int fitted = (int) Arrays.stream(wN).distinct().count();
        double[] fittedRange = {Math.exp(min(wN)), Math.exp(max(wN))};
        Curve cn;
        Curve cd;
        if (settings.curve() == IsoFlopSettings.Curve.AKIMA) {
            cn = Curve.akima(wN, wLoss, "N");
            cd = Curve.akima(wD, wLoss, "D");
        } else {
            cn = Curve.parabola(wN, wLoss, "N");
            cd = Curve.parabola(wD, wLoss, "D");
        }
        String reason = cn.edge != null ? cn.edge : cd.edge;
        boolean edge = reason != null;
        return new IsoFlopResult.Budget(budget, Math.exp(cn.argmin), Math.exp(cd.argmin), cn.lowest, edge, !edge,
                reason, n, sizes, range, fitted, fittedRange, cn.parabola, cd.parabola, cn.akima, cd.akima, Map.of(),
                pts);
    }

    /**
     * The rows of the {@code k} distinct sizes nearest in ln N to the size with the lowest mean loss (ties to
     * the smaller size); every row when k is {@link IsoFlopSettings#ALL} or the budget has no more sizes.
     */
    static boolean[] window(double[] lnN, double[] loss, int k) {
        double[] sizes = Arrays.stream(lnN).distinct().sorted().toArray();
        boolean[] in = new boolean[lnN.length];
        if (k == IsoFlopSettings.ALL || sizes.length <= k) {
            Arrays.fill(in, true);
            return in;
        }
        double[] mean = meanBySize(sizes, lnN, loss);
        int lowest = lowest(mean);
        // grow a contiguous run of sizes outwards from the lowest, taking the nearer neighbour each time
        int lo = lowest;
        int hi = lowest;
        while (hi - lo + 1 < k) {
            boolean canDown = lo > 0;
            boolean canUp = hi < sizes.length - 1;
            if (canDown && (!canUp || sizes[lowest] - sizes[lo - 1] <= sizes[hi + 1] - sizes[lowest])) {
                lo--;
            } else {
                hi++;
            }
        }
        for (int r = 0; r < lnN.length; r++) {
            in[r] = lnN[r] >= sizes[lo] && lnN[r] <= sizes[hi];
        }
        return in;
    }

    /** The index of the lowest mean loss (the first of equal ones: the smaller size). */
    private static int lowest(double[] mean) {
        int lowest = 0;
        for (int i = 1; i < mean.length; i++) {
            if (mean[i] < mean[lowest]) {
                lowest = i;
            }
        }
        return lowest;
    }

    /**
     * The rows of the loss band: the distinct sizes at which the budget's profile lies within {@code band} (a
     * fraction) of its minimum, at least {@link #MIN_SIZES} of them. Two steps. First the contiguous run of
     * sizes around the size with the lowest mean loss whose mean losses are all within {@code band} of it.
     * Then (when {@code refine}) a least-squares parabola through those rows gives the profile's vertex v and
     * curvature c2, and the window becomes the sizes where that parabola lies within {@code band} of its
     * minimum, |ln N - v| <= sqrt(band L(v) / c2): a band measured on the fitted curve rather than on single
     * noisy runs, and centred on the vertex rather than on the lowest run. Where the band holds fewer than
     * {@link #MIN_SIZES} sizes it grows by the nearer neighbour (to the lowest run, then to the vertex);
     * where the first parabola opens downwards (or its minimum is not positive) the first step's sizes stay.
     */
    static boolean[] band(double[] lnN, double[] loss, double band, boolean refine) {
        double[] sizes = Arrays.stream(lnN).distinct().sorted().toArray();
        boolean[] in = new boolean[lnN.length];
        if (sizes.length <= MIN_SIZES) {
            Arrays.fill(in, true);
            return in;
        }
        double[] mean = meanBySize(sizes, lnN, loss);
        int lowest = lowest(mean);
        double limit = mean[lowest] * (1 + band);
        int lo = lowest;
        int hi = lowest;
        while (lo > 0 && mean[lo - 1] <= limit) {
            lo--;
        }
        while (hi < sizes.length - 1 && mean[hi + 1] <= limit) {
            hi++;
        }
        int[] run = grow(sizes, lo, hi, sizes[lowest]);
        mark(in, lnN, sizes, run);
        if (!refine) {
            return in;
        }
        Parabola p = Parabola.fit(select(lnN, in), select(loss, in));
        if (p == null || !p.convex()) {
            return in;
        }
        double v = p.vertex();
        double h = Math.sqrt(band * p.value(v) / p.c2());
        if (!(h > 0) || Double.isInfinite(h)) {
            return in;
        }
        lo = 0;
        while (lo < sizes.length && sizes[lo] < v - h) {
            lo++;
        }
        hi = sizes.length - 1;
        while (hi >= 0 && sizes[hi] > v + h) {
            hi--;
        }
        if (hi < lo) { // no size within the band: start from the size nearest the vertex
            lo = nearest(sizes, v);
            hi = lo;
        }
        mark(in, lnN, sizes, grow(sizes, lo, hi, v));
        return in;
    }

    /** sizes[lo..hi] grown to {@link #MIN_SIZES} sizes, each step taking the neighbour nearer {@code centre}. */
    private static int[] grow(double[] sizes, int lo, int hi, double centre) {
        while (hi - lo + 1 < MIN_SIZES) {
            boolean canDown = lo > 0;
            boolean canUp = hi < sizes.length - 1;
            if (canDown && (!canUp || centre - sizes[lo - 1] <= sizes[hi + 1] - centre)) {
                lo--;
            } else {
                hi++;
            }
        }
        return new int[] {lo, hi};
    }

    private static int nearest(double[] sizes, double x) {
        int best = 0;
        for (int i = 1; i < sizes.length; i++) {
            if (Math.abs(sizes[i] - x) < Math.abs(sizes[best] - x)) {
                best = i;
            }
        }
        return best;
    }

    private static void mark(boolean[] in, double[] lnN, double[] sizes, int[] run) {
        for (int r = 0; r < lnN.length; r++) {
            in[r] = lnN[r] >= sizes[run[0]] && lnN[r] <= sizes[run[1]];
        }
    }

    private static double[] meanBySize(double[] sizes, double[] x, double[] y) {
        double[] sum = new double[sizes.length];
        int[] count = new int[sizes.length];
        for (int r = 0; r < x.length; r++) {
            int i = Arrays.binarySearch(sizes, x[r]);
            sum[i] += y[r];
            count[i]++;
        }
        for (int i = 0; i < sizes.length; i++) {
            sum[i] /= count[i];
        }
        return sum;
    }

    private static double[] select(double[] v, boolean[] in) {
        double[] out = new double[v.length];
        int m = 0;
        for (int i = 0; i < v.length; i++) {
            if (in[i]) {
                out[m++] = v[i];
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** One profile's curve, where it is lowest (argmin in ln x, and the loss there) and the edge reason, if any. */
    private record Curve(Parabola parabola, AkimaSpline akima, double argmin, double lowest, String edge) {

        static Curve parabola(double[] x, double[] loss, String var) {
            Parabola p = Parabola.fit(x, loss);
            if (p == null) {
                return new Curve(null, null, Double.NaN, Double.NaN,
                        "no parabola in ln " + var + " (fewer than 3 distinct values)");
            }
            if (!p.convex()) {
                return new Curve(p, null, Double.NaN, Double.NaN, "parabola in ln " + var + " opens downwards: no minimum");
            }
            double v = p.vertex();
            return new Curve(p, null, v, p.value(v), edgeReason(v, x, var));
        }

        /** Through ln loss at each distinct x (repeated rows averaged), as Porian et al. interpolate. */
        static Curve akima(double[] x, double[] loss, String var) {
            double[] knots = Arrays.stream(x).distinct().sorted().toArray();
            if (knots.length < MIN_SIZES) {
                return new Curve(null, null, Double.NaN, Double.NaN,
                        "no Akima curve in ln " + var + " (fewer than 3 distinct values)");
            }
            double[] lnLoss = Arrays.stream(loss).map(Math::log).toArray();
            AkimaSpline s = AkimaSpline.through(knots, meanBySize(knots, x, lnLoss));
            AkimaSpline.Minimum m = s.minimum();
            return new Curve(null, s, m.x(), Math.exp(m.value()), m.atEnd() ? edgeReason(m.x(), x, var) : null);
        }

        private static String edgeReason(double v, double[] x, String var) {
            if (v <= min(x)) {
                return String.format(Locale.ROOT, "minimum in %s (%.3g) at or below the smallest %s fitted (%.3g)",
                        var, Math.exp(v), var, Math.exp(min(x)));
            }
            if (v >= max(x)) {
                return String.format(Locale.ROOT, "minimum in %s (%.3g) at or beyond the largest %s fitted (%.3g)",
                        var, Math.exp(v), var, Math.exp(max(x)));
            }
            return null;
        }
    }

    /** Intervals for a, b, the laws' coefficients and each budget's optimum, resampling within budgets. */
    public IsoFlopResult bootstrap(RunTable table, IsoFlopResult fit, Bootstrap bs) {
        if (!bs.enabled()) {
            return fit;
        }
        BudgetGrouping.Assignment groups = BudgetGrouping.assign(table);
        int[][] counts = bs.resampleCountsWithinGroups(groups.groupOfPoint());
        int nb = groups.count();
        Bootstrap.Samples samples = bs.samples("a", "b", "N_coefficient", "D_coefficient", "loss_exponent",
                "loss_coefficient");
        double[][][] perBudget = new double[nb][3][counts.length];
        for (int r = 0; r < counts.length; r++) {
            int[] idx = Bootstrap.indices(counts[r]);
            List<IsoFlopResult.Budget> used = new ArrayList<>();
            for (int g = 0; g < nb; g++) {
                final int gg = g;
                int[] rows = Arrays.stream(idx).filter(i -> groups.groupOfPoint()[i] == gg).toArray();
                IsoFlopResult.Budget b = profile(table, rows, groups.budgets()[g], false);
                boolean use = b.used();
                perBudget[g][0][r] = use ? b.nOpt() : Double.NaN;
                perBudget[g][1][r] = use ? b.dOpt() : Double.NaN;
                perBudget[g][2][r] = use ? b.lossOpt() : Double.NaN;
                if (use) {
                    used.add(b);
                }
            }
            PowerLaw[] laws = used.size() >= MIN_BUDGETS ? laws(used) : null;
            samples.put(r, laws == null ? null : new double[] {laws[0].exponent(), laws[1].exponent(),
                laws[0].coefficient(), laws[1].coefficient(), laws[2].exponent(), laws[2].coefficient()});
        }
        List<IsoFlopResult.Budget> withCi = new ArrayList<>();
        for (int g = 0; g < nb; g++) {
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", Bootstrap.percentileInterval(perBudget[g][0], bs.level()));
            ci.put("D_opt", Bootstrap.percentileInterval(perBudget[g][1], bs.level()));
            ci.put("loss_opt", Bootstrap.percentileInterval(perBudget[g][2], bs.level()));
            withCi.add(fit.budgets().get(g).withCi(ci));
        }
        return fit.withBootstrap(samples.intervals(), withCi, samples.summary("runs within each budget", null));
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
