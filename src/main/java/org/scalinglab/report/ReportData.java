package org.scalinglab.report;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.fit.Bootstrap;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.CheckValidation;
import org.scalinglab.fit.LrTuning;
import org.scalinglab.fit.RunTable;
import org.scalinglab.fit.ValidationReport;

/**
 * Everything a report draws from: the run folders, the completed runs as the fit reads them (in the fit's
 * parameter and FLOP conventions), the fit and the validation (either may be absent, with the reason),
 * and where each came from.
 *
 * @param table the completed runs as {@code fit} reads them; null when none could be read
 * @param paramKey result.json key of N ({@code total}, {@code non_embedding}, ...)
 * @param flopKey result.json key of C ({@code chinchilla} or {@code kaplan})
 * @param fitSource where the fit came from, or why there is none
 * @param validationSource where the validation came from, or why there is none
 * @param tuning the study's learning-rate tuning (tuning.json), or null
 */
record ReportData(
        Path resultsDir,
        List<ReportRun> runs,
        RunTable table,
        String paramKey,
        String flopKey,
        FitReport fit,
        String fitSource,
        Path fitFile,
        ValidationReport validation,
        String validationSource,
        LrTuning.Result tuning,
        CheckValidation.Report check) {

    List<ReportRun> completed() {
        return runs.stream().filter(ReportRun::completed).toList();
    }

    double n(ReportRun r) {
        return r.params(paramKey);
    }

    double c(ReportRun r) {
        return r.flops(flopKey);
    }

    /** Smallest and largest C among completed runs; NaN when none has one. */
    double[] computeRange() {
        double[] c = completed().stream().mapToDouble(this::c).filter(v -> v > 0 && Double.isFinite(v)).toArray();
        if (c.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {Arrays.stream(c).min().getAsDouble(), Arrays.stream(c).max().getAsDouble()};
    }

    double level() {
        return fit == null || fit.settings() == null ? Bootstrap.DEFAULT_LEVEL : fit.settings().ciLevel();
    }

    String levelText() {
        return Math.round(100 * level()) + " %";
    }
}
