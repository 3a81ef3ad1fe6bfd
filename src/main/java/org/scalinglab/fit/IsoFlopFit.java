package org.scalinglab.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/**
 * Approach 2 (IsoFLOP profiles): per budget, a least-squares parabola of loss in ln N and one in ln D;
 * their vertices give N_opt and D_opt, the N-parabola's value there loss_opt. A vertex at or beyond the
 * smallest or largest size sampled at that budget, or a parabola that opens downwards, is an edge
 * minimum: it is flagged with the reason and left out of the power laws, never extrapolated. The power
 * laws are least squares in log-log over the remaining budgets. The bootstrap resamples runs within
 * each budget, re-flagging edges in every replicate.
 */
public final class IsoFlopFit {
    static final int MIN_SIZES = 3;
    static final int MIN_BUDGETS = 2;

    public IsoFlopFit() {}

    public IsoFlopResult fit(RunTable table) {
        BudgetGrouping.Assignment groups = BudgetGrouping.assign(table);
        List<IsoFlopResult.Budget> budgets = new ArrayList<>();
        for (int g = 0; g < groups.count(); g++) {
            budgets.add(profile(table, groups.members(g), groups.budgets()[g], true));
        }
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
        return new IsoFlopResult(laws[0].exponent(), laws[1].exponent(), Map.of(), laws[0], laws[1], laws[2],
                used.size(), groups.rule(), "ln N and ln D", budgets, null);
    }

    private static PowerLaw[] laws(List<IsoFlopResult.Budget> used) {
        double[] c = used.stream().mapToDouble(IsoFlopResult.Budget::flops).toArray();
        return new PowerLaw[] {
            PowerLaw.fit(c, used.stream().mapToDouble(IsoFlopResult.Budget::nOpt).toArray()),
            PowerLaw.fit(c, used.stream().mapToDouble(IsoFlopResult.Budget::dOpt).toArray()),
            PowerLaw.fit(c, used.stream().mapToDouble(IsoFlopResult.Budget::lossOpt).toArray())
        };
    }

    /** One budget's profile from the given rows (repeats allowed). */
    static IsoFlopResult.Budget profile(RunTable t, int[] rows, double budget, boolean keepPoints) {
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
                    "fewer than " + MIN_SIZES + " distinct sizes", n, sizes, range, null, null, Map.of(), pts);
        }
        Parabola pn = Parabola.fit(lnN, loss);
        Parabola pd = Parabola.fit(lnD, loss);
        String edgeN = edge(pn, lnN, "N");
        String edgeD = edge(pd, lnD, "D");
        double nOpt = pn != null && pn.convex() ? Math.exp(pn.vertex()) : Double.NaN;
        double dOpt = pd != null && pd.convex() ? Math.exp(pd.vertex()) : Double.NaN;
        double lossOpt = pn != null && pn.convex() ? pn.value(pn.vertex()) : Double.NaN;
        String reason = edgeN != null ? edgeN : edgeD;
        boolean edge = reason != null;
        return new IsoFlopResult.Budget(budget, nOpt, dOpt, lossOpt, edge, !edge, reason, n, sizes, range, pn, pd,
                Map.of(), pts);
    }

    private static String edge(Parabola p, double[] x, String var) {
        if (p == null) {
            return "no parabola in ln " + var + " (fewer than 3 distinct values)";
        }
        if (!p.convex()) {
            return "parabola in ln " + var + " opens downwards: no minimum";
        }
        double v = p.vertex();
        if (v <= min(x)) {
            return String.format(Locale.ROOT, "minimum in %s (%.3g) at or below the smallest %s sampled (%.3g)", var,
                    Math.exp(v), var, Math.exp(min(x)));
        }
        if (v >= max(x)) {
            return String.format(Locale.ROOT, "minimum in %s (%.3g) at or beyond the largest %s sampled (%.3g)", var,
                    Math.exp(v), var, Math.exp(max(x)));
        }
        return null;
    }

    /** Intervals for a, b, the laws' coefficients and each budget's optimum, resampling within budgets. */
    public IsoFlopResult bootstrap(RunTable table, IsoFlopResult fit, Bootstrap bs) {
        if (!bs.enabled()) {
            return fit;
        }
        BudgetGrouping.Assignment groups = BudgetGrouping.assign(table);
        int[][] counts = bs.resampleCountsWithinGroups(groups.groupOfPoint());
        int nb = groups.count();
        String[] names = {"a", "b", "N_coefficient", "D_coefficient", "loss_exponent", "loss_coefficient"};
        Map<String, double[]> samples = new LinkedHashMap<>();
        for (String k : names) {
            samples.put(k, new double[counts.length]);
        }
        double[][][] perBudget = new double[nb][3][counts.length];
        int ok = 0;
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
            double[] v = new double[names.length];
            Arrays.fill(v, Double.NaN);
            if (used.size() >= MIN_BUDGETS) {
                PowerLaw[] laws = laws(used);
                v = new double[] {laws[0].exponent(), laws[1].exponent(), laws[0].coefficient(),
                    laws[1].coefficient(), laws[2].exponent(), laws[2].coefficient()};
                ok++;
            }
            for (int k = 0; k < names.length; k++) {
                samples.get(names[k])[r] = v[k];
            }
        }
        List<IsoFlopResult.Budget> withCi = new ArrayList<>();
        for (int g = 0; g < nb; g++) {
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", Bootstrap.percentileInterval(perBudget[g][0], bs.level()));
            ci.put("D_opt", Bootstrap.percentileInterval(perBudget[g][1], bs.level()));
            ci.put("loss_opt", Bootstrap.percentileInterval(perBudget[g][2], bs.level()));
            withCi.add(fit.budgets().get(g).withCi(ci));
        }
        return fit.withBootstrap(bs.intervals(samples), withCi, bs.summarize("runs within each budget", ok, null,
                samples));
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
