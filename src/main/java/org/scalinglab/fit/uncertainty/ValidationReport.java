package org.scalinglab.fit.uncertainty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.scalinglab.fit.input.InputProvenance;
import org.scalinglab.fit.law.FitSettings;

/**
 * Out-of-sample check of a law: fitted on the smaller-compute runs, its predictions for the held-out
 * larger ones (per-run errors and whether the measured loss falls inside the prediction interval), then
 * the same over rolling origins of increasing budget (and pooled over all of them), and, after a study's
 * check stage, the check runs' comparison.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "created_at", "approach", "holdout", "level", "interval", "split", "summary",
    "runs", "rolling", "rolling_coverage", "check", "inputs", "settings"})
public record ValidationReport(
        String schema,
        String createdAt,
        String approach,
        String holdout,
        double level,
        String interval,
        Split split,
        Summary summary,
        List<RunError> runs,
        List<Origin> rolling,
        Summary rollingCoverage,
        CheckValidation.Report check,
        InputProvenance inputs,
        FitSettings settings) {

    /** The same report with the check stage's results. */
    public ValidationReport withCheck(CheckValidation.Report c) {
        return new ValidationReport(schema, createdAt, approach, holdout, level, interval, split, summary, runs, rolling,
                rollingCoverage, c, inputs, settings);
    }

    public static final String SCHEMA = "scalinglab.validation/1";

    /** Which runs were fitted and which predicted. */
    public record Split(int trainRuns, int testRuns, @JsonProperty("train_max_C") double trainMaxC,
            @JsonProperty("test_min_C") double testMinC) {}

    /** One held-out run: measured against predicted, with the interval. */
    @JsonPropertyOrder({"id", "N", "D", "C", "measured", "predicted", "low", "high", "abs_error", "rel_error",
        "inside"})
    public record RunError(
            String id,
            @JsonProperty("N") double params,
            @JsonProperty("D") double tokens,
            @JsonProperty("C") double flops,
            double measured,
            double predicted,
            double low,
            double high,
            double absError,
            double relError,
            boolean inside) {}

    /** Mean and largest relative error, mean absolute error, and the share of runs inside their interval. */
    public record Summary(int n, double meanAbsError, double meanAbsRelError, double maxAbsRelError, double coverage) {
        public static Summary of(List<RunError> errs) {
            int n = errs.size();
            return new Summary(n,
                    errs.stream().mapToDouble(RunError::absError).average().orElse(Double.NaN),
                    errs.stream().mapToDouble(e -> Math.abs(e.relError())).average().orElse(Double.NaN),
                    errs.stream().mapToDouble(e -> Math.abs(e.relError())).max().orElse(Double.NaN),
                    n == 0 ? Double.NaN : errs.stream().filter(RunError::inside).count() / (double) n);
        }
    }

    /** One rolling origin: fitted on the budgets up to {@code train_max_budget}, tested on the next. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Origin(
            int trainBudgets,
            double trainMaxBudget,
            double testBudget,
            int trainRuns,
            int testRuns,
            Summary summary,
            String error) {}
}
