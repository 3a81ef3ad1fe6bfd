package org.scalinglab.fit.phenomena;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.MetricsRow;

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
 *
 * <p>Each lens is fitted by its own class ({@link MetricFits}, {@link BrokenLawComparisons},
 * {@link CriticalBatchFit}); this one runs them in report order and holds the records phenomena.json is
 * written from, so the file's schema changes here and nowhere else.
 */
public final class Phenomena {
    public static final String SCHEMA = "scalinglab.phenomena/1";
    /** The loss, as the metrics name it: the log-likelihood lens. */
    public static final String LOSS = "val_loss";
    /** A batch this many times B_crit or more is reported (plan) and counted (report) as far above it. */
    public static final double FAR_ABOVE_CRITICAL = 4;

    private final int bootstrap;
    private final long seed;
    private final double level;
    private final String paramConvention;
    private final String flopConvention;
    private final MetricFits metricFits;
    private final BrokenLawComparisons comparisons;
    private final CriticalBatchFit criticalBatch;

    public Phenomena(int bootstrap, long seed, double level, ParamConvention p, FlopConvention f) {
        this.bootstrap = bootstrap;
        this.seed = seed;
        this.level = level;
        this.paramConvention = p.option();
        this.flopConvention = f.option();
        Intervals intervals = new Intervals(bootstrap, seed, level);
        this.metricFits = new MetricFits(intervals);
        this.comparisons = new BrokenLawComparisons(intervals);
        this.criticalBatch = new CriticalBatchFit(intervals);
    }

    /** Every metric in report order: the loss, accuracy, Brier score, exact match, edit distance. */
    public static List<String> metrics() {
        List<String> m = new ArrayList<>(List.of(LOSS));
        m.addAll(MetricsRow.METRICS);
        return m;
    }

    public static boolean higherIsBetter(String metric) {
        return metric.equals("val_acc") || metric.startsWith("val_em_");
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
        return run(runs, runs, validation);
    }

    /**
     * @param noiseRuns the runs B_crit(L) is fitted to: {@code runs} and those of the study's other stages
     *     ({@link RunMetrics#withStages})
     */
    public Report run(List<RunMetrics> runs, List<RunMetrics> noiseRuns, ValidationReport validation) {
        List<String> notes = new ArrayList<>();
        List<MetricFit> fits = new ArrayList<>();
        Groups groups = Groups.of(runs);
        for (String m : metrics()) {
            MetricFit f = metricFits.fit(runs, m, groups, validation);
            if (f != null) {
                fits.add(f);
            }
        }
        if (fits.size() <= 1) {
            notes.add("no run has metrics beyond the loss (trained before scalinglab recorded them?)");
        }
        List<Curve> broken = new ArrayList<>();
        broken.add(comparisons.frontierCurve(runs));
        for (int g = 0; g < groups.count(); g++) {
            broken.add(comparisons.budgetCurve(runs, groups, g));
        }
        CriticalBatch cb = criticalBatch.fit(noiseRuns);
        Report r = new Report(SCHEMA, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                new Settings(paramConvention, flopConvention, bootstrap, seed, level), runs.size(), null, fits, broken,
                cb, notes);
        return new Report(r.schema(), r.createdAt(), r.settings(), r.runs(), emergenceSentence(r), fits, broken, cb,
                notes);
    }

    /** B_crit(L) of these runs alone (what {@code plan} compares each run's batch with). */
    public CriticalBatch criticalBatch(List<RunMetrics> runs) {
        return criticalBatch.fit(runs);
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
