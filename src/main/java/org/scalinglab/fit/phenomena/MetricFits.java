package org.scalinglab.fit.phenomena;

import static org.scalinglab.fit.phenomena.Intervals.finite;
import static org.scalinglab.fit.phenomena.Intervals.pick;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.phenomena.Phenomena.Holdout;
import org.scalinglab.fit.phenomena.Phenomena.HoldoutRun;
import org.scalinglab.fit.phenomena.Phenomena.MetricFit;
import org.scalinglab.fit.uncertainty.ValidationReport;

/**
 * The metrics lens of {@link Phenomena}: each metric's compute frontier with a power law plus offset fitted to
 * its error, its sigmoid against the loss over every evaluation, and the sigmoid's held-out check on the
 * largest budget.
 */
final class MetricFits {
    private final Intervals intervals;

    MetricFits(Intervals intervals) {
        this.intervals = intervals;
    }

    /** The range a metric can take: [0, 2] for the Brier score, [0, 1] for the others. */
    private static double[] range(String metric) {
        return metric.equals("val_brier") ? new double[] {0, 2} : new double[] {0, 1};
    }

    /** What the error form of a metric is: the metric for lower-is-better ones, 1 - metric otherwise. */
    private static double error(String metric, double v) {
        return Phenomena.higherIsBetter(metric) ? 1 - v : v;
    }

    /** One metric's frontier, laws and held-out check; null where no evaluation measured it. */
    MetricFit fit(List<RunMetrics> runs, String m, Groups groups, ValidationReport validation) {
        List<double[]> all = new ArrayList<>(); // {C, value, loss}
        for (RunMetrics r : runs) {
            for (RunMetrics.Eval e : r.evals()) {
                double v = e.value(m);
                if (Double.isFinite(v)) {
                    all.add(new double[] {e.flops(), v, e.loss()});
                }
            }
        }
        if (all.isEmpty()) {
            return null;
        }
        boolean up = Phenomena.higherIsBetter(m);
        List<double[]> frontier = frontier(all, up);
        double[] fx = frontier.stream().mapToDouble(p -> p[0]).toArray();
        double[] fe = frontier.stream().mapToDouble(p -> error(m, p[1])).toArray();
        BrokenPowerLaw.Law compute = null;
        Double rms = null;
        Map<String, List<Double>> computeCi = Map.of();
        if (Arrays.stream(fe).allMatch(v -> v > 0)) {
            BrokenPowerLaw.Fit f = BrokenPowerLaw.fit(fx, fe, false);
            if (f != null) {
                compute = f.law();
                rms = f.rmsLogResidual();
                computeCi = intervals.of(fx.length, idx -> {
                    BrokenPowerLaw.Fit b = BrokenPowerLaw.refit(pick(fx, idx), pick(fe, idx), f);
                    return b == null ? null : new double[] {b.law().a(), b.law().c0()};
                }, "a", "c0");
            }
        }
        MetricSigmoid.Law sigmoid = null;
        Map<String, List<Double>> sigmoidCi = Map.of();
        Holdout holdout = null;
        if (!m.equals(Phenomena.LOSS)) {
            double[] l = all.stream().mapToDouble(p -> p[2]).toArray();
            double[] v = all.stream().mapToDouble(p -> p[1]).toArray();
            double[] rg = range(m);
            MetricSigmoid.Law s = MetricSigmoid.fit(l, v, rg[0], rg[1]);
            sigmoid = s;
            if (s != null) {
                sigmoidCi = intervals.of(l.length, idx -> {
                    MetricSigmoid.Law b = MetricSigmoid.refit(pick(l, idx), pick(v, idx), rg[0], rg[1], s);
                    return b == null ? null : new double[] {b.a(), b.k(), b.l0(), b.b()};
                }, "a", "k", "l0", "b");
            }
            holdout = holdout(runs, m, groups, validation);
        }
        return new MetricFit(m, up, all.size(), frontier.stream().map(p -> new double[] {p[0], p[1]}).toList(), compute,
                rms, computeCi, sigmoid, sigmoidCi, lateShare(frontier), holdout);
    }

