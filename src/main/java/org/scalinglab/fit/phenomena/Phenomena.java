package org.scalinglab.fit.phenomena;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.fit.optim.Parallel;
import org.scalinglab.fit.uncertainty.Bootstrap;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.text.Numbers;

/**
 * What the scaling literature argues about, measured on a sweep's own runs:
 *
 * <ol>
 *   <li><b>Metrics and emergence</b> (Wei et al. 2022; Schaeffer et al. 2023): each validation metric on the
 *       compute frontier (the best value reached at or below each compute, over every evaluation of every run)
 *       with a power law plus offset fitted to its error (1 - metric for accuracy and exact match); a sigmoid
 *       of each metric against the loss over every evaluation (the OLMo ladder's second step, Bhagia et al.
 *       2024), and its held-out check on the largest budget: fitted on the smaller budgets, it predicts the
 *       top budget's final metrics from their measured loss, and from the loss approach 3 forecast for them
 *       when a validation is given.
 *   <li><b>Broken power laws</b> (Caballero et al. 2022): a smoothly broken power law with one break against
 *       the plain power law, on the loss-against-compute frontier and on loss against N within each budget,
 *       compared by rolling-origin held-out error ({@link BrokenPowerLaw#rolling}); the break's location
 *       where the broken law wins.
 *   <li><b>Critical batch size</b> (McCandlish et al. 2018; Kaplan et al. 2020): B_crit(L) = B* / L^(1/alpha_B)
 *       fitted to every run's noise scale B_simple against its training loss (rows after the first tenth of
 *       each run, where the moving averages have settled), each run's batch against it.
 * </ol>
 *
 * Intervals are bootstrap percentiles: frontier points and evaluations resampled for the metric fits, points
 * for the broken laws, runs for the critical batch.
 */
public final class Phenomena {
    public static final String SCHEMA = "scalinglab.phenomena/1";
    /** The loss, as the metrics name it: the log-likelihood lens. */
    public static final String LOSS = "val_loss";
    /** Continuation lengths, as the trainer measures them. */
    public static final int[] CONTINUATION = {1, 2, 4, 8, 16};
    /** The rows of a run the critical batch fit leaves out: the first tenth, while the moving averages settle. */
    static final double NOISE_SETTLE = 0.1;

    private final int bootstrap;
    private final long seed;
    private final double level;
    private final String paramConvention;
    private final String flopConvention;

    public Phenomena(int bootstrap, long seed, double level, ParamConvention p, FlopConvention f) {
        this.bootstrap = bootstrap;
        this.seed = seed;
        this.level = level;
        this.paramConvention = p.option();
        this.flopConvention = f.option();
    }

    /** Every metric in report order: the loss, accuracy, Brier score, exact match, edit distance. */
    public static List<String> metrics() {
        List<String> m = new ArrayList<>(List.of(LOSS, "val_acc", "val_brier"));
        for (int k : CONTINUATION) {
            m.add("val_em_" + k);
        }
        for (int k : CONTINUATION) {
            m.add("val_edit_" + k);
        }
        return m;
    }

    public static boolean higherIsBetter(String metric) {
        return metric.equals("val_acc") || metric.startsWith("val_em_");
    }

    /** The range a metric can take: [0, 2] for the Brier score, [0, 1] for the others. */
    static double[] range(String metric) {
        return metric.equals("val_brier") ? new double[] {0, 2} : new double[] {0, 1};
    }

    /** What the error form of a metric is: the metric for lower-is-better ones, 1 - metric otherwise. */
    static double error(String metric, double v) {
        return higherIsBetter(metric) ? 1 - v : v;
    }

    // ------------------------------------------------------------------ records (phenomena.json)

    @JsonPropertyOrder({"schema", "created_at", "settings", "runs", "emergence", "metrics", "broken", "critical_batch",
        "notes"})
    public record Report(String schema, String createdAt, Settings settings, int runs, String emergence,
            List<MetricFit> metrics, List<Curve> broken, CriticalBatch criticalBatch, List<String> notes) {

        public MetricFit metric(String name) {
            return metrics.stream().filter(m -> m.metric().equals(name)).findFirst().orElse(null);
        }
    }

    public record Settings(String paramConvention, String flopConvention, int bootstrap, long seed, double level) {}

