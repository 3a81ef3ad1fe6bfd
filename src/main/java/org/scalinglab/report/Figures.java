package org.scalinglab.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.DoubleStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.scalinglab.fit.BudgetGrouping;
import org.scalinglab.fit.EnvelopeResult;
import org.scalinglab.fit.ComputeOptimal;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.FlopsCurve;
import org.scalinglab.fit.IsoFlopFit;
import org.scalinglab.fit.IsoFlopResult;
import org.scalinglab.fit.IsoFlopSettings;
import org.scalinglab.fit.KaplanJointLaw;
import org.scalinglab.fit.ParametricLaw;
import org.scalinglab.fit.ParametricResult;
import org.scalinglab.fit.RunPoint;
import org.scalinglab.fit.RunTable;
import org.scalinglab.fit.TextTable;
import org.scalinglab.fit.ValidationReport;

/**
 * The report's figures, each built from {@link ReportData} alone. A figure the data cannot support comes
 * back as {@link Figure#omitted} with the reason; none throws for want of data.
 */
final class Figures {
    /** How far beyond the sweep's largest compute the extrapolations are drawn. */
    static final double EXTRAPOLATE = 100;
    /** Legend entries for model sizes at most; more sizes share the colour map without a label each. */
    private static final int MAX_SIZE_LEGEND = 8;
    /** Reference allocation exponents a of N_opt ~ C^a. */
    static final double CHINCHILLA_A = 0.50;
    static final double KAPLAN_A = 0.73;

    /** Why a figure that draws a fit is missing when there is no fit at all; the notes give the reason once. */
    private static final String NO_FIT = "there is no fit (see the notes)";

    private final ReportData data;

    Figures(ReportData data) {
        this.data = data;
    }

    /** All figures in page order. */
    List<Figure> all() {
        List<Figure> out = new ArrayList<>();
        out.add(guard("1a", "loss-vs-tokens", "Training curves: loss against tokens", () -> curves(false)));
        out.add(guard("1b", "loss-vs-flops", "Training curves: loss against FLOPs", () -> curves(true)));
        out.add(guard("2", "isoflop-profiles", "IsoFLOP profiles", this::isoFlop));
        out.add(guard("3a", "n-opt", "Compute-optimal model size N_opt(C)", () -> allocation(false)));
        out.add(guard("3b", "d-opt", "Compute-optimal tokens D_opt(C)", () -> allocation(true)));
        out.add(guard("4", "loss-frontier", "Loss frontier and extrapolation", this::lossFrontier));
        out.add(guard("5", "loss-contours", "Approach 3: L(N, D) contours", this::contours));
        out.add(guard("6", "holdout-validation", "Held-out validation", this::validation));
        out.add(guard("7a", "loss-residuals", "Residuals of the loss fits", this::lossResiduals));
        out.add(guard("7b", "allocation-residuals", "Residuals of the N_opt power laws", this::allocationResiduals));
        return out;
    }

    interface Builder {
        Figure build();
    }

