package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.text.Numbers;

/** Figures 3a and 3b: N_opt(C) or D_opt(C) of every approach, its bootstrap band, and reference slopes. */
final class AllocationFigure {
    private final ReportData data;

    AllocationFigure(ReportData data) {
        this.data = data;
    }

    /** Figure 3a (N_opt) or, {@code tokens}, 3b (D_opt). */
    Figure draw(boolean tokens) {
        List<Frontier> fronts = Frontier.of(data.fit());
        if (fronts.isEmpty()) {
            return Figure.absent(data.fit() == null ? ReportData.NO_FIT
                    : "no fit gives N_opt(C): " + String.join("; ", data.notFitted()));
        }
        double[] cr = data.sweepCompute();
        if (cr == null) {
            return Figure.absent("no run with a positive compute");
        }
        double[] cs = logspace(cr[0], cr[1] * Figures.EXTRAPOLATE, 90);
        String q = tokens ? "D_opt" : "N_opt";
        XYChart c = Charts.chart("Compute-optimal " + (tokens ? "training tokens " : "model size ") + q + "(C)",
                "training FLOPs C", tokens ? "tokens D_opt" : "parameters N_opt", true, true);
        double[] range = {cs[0], cs[cs.length - 1], Double.MAX_VALUE, 0};
        // bands first, so lines and points are drawn over them; widest at the back, each edged in its colour
        List<Charts.Band> bands = new ArrayList<>();
        for (Frontier f : fronts) {
            List<DoubleUnaryOperator> samples = tokens ? f.dOptSamples() : f.nOptSamples();
            double[][] b = Frontier.band(samples, cs, data.level());
            bands.add(new Charts.Band(f.label() + " " + data.levelText() + " band", cs, b[0], b[1], f.color()));
        }
        Charts.bands(c, bands);
        FitReport fit = data.fit();
        if (fit.approach2() != null) {
            List<double[]> used = new ArrayList<>();
            List<double[]> edge = new ArrayList<>();
            for (IsoFlopResult.Budget b : fit.approach2().budgets()) {
                double v = tokens ? b.dOpt() : b.nOpt();
                if (Double.isFinite(v) && v > 0) {
                    (b.used() ? used : edge).add(new double[] {b.flops(), v});
                }
            }
            if (!used.isEmpty()) {
                Charts.points(c, "approach 2 minima", column(used, 0), column(used, 1), Charts.APPROACH2, Charts.STAR);
                extend(range, null, column(used, 1));
            }
            if (!edge.isEmpty()) {
                Charts.points(c, "approach 2 edge minima (left out)", column(edge, 0), column(edge, 1),
                        Charts.APPROACH2, Charts.HOLLOW_DIAMOND);
            }
        }
        if (fit.approach1() != null && fit.approach1().envelope() != null) {
            List<double[]> env = new ArrayList<>();
            List<EnvelopeResult.Point> pts = fit.approach1().envelope().stream().filter(p -> !p.edge()).toList();
            int step = Math.max(1, pts.size() / 60);
            for (int i = 0; i < pts.size(); i += step) {
                EnvelopeResult.Point p = pts.get(i);
                double v = tokens ? p.tokens() : p.params();
                if (v > 0 && p.flops() > 0) {
                    env.add(new double[] {p.flops(), v});
                }
            }
            if (!env.isEmpty()) {
                Charts.points(c, "approach 1 envelope", column(env, 0), column(env, 1), Charts.APPROACH1,
                        Charts.TRIANGLE)
                        .setMarkerColor(Charts.withAlpha(Charts.APPROACH1, 150));
                extend(range, null, column(env, 1));
            }
        }
        StringBuilder laws = new StringBuilder();
        for (Frontier f : fronts) {
            DoubleUnaryOperator fn = tokens ? f.dOpt() : f.nOpt();
            double exp = tokens ? 1 - f.a() : f.a();
            String expName = tokens ? "b" : "a";
            Charts.lawLine(c, f.label() + ", " + expName + " = " + Numbers.fixed(exp, 3), cs, fn, cr[1], f.color());
            if (!f.key().equals(Approach.KAPLAN.key())) {
                // Kaplan's joint law, fitted off the frontier, can run far off; the plot clips it
                extend(range, null, Arrays.stream(cs).map(fn).toArray());
            }
            laws.append(laws.length() == 0 ? "" : "; ").append(f.label()).append(' ').append(expName).append(" = ")
                    .append(Numbers.fixed(exp, 3));
            if (f.aInterval() != null) {
                double[] iv = tokens ? new double[] {1 - f.aInterval()[1], 1 - f.aInterval()[0]} : f.aInterval();
                laws.append(" [").append(Numbers.fixed(iv[0], 3)).append(", ").append(Numbers.fixed(iv[1], 3)).append(']');
            }
        }
        // reference slopes through the sweep's middle: the primary law's value at the median budget
        double cMid = Math.sqrt(cr[0] * cr[1]);
        Frontier primary = fronts.get(0);
        double yMid = (tokens ? primary.dOpt() : primary.nOpt()).applyAsDouble(cMid);
        if (yMid > 0 && Double.isFinite(yMid)) {
            // references in grey, dash-dot and dotted: no law and no extrapolation is drawn so
            double[][] refs = {{Figures.CHINCHILLA_A, 0}, {Figures.KAPLAN_A, 1}};
            for (double[] ref : refs) {
                double e = tokens ? 1 - ref[0] : ref[0];
                String who = ref[1] == 0 ? "Chinchilla" : "Kaplan";
                double[] y = Arrays.stream(cs).map(x -> yMid * Math.pow(x / cMid, e)).toArray();
                Charts.line(c, "reference: " + who + " " + (tokens ? "b" : "a") + " = " + Numbers.fixed(e, 2), cs, y,
                        ref[1] == 0 ? Charts.REFERENCE : Charts.GREY, ref[1] == 0 ? Charts.DASH_DOT : Charts.DOTTED);
            }
            Charts.key(c, "dashed: extrapolated beyond the sweep", cMid, yMid, Charts.GREY, Charts.DASHED);
        }
        Charts.clampLogY(c, range);
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        String caption = String.format(Locale.ROOT, "%s against compute, log-log, with each approach's power law "
                + "(solid over the sweep, %s to %s; dashed beyond, to %sx its largest compute) and its %s bootstrap "
                + "band (lightly filled, edged in the law's colour, the widest behind): %s. Grey references "
                + "through %s's value at C = %s: the Chinchilla exponents a = b = 0.50 (dash-dot) and Kaplan's "
                + "a = 0.73, b = 0.27 (dotted).", q, Numbers.sig4(cr[0]), Numbers.sig4(cr[1]),
                Numbers.sig4(Figures.EXTRAPOLATE), data.levelText(), laws, primary.label(), Numbers.sig4(cMid));
        return Figure.chart(c, caption);
    }
}
