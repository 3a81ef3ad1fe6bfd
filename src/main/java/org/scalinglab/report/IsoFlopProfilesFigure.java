package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.text.Numbers;

/**
 * Figure 2: loss against N at each compute budget, with approach 2's profile through each budget and its
 * minimum, interior (used) or at an edge (left out).
 */
final class IsoFlopProfilesFigure {
    private final ReportData data;

    IsoFlopProfilesFigure(ReportData data) {
        this.data = data;
    }

    Figure draw() {
        FitReport fit = data.fit();
        // the curves, their windows and which minima are interior are approach 2's (fit/IsoFlopProfiles)
        IsoFlopProfiles profiles = IsoFlopProfiles.of(fit, data.table());
        IsoFlopResult p2 = profiles.approach2();
        List<IsoFlopResult.Budget> budgets = profiles.budgets();
        String source;
        if (p2 != null) {
            source = String.format(Locale.ROOT, "stars mark the minima used in approach 2's power laws (%d of %d "
                    + "budgets; %s)", p2.budgetsUsed(), p2.budgets().size(), p2.budgetRule());
        } else {
            if (data.table() == null) {
                return Figure.absent("no completed runs with a final loss");
            }
            long withCurve = profiles.withCurve();
            if (withCurve < 2) {
                return Figure.absent("the runs do not form an IsoFLOP design: " + withCurve + " of " + budgets.size()
                        + " budgets (" + BudgetGrouping.assign(data.table()).rule() + ") have runs of 3 or more sizes"
                        + (fit == null ? "" : "; approach 2: " + data.whyNot(Approach.ISOFLOP.key())));
            }
            source = "approach 2 was not fitted (" + data.whyNot(Approach.ISOFLOP.key()) + "), so the profiles are fitted here "
                    + "to each budget's runs with approach 2's rule (" + BudgetGrouping.assign(data.table()).rule()
                    + "); stars mark interior minima";
        }
        if (budgets.isEmpty()) {
            return Figure.absent("approach 2 in fits.json has no budgets with points");
        }
        XYChart c = Charts.chart("IsoFLOP profiles: loss against N at fixed compute",
                "parameters N (" + data.paramKey().replace('_', '-') + ")", "final validation loss", true, false);
        List<double[]> minUsed = new ArrayList<>();
        List<double[]> minEdge = new ArrayList<>();
        List<String> edgeNotes = new ArrayList<>();
        int fewSizes = 0;
        double[] range = emptyRange();
        for (int g = 0; g < budgets.size(); g++) {
            IsoFlopResult.Budget b = budgets.get(g);
            Color col = Charts.plasma(budgets.size() == 1 ? 0.5 : g / (double) (budgets.size() - 1));
            double[] n = b.points().stream().mapToDouble(IsoFlopResult.Point::params).toArray();
            double[] l = b.points().stream().mapToDouble(IsoFlopResult.Point::loss).toArray();
            Charts.points(c, "C = " + Numbers.sig4(b.flops()), n, l, col, Charts.CIRCLE);
            extend(range, n, l);
            double lo = Arrays.stream(n).min().orElse(Double.NaN);
            double hi = Arrays.stream(n).max().orElse(Double.NaN);
            double[] fitted = b.curveNRange();
            if (b.hasCurve() && fitted != null && fitted[0] > 0 && fitted[1] > fitted[0]) {
                // a parabola a little past the sizes it was fitted to; an interpolation only between them
                double pad = b.parabolaN() != null ? 1.25 : 1;
                double[] x = logspace(fitted[0] / pad, fitted[1] * pad, 80);
                double[] y = Arrays.stream(x).map(b::lossAt).toArray();
                Charts.line(c, "profile C = " + Numbers.sig4(b.flops()), x, y, col, Charts.SOLID)
                        .setShowInLegend(false);
            }
            boolean plotted = Double.isFinite(b.nOpt()) && Double.isFinite(b.lossOpt())
                    && b.nOpt() > lo / 1.25 && b.nOpt() < hi * 1.25;
            boolean interior = b.used();
            if (plotted) {
                (interior ? minUsed : minEdge).add(new double[] {b.nOpt(), b.lossOpt()});
            }
            if (!b.hasCurve()) {
                fewSizes++;
            } else if (!interior) {
                edgeNotes.add("C = " + Numbers.sig4(b.flops()) + ": " + (b.reason() == null ? "not used" : b.reason())
                        + (plotted || !Double.isFinite(b.nOpt()) ? "" : " (minimum outside the plotted range)"));
            }
        }
        if (!minUsed.isEmpty()) {
            Charts.points(c, p2 != null ? "profile minimum (used)" : "interior minimum", column(minUsed, 0),
                    column(minUsed, 1), Charts.INK, Charts.STAR);
        }
        if (!minEdge.isEmpty()) {
            Charts.points(c, "edge minimum (left out)", column(minEdge, 0), column(minEdge, 1), Charts.INK,
                    Charts.HOLLOW_DIAMOND);
        }
        // the parabolas can run far above the data at the ends: keep the measured losses in view
        double pad = 0.15 * (range[3] - range[2]);
        c.getStyler().setYAxisMin(range[2] - pad);
        c.getStyler().setYAxisMax(range[3] + pad);
        Charts.fitLogTicks(c, range[0], range[1], 1, 1);
        String curve = profiles.settings().describe();
        String caption = String.format(Locale.ROOT, "Each colour is one compute budget C; points are runs, lines the "
                + "%s; %s.%s%s", curve, source, edgeNotes.isEmpty() ? " No edge minima."
                        : " Left out (hollow diamonds where the minimum is in view): " + String.join("; ", edgeNotes)
                                + ".", fewSizes == 0 ? "" : " " + fewSizes + " budget" + (fewSizes == 1 ? " has" : "s have")
                                + " fewer than 3 sizes: no profile.");
        return Figure.chart(c, caption);
    }
}