    /** A figure that fails to build becomes a note with the reason rather than failing the report. */
    static Figure guard(String number, String slug, String title, Builder b) {
        try {
            Figure f = b.build();
            return new Figure(number, slug, title, f.caption(), f.chart(), f.omitted());
        } catch (RuntimeException e) {
            return Figure.omitted(number, slug, title, "could not be drawn: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private static Figure drawn(XYChart c, String caption) {
        return drawnFigure(c, caption);
    }

    private static Figure omitted(String reason) {
        return omittedFigure(reason);
    }

    /** A drawn figure whose number, file name and title {@link #guard} gives. */
    static Figure drawnFigure(XYChart c, String caption) {
        return Figure.drawn(null, null, null, caption, c);
    }

    /** A figure left out, with the reason. */
    static Figure omittedFigure(String reason) {
        return Figure.omitted(null, null, null, reason);
    }

    // ------------------------------------------------------------------ 1: training curves

    Figure curves(boolean byFlops) {
        List<ReportRun> withCurves = data.runs().stream().filter(r -> r.curve() != null && r.curve().size() > 0)
                .sorted(Comparator.comparingDouble((ReportRun r) -> nanLast(data.n(r)))
                        .thenComparing(r -> !r.completed()).thenComparing(ReportRun::path))
                .toList();
        if (withCurves.isEmpty()) {
            return omitted("no run has a metrics.csv with evaluated losses");
        }
        // validation loss when runs have evaluations past the first; otherwise the training loss
        boolean val = withCurves.stream().anyMatch(r -> countPositive(xs(r, byFlops), r.curve().valLoss()) >= 2);
        double[] ns = withCurves.stream().mapToDouble(data::n).filter(v -> v > 0).toArray();
        double nMin = Arrays.stream(ns).min().orElse(Double.NaN);
        double nMax = Arrays.stream(ns).max().orElse(Double.NaN);
        List<Double> labelled = legendSizes(ns);
        String xTitle = byFlops ? "training FLOPs C (" + data.flopKey() + " convention)" : "tokens D";
        XYChart c = Charts.chart((val ? "Validation" : "Training") + " loss against " + (byFlops ? "FLOPs" : "tokens"),
                xTitle, (val ? "validation" : "training") + " loss (nats/token)", true, true);
        double[] range = {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0};
        int drawn = 0;
        java.util.Set<Double> shown = new java.util.HashSet<>();
        for (ReportRun r : withCurves) {
            double[] x = xs(r, byFlops);
            double[] y = val ? r.curve().valLoss() : r.curve().trainLoss();
            double[][] xy = finitePositive(x, y);
            if (xy[0].length < 2) {
                continue;
            }
            double n = data.n(r);
            Color col = n > 0 ? Charts.viridis(Charts.logPosition(n, nMin, nMax)) : Charts.GREY;
            boolean label = n > 0 && labelled.contains(n) && shown.add(n);
            String name = label ? "N = " + TextTable.num(n) + (r.completed() ? "" : " (not completed)")
                    : "run " + r.id() + " (" + r.path() + ")";
            XYSeries s = Charts.line(c, name, xy[0], xy[1], col, r.completed() ? Charts.THIN : Charts.THIN_DASHED);
            s.setShowInLegend(label);
            extend(range, xy[0], xy[1]);
            drawn++;
        }
        if (drawn == 0) {
            return omitted("no run has two or more evaluated losses at positive " + (byFlops ? "FLOPs" : "tokens"));
        }
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        long diverged = withCurves.stream().filter(r -> !r.completed()).count();
        String caption = String.format(Locale.ROOT, "%s loss of %d run%s against %s, log-log; colour: model size N "
                + "(%s parameters, viridis, log scale from %s to %s)%s.%s", val ? "Validation" : "Training", drawn,
                drawn == 1 ? "" : "s", byFlops ? "cumulative training FLOPs (" + data.flopKey() + " convention)"
                        : "tokens seen", data.paramKey().replace('_', '-'), TextTable.num(nMin), TextTable.num(nMax),
                labelled.size() < distinct(ns) ? "; the legend names " + labelled.size() + " of "
                        + distinct(ns) + " sizes" : "",
                diverged > 0 ? " Dashed: " + diverged + " run" + (diverged == 1 ? "" : "s") + " not completed (diverged, "
                        + "stopped or still training)." : "");
        return drawn(c, caption);
    }

    private double[] xs(ReportRun r, boolean byFlops) {
        return byFlops ? r.curveFlops(data.flopKey()) : r.curve().tokens();
    }

    /** At most {@link #MAX_SIZE_LEGEND} distinct sizes, evenly spread, smallest and largest included. */
    private static List<Double> legendSizes(double[] ns) {
        double[] d = Arrays.stream(ns).distinct().sorted().toArray();
        List<Double> out = new ArrayList<>();
        if (d.length <= MAX_SIZE_LEGEND) {
            Arrays.stream(d).forEach(out::add);
            return out;
        }
        for (int k = 0; k < MAX_SIZE_LEGEND; k++) {
            double v = d[(int) Math.round(k * (d.length - 1) / (double) (MAX_SIZE_LEGEND - 1))];
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ 2: IsoFLOP profiles

    Figure isoFlop() {
        FitReport fit = data.fit();
        IsoFlopResult p2 = fit == null ? null : fit.approach2();
        IsoFlopSettings how = fit != null && fit.settings() != null ? fit.settings().isoFlop() : IsoFlopSettings.defaults();
        List<IsoFlopResult.Budget> budgets;
        String source;
        if (p2 != null) {
            budgets = p2.budgets();
            source = String.format(Locale.ROOT, "stars mark the minima used in approach 2's power laws (%d of %d "
                    + "budgets; %s)", p2.budgetsUsed(), p2.budgets().size(), p2.budgetRule());
        } else {
            // approach 2 failing is when the profiles matter most: they show why (minima at the edges)
            if (data.table() == null) {
                return omitted("no completed runs with a final loss");
            }
            budgets = new IsoFlopFit(how).profiles(data.table());
            long profiles = budgets.stream().filter(IsoFlopResult.Budget::hasCurve).count();
            if (profiles < 2) {
                return omitted("the runs do not form an IsoFLOP design: " + profiles + " of " + budgets.size()
                        + " budgets (" + BudgetGrouping.assign(data.table()).rule() + ") have runs of 3 or more sizes"
                        + (fit == null ? "" : "; approach 2: " + whyNot("approach2")));
            }
            source = "approach 2 was not fitted (" + whyNot("approach2") + "), so the profiles are fitted here "
                    + "to each budget's runs with approach 2's rule (" + BudgetGrouping.assign(data.table()).rule()
                    + "); stars mark interior minima";
        }
        budgets = budgets.stream().filter(b -> b.points() != null && !b.points().isEmpty())
                .sorted(Comparator.comparingDouble(IsoFlopResult.Budget::flops)).toList();
        if (budgets.isEmpty()) {
            return omitted("approach 2 in fits.json has no budgets with points");
        }
        XYChart c = Charts.chart("IsoFLOP profiles: loss against N at fixed compute",
                "parameters N (" + data.paramKey().replace('_', '-') + ")", "final validation loss", true, false);
        List<double[]> minUsed = new ArrayList<>();
        List<double[]> minEdge = new ArrayList<>();
        List<String> edgeNotes = new ArrayList<>();
        int fewSizes = 0;
        double[] range = {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0};
        for (int g = 0; g < budgets.size(); g++) {
            IsoFlopResult.Budget b = budgets.get(g);
            Color col = Charts.plasma(budgets.size() == 1 ? 0.5 : g / (double) (budgets.size() - 1));
            double[] n = b.points().stream().mapToDouble(IsoFlopResult.Point::params).toArray();
            double[] l = b.points().stream().mapToDouble(IsoFlopResult.Point::loss).toArray();
            Charts.points(c, "C = " + TextTable.num(b.flops()), n, l, col, Charts.CIRCLE);
            extend(range, n, l);
            double lo = Arrays.stream(n).min().orElse(Double.NaN);
            double hi = Arrays.stream(n).max().orElse(Double.NaN);
            double[] fitted = b.curveNRange();
            if (b.hasCurve() && fitted != null && fitted[0] > 0 && fitted[1] > fitted[0]) {
                // a parabola a little past the sizes it was fitted to; an interpolation only between them
                double pad = b.parabolaN() != null ? 1.25 : 1;
                double[] x = logspace(fitted[0] / pad, fitted[1] * pad, 80);
                double[] y = Arrays.stream(x).map(b::lossAt).toArray();
                Charts.line(c, "profile C = " + TextTable.num(b.flops()), x, y, col, Charts.SOLID)
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
                edgeNotes.add("C = " + TextTable.num(b.flops()) + ": " + (b.reason() == null ? "not used" : b.reason())
                        + (plotted || !Double.isFinite(b.nOpt()) ? "" : " (minimum outside the plotted range)"));
            }
        }
        if (!minUsed.isEmpty()) {
            Charts.points(c, p2 != null ? "profile minimum (used)" : "interior minimum", col(minUsed, 0),
                    col(minUsed, 1), Charts.INK, Charts.STAR);
        }
        if (!minEdge.isEmpty()) {
            Charts.points(c, "edge minimum (left out)", col(minEdge, 0), col(minEdge, 1), Charts.INK,
                    Charts.HOLLOW_DIAMOND);
        }
        // the parabolas can run far above the data at the ends: keep the measured losses in view
        double pad = 0.15 * (range[3] - range[2]);
        c.getStyler().setYAxisMin(range[2] - pad);
        c.getStyler().setYAxisMax(range[3] + pad);
        Charts.fitLogTicks(c, range[0], range[1], 1, 1);
        String curve = p2 != null ? curveOf(p2) : how.describe();
        String caption = String.format(Locale.ROOT, "Each colour is one compute budget C; points are runs, lines the "
                + "%s; %s.%s%s", curve, source, edgeNotes.isEmpty() ? " No edge minima."
                        : " Left out (hollow diamonds where the minimum is in view): " + String.join("; ", edgeNotes)
                                + ".", fewSizes == 0 ? "" : " " + fewSizes + " budget" + (fewSizes == 1 ? " has" : "s have")
                                + " fewer than 3 sizes: no profile.");
        return drawn(c, caption);
    }

    /** The profile approach 2 recorded; a fits.json from before windows fitted parabolas to every size. */
    private static String curveOf(IsoFlopResult p2) {
        if (p2.curve() == null) {
            return new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL).describe();
        }
        return IsoFlopSettings.parse(p2.curve(), p2.window() == null ? "all" : p2.window()).describe();
    }

    // ------------------------------------------------------------------ 3: N_opt(C), D_opt(C)

    Figure allocation(boolean tokens) {
        List<Frontier> fronts = Frontier.of(data.fit());
        if (fronts.isEmpty()) {
            return omitted(data.fit() == null ? NO_FIT : "no fit gives N_opt(C): " + String.join("; ", notFitted()));
        }
        double[] cr = sweepCompute();
        double[] cs = logspace(cr[0], cr[1] * EXTRAPOLATE, 90);
        String q = tokens ? "D_opt" : "N_opt";
        XYChart c = Charts.chart("Compute-optimal " + (tokens ? "training tokens " : "model size ") + q + "(C)",
                "training FLOPs C", tokens ? "tokens D_opt" : "parameters N_opt", true, true);
        double[] range = {cs[0], cs[cs.length - 1], Double.MAX_VALUE, 0};
        // bands first, so lines and points are drawn over them
        for (Frontier f : fronts) {
            List<DoubleUnaryOperator> samples = tokens ? f.dOptSamples() : f.nOptSamples();
            double[][] b = Frontier.band(samples, cs, data.level());
            if (Charts.drawable(b[0], b[1])) {
                Charts.band(c, f.label() + " " + data.levelText() + " band", cs, b[0], b[1], f.color());
            }
        }
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
                Charts.points(c, "approach 2 minima", col(used, 0), col(used, 1), Charts.APPROACH2, Charts.STAR);
                extend(range, null, col(used, 1));
            }
            if (!edge.isEmpty()) {
                Charts.points(c, "approach 2 edge minima (left out)", col(edge, 0), col(edge, 1), Charts.APPROACH2,
                        Charts.HOLLOW_DIAMOND);
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
                Charts.points(c, "approach 1 envelope", col(env, 0), col(env, 1), Charts.APPROACH1, Charts.TRIANGLE)
                        .setMarkerColor(Charts.withAlpha(Charts.APPROACH1, 150));
                extend(range, null, col(env, 1));
            }
        }
        StringBuilder laws = new StringBuilder();
        for (Frontier f : fronts) {
            DoubleUnaryOperator fn = tokens ? f.dOpt() : f.nOpt();
            double exp = tokens ? 1 - f.a() : f.a();
            String expName = tokens ? "b" : "a";
            lawLine(c, f.label() + ", " + expName + " = " + fmt(exp, 3), cs, fn, cr[1], f.color());
            if (!f.key().equals("kaplan")) {
                // Kaplan's joint law, fitted off the frontier, can run far off; the plot clips it
                extend(range, null, Arrays.stream(cs).map(fn).toArray());
            }
            laws.append(laws.length() == 0 ? "" : "; ").append(f.label()).append(' ').append(expName).append(" = ")
                    .append(fmt(exp, 3));
            if (f.aInterval() != null) {
                double[] iv = tokens ? new double[] {1 - f.aInterval()[1], 1 - f.aInterval()[0]} : f.aInterval();
                laws.append(" [").append(fmt(iv[0], 3)).append(", ").append(fmt(iv[1], 3)).append(']');
            }
        }
        // reference slopes through the sweep's middle: the primary law's value at the median budget
        double cMid = Math.sqrt(cr[0] * cr[1]);
        Frontier primary = fronts.get(0);
        double yMid = (tokens ? primary.dOpt() : primary.nOpt()).applyAsDouble(cMid);
        if (yMid > 0 && Double.isFinite(yMid)) {
            double[][] refs = {{CHINCHILLA_A, 0}, {KAPLAN_A, 1}};
            for (double[] ref : refs) {
                double e = tokens ? 1 - ref[0] : ref[0];
                String who = ref[1] == 0 ? "Chinchilla" : "Kaplan";
                double[] y = Arrays.stream(cs).map(x -> yMid * Math.pow(x / cMid, e)).toArray();
                Charts.line(c, who + " slope " + (tokens ? "b" : "a") + " = " + fmt(e, 2), cs, y, Charts.GREY,
                        ref[1] == 0 ? Charts.DASHED : Charts.DOTTED);
            }
        }
        clampLogY(c, range);
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        String caption = String.format(Locale.ROOT, "%s against compute, log-log, with each approach's power law "
                + "(solid over the sweep, %s to %s; dashed beyond, to %sx its largest compute) and its %s bootstrap "
                + "band: %s. Grey: the Chinchilla (a = b = 0.50) and Kaplan (a = 0.73, b = 0.27) exponents through "
                + "%s's value at C = %s, for reference.", q, TextTable.num(cr[0]), TextTable.num(cr[1]),
                TextTable.num(EXTRAPOLATE), data.levelText(), laws, primary.label(), TextTable.num(cMid));
        return drawn(c, caption);
    }

    // ------------------------------------------------------------------ 4: loss frontier

    Figure lossFrontier() {
        RunTable t = data.table();
        if (t == null || t.size() == 0) {
            return omitted("no completed runs with a final loss");
        }
        List<Frontier> fronts = Frontier.of(data.fit()).stream().filter(f -> f.loss() != null
                && !f.key().equals("kaplan")).toList();
        double[] cr = sweepCompute();
        double[] cs = logspace(cr[0] / 2, cr[1] * EXTRAPOLATE, 90);
        XYChart c = Charts.chart("Loss frontier: best loss against compute, extrapolated " + TextTable.num(EXTRAPOLATE)
                + "x", "training FLOPs C (" + data.flopKey() + " convention)", "final validation loss", true, true);
        double[] range = {cs[0], cs[cs.length - 1], Double.MAX_VALUE, 0};
        for (Frontier f : fronts) {
            double[][] b = Frontier.band(f.lossSamples(), cs, data.level());
            if (Charts.drawable(b[0], b[1])) {
                Charts.band(c, f.label() + " " + data.levelText() + " band", cs, b[0], b[1], f.color());
            }
        }
        Charts.points(c, "runs", t.flops(), t.losses(), Charts.LIGHT_GREY, Charts.CIRCLE);
        extend(range, null, t.losses());
        BudgetGrouping.Assignment g = BudgetGrouping.assign(t);
        List<double[]> best = new ArrayList<>();
        for (int k = 0; k < g.count(); k++) {
            int[] members = g.members(k);
            int arg = members[0];
            for (int i : members) {
                if (t.get(i).loss() < t.get(arg).loss()) {
                    arg = i;
                }
            }
            best.add(new double[] {t.get(arg).flops(), t.get(arg).loss()});
        }
        Charts.points(c, "best run per budget", col(best, 0), col(best, 1), Charts.INK, Charts.SQUARE);
        StringBuilder what = new StringBuilder();
        for (Frontier f : fronts) {
            String name = f.key().equals("approach3") ? "approach 3 L(N_opt, D_opt)" : "approach 2 loss_opt law";
            lawLine(c, name, cs, f.loss(), cr[1], f.color());
            extend(range, null, Arrays.stream(cs).map(f.loss()).toArray());
            double[] at = {cr[1] * 10, cr[1] * EXTRAPOLATE};
            what.append(what.length() == 0 ? "" : "; ").append(name).append(": ")
                    .append(TextTable.num(f.loss().applyAsDouble(at[0]))).append(" at 10x, ")
                    .append(TextTable.num(f.loss().applyAsDouble(at[1]))).append(" at 100x");
        }
        clampLogY(c, range);
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        String caption = String.format(Locale.ROOT, "Grey: every completed run; black squares: the lowest loss at "
                + "each budget (%s). %s Solid over the sweep, dashed beyond its largest compute (%s) to %sx, with "
                + "%s bootstrap bands.%s", g.rule(), fronts.isEmpty() ? "No fitted loss law to extrapolate ("
                + String.join("; ", notFitted()) + ")." : "Lines: " + what + ".", TextTable.num(cr[1]),
                TextTable.num(EXTRAPOLATE), data.levelText(), fronts.stream().anyMatch(f -> f.key().equals("approach2"))
                        ? " Approach 2's loss law has no irreducible term: it is trustworthy only near the sweep." : "");
        return drawn(c, caption);
    }

    // ------------------------------------------------------------------ 5: L(N, D) contours

    Figure contours() {
        FitReport fit = data.fit();
        if (fit == null || fit.approach3() == null) {
            return omitted("no approach 3 fit: " + whyNot("approach3"));
        }
        ParametricLaw law = fit.approach3().law();
        FlopsCurve curve = fit.curve();
        DoubleUnaryOperator[] opt = ComputeOptimal.frontier(law::loss, curve);
        double[] cr = sweepCompute();
        List<double[]> runs = new ArrayList<>();
        if (data.table() != null) {
            for (RunPoint p : data.table().points()) {
                runs.add(new double[] {p.params(), p.tokens()});
            }
        }
        double cTop = cr[1] * EXTRAPOLATE;
        double nLo = Math.min(opt[0].applyAsDouble(cr[0]), minOf(col(runs, 0))) / 2;
        double nHi = Math.max(opt[0].applyAsDouble(cTop), maxOf(col(runs, 0))) * 2;
        double dLo = Math.min(opt[1].applyAsDouble(cr[0]), minOf(col(runs, 1))) / 2;
        double dHi = Math.max(opt[1].applyAsDouble(cTop), maxOf(col(runs, 1))) * 2;
        if (!(nLo > 0 && dLo > 0 && nHi > nLo && dHi > dLo && Double.isFinite(nHi * dHi))) {
            return omitted("approach 3's frontier leaves a plottable range (N " + TextTable.num(nLo) + " to "
                    + TextTable.num(nHi) + ", D " + TextTable.num(dLo) + " to " + TextTable.num(dHi) + ")");
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
            Charts.line(c, "L = " + fmt(level, 4) + " (optimal at C = " + TextTable.num(cb) + ")", x, y,
                    Charts.viridis(budgets.size() == 1 ? 0.5 : k / (double) (budgets.size() - 1)), Charts.SOLID);
        }
        boolean first = true;
        for (double cb : budgets) {
            double[] n = logspace(nLo, nHi, 40);
            double[] d = Arrays.stream(n).map(v -> curve.tokens(v, cb)).toArray();
            Charts.line(c, first ? "iso-FLOP lines" : "iso-FLOP C = " + TextTable.num(cb), n, d, Charts.GREY,
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
            Charts.points(c, "runs", col(runs, 0), col(runs, 1), Charts.INK, Charts.CIRCLE).setMarkerColor(
                    Charts.withAlpha(Charts.INK, 170));
        }
        Charts.fitLogTicks(c, nLo, nHi, dLo, dHi);
        String caption = String.format(Locale.ROOT, "Contours of the fitted L(N, D) = %s + %s/N^%s + %s/D^%s over the "
                + "sweep's sizes and tokens extended to %sx its largest compute. Each contour is the optimal loss at one "
                + "budget and touches that budget's iso-FLOP line (grey: C = D x F(N), %s FLOPs per token F of the "
                + "runs' shapes, %s) on the compute-optimal frontier (black: L(N, D) minimised along each line).",
                fmt(law.E(), 4), TextTable.num(law.A()), fmt(law.alpha(), 3), TextTable.num(law.B()),
                fmt(law.beta(), 3), TextTable.num(EXTRAPOLATE), data.flopKey(), curve.source());
        return drawn(c, caption);
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
        b.put(cr[1] * EXTRAPOLATE, true);
        return new ArrayList<>(b.keySet());
    }

    // ------------------------------------------------------------------ 6: held-out validation

    Figure validation() {
        ValidationReport v = data.validation();
        if (v == null) {
            return omitted(data.validationSource());
        }
        if (v.runs() == null || v.runs().isEmpty()) {
            return omitted("the validation has no held-out runs");
        }
        XYChart c = Charts.chart("Held-out validation: predicted against measured loss",
                "measured final validation loss", "predicted loss (" + v.approach() + ", fitted on smaller runs)",
                false, false);
        List<ValidationReport.RunError> in = v.runs().stream().filter(ValidationReport.RunError::inside).toList();
        List<ValidationReport.RunError> out = v.runs().stream().filter(e -> !e.inside()).toList();
        identityAxes(c, v.runs().stream().flatMapToDouble(e -> DoubleStream.of(e.measured(), e.predicted(), e.low(),
                e.high())));
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
                v.approach(), v.split().trainRuns(), TextTable.num(v.split().trainMaxC()), v.split().testRuns(),
                v.holdout(), TextTable.num(v.split().testMinC()), lvl, 100 * s.meanAbsRelError(),
                100 * s.maxAbsRelError(), in.size(), v.runs().size());
        return drawn(c, caption);
    }

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
            Charts.line(c, name, col(seg, 0), col(seg, 1), Charts.withAlpha(col, 170), Charts.SOLID);
        }
    }

    // ------------------------------------------------------------------ 7: residuals

    Figure lossResiduals() {
        FitReport fit = data.fit();
        if (fit == null) {
            return omitted(NO_FIT);
        }
        XYChart c = Charts.chart("Residuals of the loss fits", "training FLOPs C (" + data.flopKey() + " convention)",
                "ln(predicted / measured loss)", true, false);
        Map<String, Double> flopsById = new LinkedHashMap<>();
        if (data.table() != null) {
            data.table().points().forEach(p -> flopsById.put(p.id(), p.flops()));
        }
        List<String> parts = new ArrayList<>();
        double[] range = {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0};
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
                double[] fitted = b.curveNRange();
                for (IsoFlopResult.Point p : b.points()) {
                    // only the runs the profile was fitted to: outside its window it is no model of them
                    if (fitted != null && (p.params() < fitted[0] || p.params() > fitted[1])) {
                        continue;
                    }
                    double pred = b.lossAt(p.params());
                    if (pred > 0) {
                        r.add(new double[] {p.flops(), Math.log(pred / p.loss())});
                    }
                }
            }
            if (!r.isEmpty()) {
                Charts.points(c, "approach 2 profiles", col(r, 0), col(r, 1), Charts.APPROACH2, Charts.DIAMOND);
                extend(range, col(r, 0), null);
                parts.add("approach 2 profiles (runs in their windows): " + rms(col(r, 1)));
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
            return omitted("no fit of the loss (approach 3, approach 2 or Kaplan's joint law) in the fit: "
                    + String.join("; ", notFitted()));
        }
        Charts.line(c, "zero", new double[] {range[0] / 1.2, range[1] * 1.2}, new double[] {0, 0}, Charts.GREY,
                Charts.THIN).setShowInLegend(false);
        Charts.fitLogTicks(c, range[0] / 1.2, range[1] * 1.2, 1, 1);
        String caption = "Log residual of each run's final loss under each fitted law (positive: the law predicts a "
                + "higher loss than measured), against the run's compute. Root mean square: " + String.join("; ", parts)
                + ". Approach 1 models no loss; see 7b.";
        return drawn(c, caption);
    }

    Figure allocationResiduals() {
        FitReport fit = data.fit();
        if (fit == null) {
            return omitted(NO_FIT);
        }
        XYChart c = Charts.chart("Residuals of the N_opt(C) power laws", "training FLOPs C",
                "ln(measured N_opt / power law)", true, false);
        List<String> parts = new ArrayList<>();
        double[] range = {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0};
        IsoFlopResult p2 = fit.approach2();
        if (p2 != null && p2.nOptLaw() != null) {
            List<double[]> r = new ArrayList<>();
            for (IsoFlopResult.Budget b : p2.budgets()) {
                if (b.used() && b.nOpt() > 0) {
                    r.add(new double[] {b.flops(), Math.log(b.nOpt() / p2.nOptLaw().value(b.flops()))});
                }
            }
            if (!r.isEmpty()) {
                Charts.points(c, "approach 2 IsoFLOP minima", col(r, 0), col(r, 1), Charts.APPROACH2, Charts.STAR);
                extend(range, col(r, 0), null);
                parts.add("approach 2: " + rms(col(r, 1)) + " over " + r.size() + " budgets");
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
                Charts.points(c, "approach 1 envelope points", col(r, 0), col(r, 1), Charts.APPROACH1,
                        Charts.TRIANGLE);
                extend(range, col(r, 0), null);
                parts.add("approach 1: " + rms(col(r, 1)) + " over " + pts.size() + " envelope points");
            }
        }
        if (parts.isEmpty()) {
            return omitted("neither approach 2 nor approach 1 was fitted: " + String.join("; ", notFitted()));
        }
        Charts.line(c, "zero", new double[] {range[0] / 1.2, range[1] * 1.2}, new double[] {0, 0}, Charts.GREY,
                Charts.THIN).setShowInLegend(false);
        Charts.fitLogTicks(c, range[0] / 1.2, range[1] * 1.2, 1, 1);
        String caption = "Log residual of each measured compute-optimal size about its approach's power law "
                + "N_opt = k C^a (edge points, left out of the fits, are not shown). Root mean square: "
                + String.join("; ", parts) + ". A trend across C means the power law bends.";
        return drawn(c, caption);
    }

    // ------------------------------------------------------------------ helpers

    /** Smallest and largest compute of the sweep (completed runs; else the fit's budgets). */
    private double[] sweepCompute() {
        double[] cr = data.computeRange();
        if (!(cr[0] > 0) && data.fit() != null && data.fit().approach2() != null) {
            double[] b = data.fit().approach2().budgets().stream().mapToDouble(IsoFlopResult.Budget::flops).toArray();
            cr = new double[] {minOf(b), maxOf(b)};
        }
        if (!(cr[0] > 0)) {
            throw new IllegalStateException("no run with a positive compute");
        }
        if (cr[1] <= cr[0]) {
            cr = new double[] {cr[0] / 2, cr[1] * 2};
        }
        return cr;
    }

    /** A law as a solid line over the sweep and a dashed one beyond it; one legend entry. */
    private static void lawLine(XYChart c, String name, double[] cs, DoubleUnaryOperator f, double cMax, Color col) {
        List<double[]> in = new ArrayList<>();
        List<double[]> beyond = new ArrayList<>();
        for (double x : cs) {
            double y = f.applyAsDouble(x);
            if (!(y > 0 && Double.isFinite(y))) {
                continue;
            }
            if (x <= cMax * 1.0001) {
                in.add(new double[] {x, y});
            }
            if (x >= cMax / 1.2) {
                beyond.add(new double[] {x, y});
            }
        }
        if (!in.isEmpty()) {
            Charts.line(c, name, col(in, 0), col(in, 1), col, Charts.SOLID);
        }
        if (!beyond.isEmpty()) {
            Charts.line(c, name + " (extrapolated)", col(beyond, 0), col(beyond, 1), col, Charts.DASHED)
                    .setShowInLegend(in.isEmpty());
        }
    }

    /**
     * Bounds a log y axis to the data it must show, widened by at most a decade each way, so that a law
     * that runs off (a poorly identified exponent, say) cannot squeeze everything else into a line.
     */
    private static void clampLogY(XYChart c, double[] range) {
        if (range[2] > 0 && range[3] >= range[2] && Double.isFinite(range[3])) {
            c.getStyler().setYAxisMin(range[2] / 1.3);
            c.getStyler().setYAxisMax(range[3] * 1.3);
        }
    }

    private String whyNot(String key) {
        FitReport fit = data.fit();
        if (fit == null) {
            return "there is no fit (see the notes)";
        }
        if (fit.notFitted() != null && fit.notFitted().containsKey(key)) {
            return fit.notFitted().get(key);
        }
        return "not in the fit (approach " + (fit.settings() == null ? "?" : fit.settings().approach()) + ")";
    }

    private List<String> notFitted() {
        FitReport fit = data.fit();
        if (fit == null || fit.notFitted() == null) {
            return List.of();
        }
        return fit.notFitted().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    static double[] logspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (n - 1));
        }
        return v;
    }

    static double[] linspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    private static double[] col(List<double[]> rows, int k) {
        return column(rows, k);
    }

    static double[] column(List<double[]> rows, int k) {
        return rows.stream().mapToDouble(r -> r[k]).toArray();
    }

    private static double minOf(double[] v) {
        return Arrays.stream(v).filter(x -> x > 0 && Double.isFinite(x)).min().orElse(Double.NaN);
    }

    private static double maxOf(double[] v) {
        return Arrays.stream(v).filter(x -> x > 0 && Double.isFinite(x)).max().orElse(Double.NaN);
    }

    /** Grows [xmin, xmax, ymin, ymax] by the finite positive values given (either array may be null). */
    private static void extend(double[] range, double[] x, double[] y) {
        if (x != null) {
            for (double v : x) {
                if (v > 0 && Double.isFinite(v)) {
                    range[0] = Math.min(range[0], v);
                    range[1] = Math.max(range[1], v);
                }
            }
        }
        if (y != null) {
            for (double v : y) {
                if (v > 0 && Double.isFinite(v)) {
                    range[2] = Math.min(range[2], v);
                    range[3] = Math.max(range[3], v);
                }
            }
        }
    }

    /** The points where both coordinates are finite and positive. */
    private static double[][] finitePositive(double[] x, double[] y) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                keep.add(new double[] {x[i], y[i]});
            }
        }
        return new double[][] {col(keep, 0), col(keep, 1)};
    }

    private static int countPositive(double[] x, double[] y) {
        return finitePositive(x, y)[0].length;
    }

    /** The part of a curve inside a box. */
    private static double[][] clipTo(double[] x, double[] y, double xLo, double xHi, double yLo, double yHi) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] >= xLo && x[i] <= xHi && y[i] >= yLo && y[i] <= yHi) {
                keep.add(new double[] {x[i], y[i]});
            }
        }
        return new double[][] {col(keep, 0), col(keep, 1)};
    }

    private static int distinct(double[] v) {
        return (int) Arrays.stream(v).distinct().count();
    }

    private static double nanLast(double v) {
        return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }

    private static String rms(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x * x;
                n++;
            }
        }
        return n == 0 ? "-" : fmt(Math.sqrt(s / n), 3);
    }

    static String fmt(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "-";
    }

    /**
     * Predicted-against-measured axes: the dashed line predicted = measured, and both axes over the
     * finite values shown, padded by 5% of their range.
     */
    static void identityAxes(XYChart c, DoubleStream values) {
        double[] v = values.filter(Double::isFinite).toArray();
        double lo = Arrays.stream(v).min().orElse(0);
        double hi = Arrays.stream(v).max().orElse(1);
        double pad = Math.max(0.05 * (hi - lo), 0.01 * Math.abs(hi));
        double[] diag = {lo - pad, hi + pad};
        Charts.line(c, "predicted = measured", diag, diag, Charts.GREY, Charts.DASHED);
        c.getStyler().setXAxisMin(diag[0]);
        c.getStyler().setXAxisMax(diag[1]);
        c.getStyler().setYAxisMin(diag[0]);
        c.getStyler().setYAxisMax(diag[1]);
    }
}
