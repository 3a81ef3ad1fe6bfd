package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.DoubleStream;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.text.Numbers;

/** Figure 6: the held-out runs' predicted against measured loss, with their prediction intervals. */
final class HoldoutValidationFigure {
    private final ReportData data;

    HoldoutValidationFigure(ReportData data) {
        this.data = data;
    }

    Figure draw() {
        ValidationReport v = data.validation();
        if (v == null) {
            return Figure.absent(data.validationSource());
        }
        if (v.runs() == null || v.runs().isEmpty()) {
            return Figure.absent("the validation has no held-out runs");
        }
        XYChart c = Charts.chart("Held-out validation: predicted against measured loss",
                "measured final validation loss", "predicted loss (" + v.approach() + ", fitted on smaller runs)",
                false, false);
        List<ValidationReport.RunError> in = v.runs().stream().filter(ValidationReport.RunError::inside).toList();
        List<ValidationReport.RunError> out = v.runs().stream().filter(e -> !e.inside()).toList();
        Charts.identityAxes(c, v.runs().stream().flatMapToDouble(e -> DoubleStream.of(e.measured(), e.predicted(),
                e.low(), e.high())));
        String lvl = Math.round(100 * v.level()) + " %";
        intervals(c, in, Charts.APPROACH3, lvl + " prediction interval (inside)");
        intervals(c, out, Charts.APPROACH2, lvl + " prediction interval (outside)");
        if (!in.isEmpty()) {
            Charts.points(c, "held-out run, inside its interval", in.stream().mapToDouble(
                    ValidationReport.RunError::measured).toArray(), in.stream().mapToDouble(
                    ValidationReport.RunError::predicted).toArray(), Charts.APPROACH3, Charts.CIRCLE);
        }
        if (!out.isEmpty()) {
            Charts.points(c, "held-out run, outside its interval", out.stream().mapToDouble(
                    ValidationReport.RunError::measured).toArray(), out.stream().mapToDouble(
                    ValidationReport.RunError::predicted).toArray(), Charts.APPROACH2, Charts.DIAMOND);
        }
        ValidationReport.Summary s = v.summary();
        String caption = String.format(Locale.ROOT, "%s fitted on %d runs with C <= %s, predicting %d held-out runs "
                + "(%s, C >= %s). Bars: %s bootstrap prediction intervals (law uncertainty and run-to-run scatter). "
                + "Mean |relative error| %.2f %%, largest %.2f %%; %d of %d measured losses inside their interval.",
                v.approach(), v.split().trainRuns(), Numbers.sig4(v.split().trainMaxC()), v.split().testRuns(),
                v.holdout(), Numbers.sig4(v.split().testMinC()), lvl, 100 * s.meanAbsRelError(),
                100 * s.maxAbsRelError(), in.size(), v.runs().size());
        return Figure.chart(c, caption);
    }

    /** Each run's interval as a vertical bar at its measured loss (NaN breaks the line between runs). */
    private static void intervals(XYChart c, List<ValidationReport.RunError> errs, Color col, String name) {
        List<double[]> seg = new ArrayList<>();
        for (ValidationReport.RunError e : errs) {
            if (Double.isFinite(e.low()) && Double.isFinite(e.high())) {
                seg.add(new double[] {e.measured(), e.low()});
                seg.add(new double[] {e.measured(), e.high()});
                seg.add(new double[] {Double.NaN, Double.NaN});
            }
        }
        if (!seg.isEmpty()) {
            Charts.line(c, name, column(seg, 0), column(seg, 1), Charts.withAlpha(col, 170), Charts.SOLID);
        }
    }
}
