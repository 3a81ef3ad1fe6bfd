package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanJointLaw;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.law.FitReport;

/** Figure 7a: each run's log residual under each fitted loss law, against its compute. */
final class LossResidualsFigure {
    private final ReportData data;

    LossResidualsFigure(ReportData data) {
        this.data = data;
    }

    Figure draw() {
        FitReport fit = data.fit();
        if (fit == null) {
            return Figure.absent(ReportData.NO_FIT);
        }
        XYChart c = Charts.chart("Residuals of the loss fits", "training FLOPs C (" + data.flopKey() + " convention)",
                "ln(predicted / measured loss)", true, false);
        Map<String, Double> flopsById = new LinkedHashMap<>();
        if (data.table() != null) {
            data.table().points().forEach(p -> flopsById.put(p.id(), p.flops()));
        }
        List<String> parts = new ArrayList<>();
        double[] range = emptyRange();
        ParametricResult p3 = fit.approach3();
        if (p3 != null && p3.residuals() != null && !p3.residuals().isEmpty()) {
            double[] x = p3.residuals().stream().mapToDouble(r -> flopsById.getOrDefault(r.id(),
                    fit.curve().flops(r.params(), r.tokens()))).toArray();
            double[] y = p3.residuals().stream().mapToDouble(ParametricResult.Residual::logResidual).toArray();
            Charts.points(c, "approach 3 L(N, D)", x, y, Charts.APPROACH3, Charts.CIRCLE);
            extend(range, x, null);
            parts.add("approach 3: " + rms(y));
        }
        IsoFlopResult p2 = fit.approach2();
        if (p2 != null) {
            List<double[]> r = new ArrayList<>();
            for (IsoFlopResult.Budget b : p2.budgets()) {
                if (!b.hasCurve() || b.points() == null) {
                    continue;
                }
                // only the runs the profile was fitted to: outside its window it is no model of them
                for (IsoFlopResult.Point p : b.fittedPoints()) {
                    double pred = b.lossAt(p.params());
                    if (pred > 0) {
                        r.add(new double[] {p.flops(), Math.log(pred / p.loss())});
                    }
                }
            }
            if (!r.isEmpty()) {
                Charts.points(c, "approach 2 profiles", column(r, 0), column(r, 1), Charts.APPROACH2, Charts.DIAMOND);
                extend(range, column(r, 0), null);
                parts.add("approach 2 profiles (runs in their windows): " + rms(column(r, 1)));
            }
        }
        KaplanJointLaw j = fit.kaplan() == null ? null : fit.kaplan().joint();
        if (j != null && data.table() != null && Double.isFinite(j.alphaN())) {
            double[] x = data.table().flops();
            double[] y = data.table().points().stream().mapToDouble(p -> Math.log(j.loss(p.params(), p.tokens())
                    / p.loss())).toArray();
            Charts.points(c, "Kaplan joint L(N, D)", x, y, Charts.KAPLAN, Charts.TRIANGLE);
            extend(range, x, null);
            parts.add("Kaplan joint: " + rms(y));
        }
        if (parts.isEmpty()) {
            return Figure.absent("no fit of the loss (approach 3, approach 2 or Kaplan's joint law) in the fit: "
                    + String.join("; ", data.notFitted()));
        }
        Charts.line(c, "zero", new double[] {range[0] / 1.2, range[1] * 1.2}, new double[] {0, 0}, Charts.GREY,
                Charts.THIN).setShowInLegend(false);
        Charts.fitLogTicks(c, range[0] / 1.2, range[1] * 1.2, 1, 1);
        String caption = "Log residual of each run's final loss under each fitted law (positive: the law predicts a "
                + "higher loss than measured), against the run's compute. Root mean square: " + String.join("; ", parts)
                + ". Approach 1 models no loss; see 7b.";
        return Figure.chart(c, caption);
    }
}
