package org.scalinglab.fit.uncertainty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.scalinglab.fit.approach.IsoFlopFit;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.law.LossCurvature;
import org.scalinglab.text.Numbers;

/**
 * The fitted laws against runs they never saw: an IsoFLOP budget trained after the fit, at a multiple
 * of the design's largest. Per run and per approach with an L(N, D) (3, Kaplan's joint law), the
 * predicted loss with its prediction interval ({@link PredictionInterval}); the measured IsoFLOP profile
 * of the check runs (approach 2's parabola and edge rule) and whether its minimum lies inside the sizes
 * trained; and every approach's compute-optimal loss at the check budget against the best run measured.
 */
public final class CheckValidation {
    private CheckValidation() {}

    /** The check's own file in the results folder (also copied into validation.json's {@code check}). */

    /** One approach's prediction for one check run. */
    @JsonPropertyOrder({"predicted", "low", "high", "rel_error", "inside"})
    public record Predicted(double predicted, double low, double high, double relError, boolean inside) {}

    /** {@code beyondSupport}: N at or above the smallest size whose design losses fail {@link LossCurvature}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "N", "D", "C", "measured", "measured_se", "beyond_support", "predicted"})
    public record Run(String id, @JsonProperty("N") double params, @JsonProperty("D") double tokens,
            @JsonProperty("C") double flops, double measured, Double measuredSe, Boolean beyondSupport,
            Map<String, Predicted> predicted) {}

    /** Mean and largest |relative error| of an approach over the check runs, and its interval coverage. */
    public record Summary(int n, double meanAbsRelError, double maxAbsRelError, double coverage) {}

    /** The measured profile: its parabola's minimum, whether that is interior, and the best run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"sizes", "N_min", "loss_min", "interior", "reason", "best_run", "best_N", "best_loss"})
    public record Profile(int sizes, @JsonProperty("N_min") double nMin, double lossMin, boolean interior,
            String reason, String bestRun, @JsonProperty("best_N") double bestN, double bestLoss) {}

    /** An approach's compute-optimal allocation and loss at the check budget, against the best measured run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"N_opt", "D_opt", "loss", "loss_ci", "rel_to_best"})
    public record Optimum(@JsonProperty("N_opt") double nOpt, @JsonProperty("D_opt") double dOpt, Double loss,
            double[] lossCi, Double relToBest) {}

    /**
     * check.json, and validation.json's {@code check}; {@code summary_within_support} over the runs below
     * the design's {@code unsupported_from_N}, when the design has one.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"budget", "compute_factor", "centred_by", "centred_N_opt", "interval", "runs", "summary",
        "unsupported_from_N", "summary_within_support", "profile", "compute_optimal"})
    public record Report(double budget, double computeFactor, String centredBy,
            @JsonProperty("centred_N_opt") double centredNOpt, String interval, List<Run> runs,
            Map<String, Summary> summary, @JsonProperty("unsupported_from_N") Double unsupportedFromN,
            Map<String, Summary> summaryWithinSupport, Profile profile, Map<String, Optimum> computeOptimal) {}

    /**
     * @param design the runs the fit was made on (for Kaplan's training residuals)
     * @param check the check runs
     */
    public static Report evaluate(FitReport fit, RunTable design, RunTable check, double budget, double factor,
            String centredBy, double centredNOpt) {
        double level = fit.settings().ciLevel();
        SplittableRandom rng = new SplittableRandom(fit.settings().seed() ^ 0xC4EC4L);
        Map<String, Predicting> laws = laws(fit, design);
        LossCurvature curvature = fit.lossCurvature();
        List<Run> runs = new ArrayList<>();
        // by N, so that the table reads as the IsoFLOP profile it is
        for (RunPoint p : check.points().stream().sorted(java.util.Comparator.comparingDouble(RunPoint::params)).toList()) {
            Map<String, Predicted> preds = new LinkedHashMap<>();
            laws.forEach((name, law) -> {
                double pred = law.law().loss(p.params(), p.tokens());
                double[] lohi = law.interval().at(p.params(), p.tokens(), rng);
                preds.put(name, new Predicted(pred, lohi[0], lohi[1], (pred - p.loss()) / p.loss(),
                        p.loss() >= lohi[0] && p.loss() <= lohi[1]));
            });
            runs.add(new Run(p.id(), p.params(), p.tokens(), p.flops(), p.loss(), p.lossSe(),
                    curvature == null ? null : curvature.unsupported(p.params()), preds));
        }
        Map<String, Summary> summary = summaries(laws.keySet(), runs);
        Double from = curvature == null ? null : curvature.unsupportedFromN();
        List<Run> within = runs.stream().filter(r -> !Boolean.TRUE.equals(r.beyondSupport())).toList();
        Map<String, Summary> withinSupport = from == null || within.isEmpty() ? null : summaries(laws.keySet(), within);
        Profile profile = profile(check, budget);
        Map<String, Optimum> optimum = new LinkedHashMap<>();
        for (Prediction q : new Predictor(fit).atCompute(budget)) {
            Double loss = q.loss();
            optimum.put(q.approach(), new Optimum(q.nOpt(), q.dOpt(), loss, q.ci() == null ? null : q.ci().get("loss"),
                    loss == null ? null : (loss - profile.bestLoss()) / profile.bestLoss()));
        }
        return new Report(budget, factor, centredBy, centredNOpt, PredictionInterval.DESCRIPTION + " (" + Numbers.percent(level)
                + ")", runs, summary, from, withinSupport, profile, optimum);
    }

    private static Map<String, Summary> summaries(java.util.Collection<String> names, List<Run> runs) {
        Map<String, Summary> summary = new LinkedHashMap<>();
        for (String name : names) {
            double[] rel = runs.stream().mapToDouble(r -> Math.abs(r.predicted().get(name).relError())).toArray();
            summary.put(name, new Summary(rel.length, java.util.Arrays.stream(rel).average().orElse(Double.NaN),
                    java.util.Arrays.stream(rel).max().orElse(Double.NaN),
                    runs.stream().filter(r -> r.predicted().get(name).inside()).count() / (double) runs.size()));
        }
        return summary;
    }

    private record Predicting(Law law, PredictionInterval interval) {}

    /** Every law of the fit with a loss at any (N, D), with its prediction interval (residuals on the design). */
    private static Map<String, Predicting> laws(FitReport fit, RunTable design) {
        Map<String, Predicting> out = new LinkedHashMap<>();
        double level = fit.settings().ciLevel();
        for (Law l : Laws.of(fit)) {
            if (l instanceof Law.Joint j) {
                out.put(j.key(), new Predicting(j, PredictionInterval.of(j, design, level)));
            }
        }
        return out;
    }

    private static Profile profile(RunTable check, double budget) {
        IsoFlopResult.Budget b = new IsoFlopFit().profile(check, IntStream.range(0, check.size()).toArray(), budget,
                false);
        RunPoint best = check.points().stream().min(java.util.Comparator.comparingDouble(RunPoint::loss)).orElseThrow();
        return new Profile(b.nSizes(), b.nOpt(), b.lossOpt(), b.used(), b.reason(), best.id(), best.params(),
                best.loss());
    }
}