    /**
     * One metric: its compute frontier and the power law of its error there, its sigmoid against the loss,
     * the share of its change on the frontier in the top quarter of the log-compute range, and the held-out
     * check.
     *
     * @param frontier {C, metric} on the frontier, increasing C
     * @param compute the error's law e(C) = a + b C^-c0 ({@link BrokenPowerLaw.Law}, plain)
     * @param lateShare share of the frontier's change (first point to last) made in the top quarter of ln C
     */
    public record MetricFit(String metric, boolean higherIsBetter, int points, List<double[]> frontier,
            BrokenPowerLaw.Law compute, Double computeRms, Map<String, List<Double>> computeCi, MetricSigmoid.Law sigmoid,
            Map<String, List<Double>> sigmoidCi, Double lateShare, Holdout holdout) {}

    /**
     * The sigmoid fitted on the budgets below the largest, predicting the largest budget's final metrics.
     *
     * @param meanAbsErrorFromLoss mean |predicted - measured| from each run's measured loss
     * @param meanAbsErrorFromForecast the same from approach 3's held-out forecast of its loss
     * @param withinTwoSe runs whose prediction from the measured loss lies within 2 standard errors of the
     *     measurement
     */
    public record Holdout(double budget, int trainRuns, MetricSigmoid.Law law, List<HoldoutRun> runs,
            Double meanAbsErrorFromLoss, Double meanAbsErrorFromForecast, int withinTwoSe) {}

    public record HoldoutRun(String id, double params, double loss, double measured, Double se, double fromLoss,
            Double forecastLoss, Double fromForecast, Double forecastLow, Double forecastHigh) {}

    /**
     * One broken-power-law comparison: {@code frontier} (loss against C) or {@code budget} (loss against N at
     * one budget, or one token count where the runs have no budget).
     *
     * @param layers the layers of each point's run (0 for frontier points, which mix runs)
     * @param brokenWins whether the broken law's mean rolling-origin error is below the plain law's
     * @param breakAt the break d of the full-sample broken law, reported where it wins
     * @param reason why a comparison could not be made (too few points), else null
     * @param oneLayer how far the 1-layer runs sit off the trend of the deeper ones, or null
     */
    public record Curve(String kind, double budget, String groupedBy, int n, double[] x, double[] y, int[] layers,
            BrokenPowerLaw.Fit plain, BrokenPowerLaw.Fit broken, Map<String, List<Double>> brokenCi,
            List<BrokenPowerLaw.Origin> rolling, Double plainError, Double brokenError, boolean brokenWins,
            Double breakAt, String note, String reason, OneLayer oneLayer) {}

    /**
     * Kaplan et al. (2020, figure 6)'s observation, measured: the plain power law fitted to the runs of 2 layers
     * or more of one budget, and the 1-layer runs' log residuals from it.
     *
     * @param meanLogResidual mean ln(measured / law) of the 1-layer runs (positive: worse than the trend)
     * @param se its standard error over those runs
     * @param deepRms rms log residual of the deeper runs themselves, the scatter to compare it with
     */
    public record OneLayer(int oneLayerRuns, int deeperRuns, BrokenPowerLaw.Law deeperLaw, double meanLogResidual,
            Double se, double deepRms, double[] residuals) {}

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

    /**
     * The critical batch size against the loss.
     *
     * @param points {training loss, B_simple} of every row fitted
     * @param lossDropPerDoubling the fall in loss over which B_crit doubles, 1 - 2^-alpha_B (Kaplan: 13 %)
     */
    public record CriticalBatch(int runs, int fittedPoints, Double bStar, Double alphaB, Map<String, List<Double>> ci,
            Double lossDropPerDoubling, List<RunNoise> perRun, List<double[]> points, String reason) {

        /** B_crit at a loss; NaN without a fit. */
        public double at(double loss) {
            return bStar == null ? Double.NaN : bStar * Math.pow(loss, -1 / alphaB);
        }
    }

    /**
     * One run's noise scale: its batch, its last B_simple and the fit's B_crit at its final loss.
     *
     * @param curve {tokens, B_simple, training loss} of its rows
     */
    public record RunNoise(String id, double params, int layers, double tokensPerStep, double finalLoss,
            Double lastBSimple, Double critical, Double batchOverCritical, List<double[]> curve) {}

    // ------------------------------------------------------------------ the measurements

    /**
     * @param validation approach 3's held-out validation (its forecasts of the top budget), or null
     */
    public Report run(List<RunMetrics> runs, ValidationReport validation) {
        List<String> notes = new ArrayList<>();
        List<MetricFit> fits = new ArrayList<>();
        Groups groups = Groups.of(runs);
        for (String m : metrics()) {
            MetricFit f = metric(runs, m, groups, validation);
            if (f != null) {
                fits.add(f);
            }
        }
        if (fits.size() <= 1) {
            notes.add("no run has metrics beyond the loss (trained before scalinglab recorded them?)");
        }
        List<Curve> broken = new ArrayList<>();
        broken.add(frontierCurve(runs));
        for (int g = 0; g < groups.count(); g++) {
            broken.add(budgetCurve(runs, groups, g));
        }
        CriticalBatch cb = criticalBatch(runs);
        Report r = new Report(SCHEMA, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                new Settings(paramConvention, flopConvention, bootstrap, seed, level), runs.size(), null, fits, broken,
                cb, notes);
        return new Report(r.schema(), r.createdAt(), r.settings(), r.runs(), emergenceSentence(r), fits, broken, cb,
                notes);
    }

