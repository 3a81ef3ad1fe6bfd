package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.approach.ComputeOptimal;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.text.Numbers;

/** Figure 5: contours of approach 3's L(N, D), its iso-FLOP lines and the compute-optimal frontier. */
final class LossContoursFigure {
    private final ReportData data;

    LossContoursFigure(ReportData data) {
        this.data = data;
    }

    Figure draw() {
        FitReport fit = data.fit();
        if (fit == null || fit.approach3() == null) {
            return Figure.absent("no approach 3 fit: " + data.whyNot(Approach.PARAMETRIC.key()));
        }
        ParametricLaw law = fit.approach3().law();
        FlopsCurve curve = fit.curve();
        DoubleUnaryOperator[] opt = ComputeOptimal.frontier(law::loss, curve);
        double[] cr = data.sweepCompute();
        if (cr == null) {
            return Figure.absent("no run with a positive compute");
        }
        List<double[]> runs = new ArrayList<>();
        if (data.table() != null) {
            for (RunPoint p : data.table().points()) {
                runs.add(new double[] {p.params(), p.tokens()});
            }
        }
        double cTop = cr[1] * Figures.EXTRAPOLATE;
        double nLo = Math.min(opt[0].applyAsDouble(cr[0]), minPositive(column(runs, 0))) / 2;
        double nHi = Math.max(opt[0].applyAsDouble(cTop), maxPositive(column(runs, 0))) * 2;
        double dLo = Math.min(opt[1].applyAsDouble(cr[0]), minPositive(column(runs, 1))) / 2;
        double dHi = Math.max(opt[1].applyAsDouble(cTop), maxPositive(column(runs, 1))) * 2;
        if (!(nLo > 0 && dLo > 0 && nHi > nLo && dHi > dLo && Double.isFinite(nHi * dHi))) {
            return Figure.absent("approach 3's frontier leaves a plottable range (N " + Numbers.sig4(nLo) + " to "
                    + Numbers.sig4(nHi) + ", D " + Numbers.sig4(dLo) + " to " + Numbers.sig4(dHi) + ")");
        }
        int grid = 160;
        double[] lx = linspace(Math.log10(nLo), Math.log10(nHi), grid);
        double[] ly = linspace(Math.log10(dLo), Math.log10(dHi), grid);
        double[][] z = new double[grid][grid];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                z[i][j] = law.loss(Math.pow(10, lx[i]), Math.pow(10, ly[j]));
            }
        }
        // levels: the optimal loss at a few budgets, so each contour touches its iso-FLOP line on the frontier
        List<Double> budgets = budgetsForContours(cr);
        XYChart c = Charts.chart("Approach 3: L(N, D) with the compute-optimal frontier",
                "parameters N (" + data.paramKey().replace('_', '-') + ")", "tokens D", true, true);
        c.getStyler().setXAxisMin(nLo);
        c.getStyler().setXAxisMax(nHi);
        c.getStyler().setYAxisMin(dLo);
        c.getStyler().setYAxisMax(dHi);
        for (int k = 0; k < budgets.size(); k++) {
            double cb = budgets.get(k);
            double level = opt[2].applyAsDouble(cb);
            double[][] pl = Contours.polylines(Contours.segments(lx, ly, z, level), 1e-9);
            if (pl[0].length == 0) {
                continue;
            }
            double[] x = Arrays.stream(pl[0]).map(v -> Double.isNaN(v) ? v : Math.pow(10, v)).toArray();
            double[] y = Arrays.stream(pl[1]).map(v -> Double.isNaN(v) ? v : Math.pow(10, v)).toArray();
            Charts.line(c, "L = " + Numbers.fixed(level, 4) + " (optimal at C = " + Numbers.sig4(cb) + ")", x, y,
                    Charts.viridis(budgets.size() == 1 ? 0.5 : k / (double) (budgets.size() - 1)), Charts.SOLID);
        }
        boolean first = true;
        for (double cb : budgets) {
            double[] n = logspace(nLo, nHi, 40);
            double[] d = Arrays.stream(n).map(v -> curve.tokens(v, cb)).toArray();
            Charts.line(c, first ? "iso-FLOP lines" : "iso-FLOP C = " + Numbers.sig4(cb), n, d, Charts.GREY,
                    Charts.THIN_DASHED).setShowInLegend(first);
            first = false;
        }
        double[] cf = logspace(cr[0] / 100, cTop * 100, 120);
        double[][] fr = clipTo(Arrays.stream(cf).map(opt[0]).toArray(), Arrays.stream(cf).map(opt[1]).toArray(),
                nLo, nHi, dLo, dHi);
        if (fr[0].length >= 2) {
            Charts.line(c, "compute-optimal frontier", fr[0], fr[1], Charts.INK, Charts.SOLID);
        }
        if (!runs.isEmpty()) {
            Charts.points(c, "runs", column(runs, 0), column(runs, 1), Charts.INK, Charts.CIRCLE).setMarkerColor(
                    Charts.withAlpha(Charts.INK, 170));
        }
        Charts.fitLogTicks(c, nLo, nHi, dLo, dHi);
        String caption = String.format(Locale.ROOT, "Contours of the fitted L(N, D) = %s + %s/N^%s + %s/D^%s over the "
                + "sweep's sizes and tokens extended to %sx its largest compute. Each contour is the optimal loss at one "
                + "budget and touches that budget's iso-FLOP line (grey: C = D x F(N), %s FLOPs per token F of the "
                + "runs' shapes, %s) on the compute-optimal frontier (black: L(N, D) minimised along each line).",
                Numbers.fixed(law.E(), 4), Numbers.sig4(law.A()), Numbers.fixed(law.alpha(), 3), Numbers.sig4(law.B()),
                Numbers.fixed(law.beta(), 3), Numbers.sig4(Figures.EXTRAPOLATE), data.flopKey(), curve.source());
        return Figure.chart(c, caption);
    }

    /** The sweep's budgets (at most four, spread out), then 10x and 100x the largest. */
    private List<Double> budgetsForContours(double[] cr) {
        TreeMap<Double, Boolean> b = new TreeMap<>();
        if (data.table() != null && data.table().size() > 0) {
            BudgetGrouping.Assignment g = BudgetGrouping.assign(data.table());
            double[] bs = g.budgets();
            int take = Math.min(4, bs.length);
            for (int k = 0; k < take; k++) {
                b.put(bs[take == 1 ? 0 : (int) Math.round(k * (bs.length - 1) / (double) (take - 1))], true);
            }
        } else {
            b.put(cr[0], true);
            b.put(cr[1], true);
        }
        b.put(cr[1] * 10, true);
        b.put(cr[1] * Figures.EXTRAPOLATE, true);
        return new ArrayList<>(b.keySet());
    }
}
