package org.scalinglab.report;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;

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
        return r.flops(flopConvention());
    }

    /** The FLOP convention of every C drawn. */
    FlopConvention flopConvention() {
        return FlopConvention.parse(flopKey);
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
        return fit == null ? Bootstrap.DEFAULT_LEVEL : fit.ciLevel();
    }

    String levelText() {
        return Math.round(100 * level()) + " %";
    }

    /** Why a figure that draws a fit is missing when there is no fit at all; the notes give the reason once. */
    static final String NO_FIT = "there is no fit (see the notes)";

    /**
     * Smallest and largest compute of the sweep (completed runs; else the fit's budgets), widened to a
     * factor of four when they coincide; null when no run has a positive compute.
     */
    double[] sweepCompute() {
        double[] cr = computeRange();
        if (!(cr[0] > 0) && fit != null && fit.approach2() != null) {
            double[] b = fit.approach2().budgets().stream().mapToDouble(IsoFlopResult.Budget::flops).toArray();
            cr = new double[] {PlotData.minPositive(b), PlotData.maxPositive(b)};
        }
        if (!(cr[0] > 0)) {
            return null;
        }
        if (cr[1] <= cr[0]) {
            cr = new double[] {cr[0] / 2, cr[1] * 2};
        }
        return cr;
    }

    /** Why the fit has no result for an approach ({@code approach2}, ...). */
    String whyNot(String key) {
        if (fit == null) {
            return NO_FIT;
        }
        if (fit.notFitted() != null && fit.notFitted().containsKey(key)) {
            return fit.notFitted().get(key);
        }
        return "not in the fit (approach " + (fit.settings() == null ? "?" : fit.settings().approach()) + ")";
    }

    /** Every approach the fit left out, with the reason. */
    List<String> notFitted() {
        if (fit == null || fit.notFitted() == null) {
            return List.of();
        }
        return fit.notFitted().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }
}