    /** Points whose value beats every point of less compute (ties in C: the best one). */
    static List<double[]> frontier(List<double[]> pts, boolean higherIsBetter) {
        List<double[]> sorted = new ArrayList<>(pts);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0])
                .thenComparingDouble(p -> higherIsBetter ? -p[1] : p[1]));
        List<double[]> out = new ArrayList<>();
        double best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double[] p : sorted) {
            if (higherIsBetter ? p[1] > best : p[1] < best) {
                out.add(p);
                best = p[1];
            }
        }
        return out;
    }

    /** Share of the frontier's change (first to last point) made above 75 % of its ln C range; null if none. */
    static Double lateShare(List<double[]> frontier) {
        if (frontier.size() < 2) {
            return null;
        }
        double lo = Math.log(frontier.get(0)[0]);
        double hi = Math.log(frontier.get(frontier.size() - 1)[0]);
        double total = frontier.get(frontier.size() - 1)[1] - frontier.get(0)[1];
        if (!(hi > lo) || total == 0) {
            return null;
        }
        double at = lo + 0.75 * (hi - lo);
        double v = frontier.get(0)[1];
        for (int i = 1; i < frontier.size(); i++) { // the frontier is a step function: its value at ln C = at
            if (Math.log(frontier.get(i)[0]) <= at) {
                v = frontier.get(i)[1];
            }
        }
        return (frontier.get(frontier.size() - 1)[1] - v) / total;
    }

    private Holdout holdout(List<RunMetrics> runs, String m, Groups groups, ValidationReport validation) {
        if (groups.count() < 2) {
            return null;
        }
        int top = groups.count() - 1;
        List<Double> l = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        int trainRuns = 0;
        for (int i = 0; i < runs.size(); i++) {
            if (groups.ofRun()[i] == top) {
                continue;
            }
            trainRuns++;
            for (RunMetrics.Eval e : runs.get(i).evals()) {
                if (Double.isFinite(e.value(m))) {
                    l.add(e.loss());
                    v.add(e.value(m));
                }
            }
        }
        double[] rg = range(m);
        MetricSigmoid.Law law = MetricSigmoid.fit(l.stream().mapToDouble(Double::doubleValue).toArray(),
                v.stream().mapToDouble(Double::doubleValue).toArray(), rg[0], rg[1]);
        if (law == null) {
            return null;
        }
        Map<String, ValidationReport.RunError> forecasts = new HashMap<>();
        if (validation != null && validation.runs() != null) {
            validation.runs().forEach(e -> forecasts.put(e.id(), e));
        }
        List<HoldoutRun> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunMetrics r = runs.get(i);
            if (groups.ofRun()[i] != top || r.evals().isEmpty()) {
                continue;
            }
            RunMetrics.Eval last = r.evals().get(r.evals().size() - 1);
            double measured = last.value(m);
            if (!Double.isFinite(measured)) {
                continue;
            }
            ValidationReport.RunError f = forecasts.get(r.id());
            Double se = finite(last.se(m));
            Double fl = f == null ? null : f.predicted();
            out.add(new HoldoutRun(r.id(), r.params(), last.loss(), measured, se, law.at(last.loss()), fl,
                    fl == null ? null : law.at(fl), f == null ? null : Math.min(law.at(f.low()), law.at(f.high())),
                    f == null ? null : Math.max(law.at(f.low()), law.at(f.high()))));
        }
        if (out.isEmpty()) {
            return null;
        }
        Double fromLoss = out.stream().mapToDouble(h -> Math.abs(h.fromLoss() - h.measured())).average().orElse(Double.NaN);
        double[] fc = out.stream().filter(h -> h.fromForecast() != null)
                .mapToDouble(h -> Math.abs(h.fromForecast() - h.measured())).toArray();
        int within = (int) out.stream().filter(h -> h.se() != null && Math.abs(h.fromLoss() - h.measured()) <= 2 * h.se())
                .count();
        return new Holdout(groups.values()[top], trainRuns, law, out, fromLoss,
                fc.length == 0 ? null : Arrays.stream(fc).average().orElseThrow(), within);
    }
}
