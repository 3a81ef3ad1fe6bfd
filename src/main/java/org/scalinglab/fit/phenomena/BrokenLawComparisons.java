package org.scalinglab.fit.phenomena;

import static org.scalinglab.fit.phenomena.Intervals.finite;
import static org.scalinglab.fit.phenomena.Intervals.pick;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.fit.phenomena.Phenomena.Curve;
import org.scalinglab.fit.phenomena.Phenomena.OneLayer;
import org.scalinglab.text.Numbers;

/**
 * The broken-power-law lens of {@link Phenomena}: the broken law against the plain one on the
 * loss-against-compute frontier and on loss against N within each budget, by rolling-origin held-out error,
 * and the 1-layer runs against the trend of the deeper ones.
 */
final class BrokenLawComparisons {
    private final Intervals intervals;

    BrokenLawComparisons(Intervals intervals) {
        this.intervals = intervals;
    }

    /** The 1-layer runs against the plain law of the deeper ones; null without 4 deeper runs and a 1-layer one. */
    static OneLayer oneLayer(double[] x, double[] y, int[] layers) {
        List<double[]> deep = new ArrayList<>();
        List<double[]> one = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            (layers[i] == 1 ? one : layers[i] > 1 ? deep : new ArrayList<double[]>()).add(new double[] {x[i], y[i]});
        }
        if (one.isEmpty() || deep.size() < BrokenPowerLaw.minPoints(false)) {
            return null;
        }
        BrokenPowerLaw.Fit f = BrokenPowerLaw.fit(deep.stream().mapToDouble(p -> p[0]).toArray(),
                deep.stream().mapToDouble(p -> p[1]).toArray(), false);
        if (f == null) {
            return null;
        }
        double[] r = one.stream().mapToDouble(p -> Math.log(p[1] / f.law().at(p[0]))).toArray();
        double mean = Arrays.stream(r).average().orElseThrow();
        double var = Arrays.stream(r).map(v -> (v - mean) * (v - mean)).sum() / Math.max(1, r.length - 1);
        return new OneLayer(one.size(), deep.size(), f.law(), mean, r.length > 1 ? Math.sqrt(var / r.length) : null,
                f.rmsLogResidual(), r);
    }

    Curve frontierCurve(List<RunMetrics> runs) {
        List<double[]> all = new ArrayList<>();
        for (RunMetrics r : runs) {
            for (RunMetrics.Eval e : r.evals()) {
                all.add(new double[] {e.flops(), e.loss()});
            }
        }
        List<double[]> f = MetricFits.frontier(all, false);
        double[] x = f.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = f.stream().mapToDouble(p -> p[1]).toArray();
        return compare("frontier", Double.NaN, "compute", x, y, new int[x.length], null, null);
    }

    Curve budgetCurve(List<RunMetrics> runs, Groups groups, int g) {
        List<RunMetrics> in = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (groups.ofRun()[i] == g && runs.get(i).params() > 0 && runs.get(i).finalLoss() > 0) {
                in.add(runs.get(i));
            }
        }
        in.sort(Comparator.comparingDouble(RunMetrics::params));
        double[] x = in.stream().mapToDouble(RunMetrics::params).toArray();
        double[] y = in.stream().mapToDouble(RunMetrics::finalLoss).toArray();
        int[] layers = in.stream().mapToInt(RunMetrics::layers).toArray();
        return compare("budget", groups.values()[g], groups.by(), x, y, layers, in, oneLayer(x, y, layers));
    }

    private Curve compare(String kind, double budget, String by, double[] x, double[] y, int[] layers,
            List<RunMetrics> members, OneLayer oneLayer) {
        int need = BrokenPowerLaw.minPoints(true) + 1; // and a point to hold out
        if (x.length < need) {
            return new Curve(kind, budget, by, x.length, x, y, layers, null, null, Map.of(), List.of(), null, null,
                    false, null, null, "needs at least " + need + " points (the broken law has 6 parameters), has "
                            + x.length, oneLayer);
        }
        BrokenPowerLaw.Fit plain = BrokenPowerLaw.fit(x, y, false);
        BrokenPowerLaw.Fit broken = BrokenPowerLaw.fit(x, y, true);
        Map<String, List<Double>> ci = broken == null ? Map.of() : intervals.of(x.length, idx -> {
            BrokenPowerLaw.Fit b = BrokenPowerLaw.refit(pick(x, idx), pick(y, idx), broken);
            return b == null ? null : new double[] {b.law().d(), b.law().c0(), b.law().c1(), b.law().f(), b.law().a()};
        }, "d", "c0", "c1", "f", "a");
        List<BrokenPowerLaw.Origin> rolling = BrokenPowerLaw.rolling(x, y);
        double pe = rolling.stream().mapToDouble(BrokenPowerLaw.Origin::plainError).average().orElse(Double.NaN);
        double be = rolling.stream().mapToDouble(BrokenPowerLaw.Origin::brokenError).average().orElse(Double.NaN);
        boolean wins = Double.isFinite(be) && Double.isFinite(pe) && be < pe;
        Double at = wins && broken != null ? broken.law().d() : null;
        String note = breakNote(broken, x, members, wins, rolling.isEmpty());
        return new Curve(kind, budget, by, x.length, x, y, layers, plain, broken, ci, rolling, finite(pe), finite(be),
                wins, at, note, rolling.isEmpty() ? "no rolling origin leaves the broken law 7 points to fit" : null,
                oneLayer);
    }

    /** Where the break lies: inside the data or not, and against the largest 1-layer and smallest deeper run. */
    private static String breakNote(BrokenPowerLaw.Fit broken, double[] x, List<RunMetrics> members, boolean wins,
            boolean noOrigins) {
        if (broken == null) {
            return null;
        }
        double d = broken.law().d();
        double lo = Arrays.stream(x).min().orElseThrow();
        double hi = Arrays.stream(x).max().orElseThrow();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "break at %s %s the data (%s to %s)", Numbers.sig4(d),
                d >= lo && d <= hi ? "inside" : "outside", Numbers.sig4(lo), Numbers.sig4(hi)));
        if (members != null) {
            double one = members.stream().filter(r -> r.layers() == 1).mapToDouble(RunMetrics::params).max()
                    .orElse(Double.NaN);
            double deep = members.stream().filter(r -> r.layers() > 1).mapToDouble(RunMetrics::params).min()
                    .orElse(Double.NaN);
            if (Double.isFinite(one) && Double.isFinite(deep)) {
                sb.append(String.format(Locale.ROOT, "; 1-layer runs reach N %s, deeper ones start at N %s",
                        Numbers.sig4(one), Numbers.sig4(deep)));
            }
        }
        sb.append(noOrigins ? "; no held-out comparison" : wins ? "; the broken law predicts held-out points better"
                : "; the plain law predicts held-out points as well or better");
        return sb.toString();
    }
}