    /** Budgets of the runs: their IsoFLOP budgets when every run has one, else their token counts (a grid). */
    record Groups(String by, double[] values, int[] ofRun) {
        int count() {
            return values.length;
        }

        static Groups of(List<RunMetrics> runs) {
            boolean budgets = !runs.isEmpty() && runs.stream().allMatch(r -> r.budget() > 0);
            TreeMap<Double, Integer> index = new TreeMap<>();
            double[] key = new double[runs.size()];
            for (int i = 0; i < key.length; i++) {
                double v = budgets ? runs.get(i).budget() : runs.get(i).tokens();
                Double near = null;
                for (double k : index.keySet()) {
                    if (Math.abs(k - v) <= 1e-6 * Math.max(Math.abs(k), Math.abs(v))) {
                        near = k;
                    }
                }
                key[i] = near != null ? near : v;
                index.putIfAbsent(key[i], 0);
            }
            double[] vals = index.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            int[] of = new int[key.length];
            for (int i = 0; i < key.length; i++) {
                of[i] = Arrays.binarySearch(vals, key[i]);
            }
            return new Groups(budgets ? "budget" : "tokens", vals, of);
        }
    }

    private MetricFit metric(List<RunMetrics> runs, String m, Groups groups, ValidationReport validation) {
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
        boolean up = higherIsBetter(m);
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
                computeCi = intervals(fx.length, idx -> {
                    BrokenPowerLaw.Fit b = BrokenPowerLaw.refit(pick(fx, idx), pick(fe, idx), f);
                    return b == null ? null : new double[] {b.law().a(), b.law().c0()};
                }, "a", "c0");
            }
        }
        MetricSigmoid.Law sigmoid = null;
        Map<String, List<Double>> sigmoidCi = Map.of();
        Holdout holdout = null;
        if (!m.equals(LOSS)) {
            double[] l = all.stream().mapToDouble(p -> p[2]).toArray();
            double[] v = all.stream().mapToDouble(p -> p[1]).toArray();
            double[] rg = range(m);
            MetricSigmoid.Law s = MetricSigmoid.fit(l, v, rg[0], rg[1]);
            sigmoid = s;
            if (s != null) {
                sigmoidCi = intervals(l.length, idx -> {
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

    // ------------------------------------------------------------------ broken power laws

    private Curve frontierCurve(List<RunMetrics> runs) {
        List<double[]> all = new ArrayList<>();
        for (RunMetrics r : runs) {
            for (RunMetrics.Eval e : r.evals()) {
                all.add(new double[] {e.flops(), e.loss()});
            }
        }
        List<double[]> f = frontier(all, false);
        double[] x = f.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = f.stream().mapToDouble(p -> p[1]).toArray();
        return compare("frontier", Double.NaN, "compute", x, y, new int[x.length], null, null);
    }

    private Curve budgetCurve(List<RunMetrics> runs, Groups groups, int g) {
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
        Map<String, List<Double>> ci = broken == null ? Map.of() : intervals(x.length, idx -> {
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

    // ------------------------------------------------------------------ critical batch

    /** B_crit(L) of these runs alone (what {@code plan} compares each run's batch with). */
    public CriticalBatch criticalBatch(List<RunMetrics> runs) {
        List<RunMetrics> with = runs.stream().filter(r -> !r.noise().isEmpty()).toList();
        List<double[]> pts = new ArrayList<>();
        List<Integer> runOf = new ArrayList<>();
        for (int i = 0; i < with.size(); i++) {
            RunMetrics r = with.get(i);
            for (RunMetrics.Noise n : r.noise()) {
                if (n.step() >= NOISE_SETTLE * r.steps()) {
                    pts.add(new double[] {n.trainLoss(), n.bSimple()});
                    runOf.add(i);
                }
            }
        }
        PowerLaw law = pts.size() >= 3 ? PowerLaw.fit(pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray()) : null;
        String reason = with.isEmpty() ? "no run measured the gradient noise scale (it needs train.grad_accum >= 2)"
                : law == null ? "too few rows with a noise scale (" + pts.size() + ")"
                : law.exponent() >= 0 ? String.format(Locale.ROOT, "B_simple does not grow as the loss falls "
                        + "(fitted exponent of L %+.3f)", law.exponent()) : null;
        boolean ok = reason == null;
        Map<String, List<Double>> ci = Map.of();
        if (ok && bootstrap > 0 && with.size() >= 2) {
            int[] group = runOf.stream().mapToInt(Integer::intValue).toArray();
            int[][] counts = new Bootstrap(bootstrap, seed, level).resampleCounts(with.size());
            List<double[]> samples = Parallel.map(counts.length, Parallel.defaultThreads(), rep -> {
                List<Double> l = new ArrayList<>();
                List<Double> b = new ArrayList<>();
                for (int k = 0; k < group.length; k++) {
                    for (int c = 0; c < counts[rep][group[k]]; c++) {
                        l.add(pts.get(k)[0]);
                        b.add(pts.get(k)[1]);
                    }
                }
                PowerLaw p = l.size() >= 3 ? PowerLaw.fit(l.stream().mapToDouble(Double::doubleValue).toArray(),
                        b.stream().mapToDouble(Double::doubleValue).toArray()) : null;
                return p == null || p.exponent() >= 0 ? null : new double[] {p.coefficient(), -1 / p.exponent()};
            });
            ci = collect(samples, "b_star", "alpha_B");
        }
        Double bStar = ok ? law.coefficient() : null;
        Double alpha = ok ? -1 / law.exponent() : null;
        List<RunNoise> per = new ArrayList<>();
        for (RunMetrics r : with) {
            RunMetrics.Noise last = r.noise().get(r.noise().size() - 1);
            Double crit = ok ? bStar * Math.pow(r.finalLoss(), -1 / alpha) : null;
            per.add(new RunNoise(r.id(), r.params(), r.layers(), r.tokensPerStep(), r.finalLoss(), last.bSimple(), crit,
                    crit == null ? null : r.tokensPerStep() / crit,
                    r.noise().stream().map(n -> new double[] {n.tokens(), n.bSimple(), n.trainLoss()}).toList()));
        }
        return new CriticalBatch(with.size(), pts.size(), bStar, alpha, ci,
                ok ? 1 - Math.pow(2, -alpha) : null, per, pts, reason);
    }

    // ------------------------------------------------------------------ bootstrap helpers

    /** Percentile intervals of the named quantities over point resamples (each refit given indices). */
    private Map<String, List<Double>> intervals(int n, Function<int[], double[]> refit, String... names) {
        if (bootstrap <= 0) {
            return Map.of();
        }
        int[][] counts = new Bootstrap(bootstrap, seed, level).resampleCounts(n);
        List<double[]> samples = Parallel.map(counts.length, Parallel.defaultThreads(),
                r -> refit.apply(Bootstrap.indices(counts[r])));
        return collect(samples, names);
    }

    private Map<String, List<Double>> collect(List<double[]> samples, String... names) {
        Map<String, List<Double>> ci = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            int kk = k;
            double[] col = samples.stream().filter(s -> s != null).mapToDouble(s -> s[kk]).toArray();
            double[] iv = Bootstrap.percentileInterval(col, level);
            ci.put(names[k], Arrays.asList(finite(iv[0]), finite(iv[1])));
        }
        return ci;
    }

    private static double[] pick(double[] v, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    // ------------------------------------------------------------------ what the data show

    /** One sentence on the two lenses: how much of each metric's change came late on the frontier. */
    static String emergenceSentence(Report r) {
        MetricFit em = r.metric("val_em_16");
        MetricFit acc = r.metric("val_acc");
        MetricFit loss = r.metric(LOSS);
        if (em == null || acc == null || loss == null || em.lateShare() == null || acc.lateShare() == null
                || loss.lateShare() == null) {
            return null;
        }
        return String.format(Locale.ROOT, "On the compute frontier of these runs (C from %s to %s), exact match of 16 "
                + "tokens went from %.4f to %.4f, %.0f %% of that change in the top quarter of the log-compute range; "
                + "per-token accuracy went from %.3f to %.3f (%.0f %% in the top quarter) and the loss from %.3f to "
                + "%.3f nats (%.0f %%).", Numbers.sig4(first(em)[0]), Numbers.sig4(last(em)[0]), first(em)[1],
                last(em)[1], 100 * em.lateShare(), first(acc)[1], last(acc)[1], 100 * acc.lateShare(), first(loss)[1],
                last(loss)[1], 100 * loss.lateShare());
    }

    private static double[] first(MetricFit m) {
        return m.frontier().get(0);
    }

    private static double[] last(MetricFit m) {
        return m.frontier().get(m.frontier().size() - 1);
    }
}
