package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.law.FitReport;

/** Figure 7b: the measured compute-optimal sizes about each approach's N_opt(C) power law. */
final class AllocationResidualsFigure {
    private final ReportData data;

    AllocationResidualsFigure(ReportData data) {
        this.data = data;
    }

    Figure draw() {
        FitReport fit = data.fit();
        if (fit == null) {
            return Figure.absent(ReportData.NO_FIT);
        }
        XYChart c = Charts.chart("Residuals of the N_opt(C) power laws", "training FLOPs C",
                "ln(measured N_opt / power law)", true, false);
        List<String> parts = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        double[] range = emptyRange();
        IsoFlopResult p2 = fit.approach2();
        if (p2 != null && p2.nOptLaw() != null) {
            List<double[]> r = new ArrayList<>();
            for (IsoFlopResult.Budget b : p2.budgets()) {
                if (b.used() && b.nOpt() > 0) {
                    r.add(new double[] {b.flops(), Math.log(b.nOpt() / p2.nOptLaw().value(b.flops()))});
                }
            }
            if (r.size() <= 2) {
                // a power law (two parameters) through two points passes through both: residuals are rounding
                skipped.add("approach 2's power law has " + r.size() + " budget minima for its 2 parameters, so it "
                        + "passes through them (no residual to show)");
            } else {
                Charts.points(c, "approach 2 IsoFLOP minima", column(r, 0), column(r, 1), Charts.APPROACH2,
                        Charts.STAR);
                extend(range, column(r, 0), null);
                parts.add("approach 2: " + rms(column(r, 1)) + " over " + r.size() + " budgets");
            }
        }
        EnvelopeResult p1 = fit.approach1();
        if (p1 != null && p1.nOptLaw() != null && p1.envelope() != null) {
            List<double[]> r = new ArrayList<>();
            List<EnvelopeResult.Point> pts = p1.envelope().stream().filter(p -> !p.edge() && p.params() > 0).toList();
            int step = Math.max(1, pts.size() / 120);
            for (int i = 0; i < pts.size(); i += step) {
                EnvelopeResult.Point p = pts.get(i);
                r.add(new double[] {p.flops(), Math.log(p.params() / p1.nOptLaw().value(p.flops()))});
            }
            if (!r.isEmpty()) {
                Charts.points(c, "approach 1 envelope points", column(r, 0), column(r, 1), Charts.APPROACH1,
                        Charts.TRIANGLE);
                extend(range, column(r, 0), null);
                parts.add("approach 1: " + rms(column(r, 1)) + " over " + pts.size() + " envelope points");
            }
        }
        if (parts.isEmpty()) {
            return Figure.absent(!skipped.isEmpty() ? String.join("; ", skipped)
                    : "neither approach 2 nor approach 1 was fitted: " + String.join("; ", data.notFitted()));
        }
        Charts.line(c, "zero", new double[] {range[0] / 1.2, range[1] * 1.2}, new double[] {0, 0}, Charts.GREY,
                Charts.THIN).setShowInLegend(false);
        Charts.fitLogTicks(c, range[0] / 1.2, range[1] * 1.2, 1, 1);
        String caption = "Log residual of each measured compute-optimal size about its approach's power law "
                + "N_opt = k C^a (edge points, left out of the fits, are not shown). Root mean square: "
                + String.join("; ", parts) + ". A trend across C means the power law bends."
                + (skipped.isEmpty() ? "" : " Not shown: " + String.join("; ", skipped) + ".");
        return Figure.chart(c, caption);
    }
}
