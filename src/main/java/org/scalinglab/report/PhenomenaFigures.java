package org.scalinglab.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.scalinglab.fit.phenomena.BrokenPowerLaw;
import org.scalinglab.fit.phenomena.MetricSigmoid;
import org.scalinglab.fit.phenomena.Phenomena;
import org.scalinglab.fit.phenomena.PhenomenaText;
import org.scalinglab.fit.phenomena.RunMetrics;
import org.scalinglab.text.Numbers;
import org.scalinglab.text.TextTable;

/**
 * The figures of what the literature argues about ({@link Phenomena}): 11a one sweep through both lenses
 * (exact match against the continuous metrics on the compute frontier), 11b the metrics against the loss
 * with the ladder's sigmoids and the held-out budget; 12a the broken and the plain power law on the loss
 * frontier, 12b on loss against N per budget; 13a each run's gradient noise scale as it trains, 13b the
 * critical batch against the loss across the sweep. And the table of their fits.
 */
final class PhenomenaFigures {
    /** 11b's y axes: the metrics that rise as the loss falls on the left, the edit distance (falls) on the right. */
    static final String RISING_AXIS = "accuracy, exact match (higher is better)";
    static final String FALLING_AXIS = "edit distance / token (lower is better)";
    static final int FALLING = 1;

    /** Kaplan et al. 2020's B_crit(L) exponent, drawn for comparison through the sweep's own fit. */
    static final double KAPLAN_ALPHA_B = 0.21;

    private final ReportData data;
    private final Phenomena.Report p;
    private final List<RunMetrics> runs;

    /** @param phenomena the measurements, or null when they could not be made; {@code runs} what they read */
    PhenomenaFigures(ReportData data, Phenomena.Report phenomena, List<RunMetrics> runs) {
        this.data = data;
        this.p = phenomena;
        this.runs = runs;
    }

    List<Figure> all() {
        return List.of(
                Figure.build("11a", "emergence", "One sweep through both lenses: exact match against continuous "
                        + "metrics", this::lenses),
                Figure.build("11b", "metrics-vs-loss", "Metrics against the loss, and the held-out budget",
                        this::againstLoss),
                Figure.build("12a", "broken-frontier", "Broken power law: the loss frontier", this::brokenFrontier),
                Figure.build("12b", "broken-per-budget", "Broken power law: loss against N per budget",
                        this::brokenPerBudget),
                Figure.build("13a", "noise-scale", "Gradient noise scale of each run", this::noisePerRun),
                Figure.build("13b", "critical-batch", "Critical batch size against the loss", this::criticalBatch));
    }

    private String none() {
        return p == null ? "the phenomena could not be measured (see the notes)" : null;
    }

    // ------------------------------------------------------------------ 11: metrics

    Figure lenses() {
        if (none() != null) {
            return Figure.absent(none());
        }
        Phenomena.MetricFit em16 = p.metric("val_em_16");
        Phenomena.MetricFit loss = p.metric(Phenomena.LOSS);
        if (em16 == null || loss == null) {
            return Figure.absent("the runs have no exact-match metrics (trained before scalinglab recorded "
                    + "them)");
        }
        XYChart c = Charts.chart("The compute frontier of each metric", "training FLOPs C (" + data.flopKey()
                + " convention)", "metric (higher is better)", true, false);
        String[] ems = {"val_em_1", "val_em_2", "val_em_4", "val_em_8", "val_em_16"};
        for (int i = 0; i < ems.length; i++) {
            Phenomena.MetricFit m = p.metric(ems[i]);
            if (m == null) {
                continue;
            }
            Color col = Charts.plasma(0.1 + 0.75 * i / (ems.length - 1.0));
            double[][] xy = xy(m.frontier(), v -> v);
            Charts.line(c, "exact match, " + ems[i].substring(7) + " token" + (i == 0 ? " (= accuracy)" : "s"), xy[0],
                    xy[1], col, i == ems.length - 1 ? Charts.SOLID : Charts.THIN);
            Charts.points(c, ems[i] + " points", xy[0], xy[1], col, Charts.CIRCLE).setShowInLegend(false);
        }
        double[][] lik = xy(loss.frontier(), v -> Math.exp(-v));
        Charts.line(c, "per-token likelihood exp(-loss)", lik[0], lik[1], Charts.APPROACH3, Charts.DASHED);
        Phenomena.MetricFit edit = p.metric("val_edit_16");
        if (edit != null) {
            double[][] e = xy(edit.frontier(), v -> 1 - v);
            Charts.line(c, "1 - edit distance / token, 16 tokens", e[0], e[1], Charts.APPROACH1, Charts.DASHED);
        }
        Phenomena.MetricFit brier = p.metric("val_brier");
        if (brier != null) {
            double[][] b = xy(brier.frontier(), v -> 1 - v);
            Charts.line(c, "1 - Brier score", b[0], b[1], Charts.GREY, Charts.DOTTED);
        }
        c.getStyler().setYAxisMin(0.0);
        String late = String.format(Locale.ROOT, " Share of each frontier's change made in the top quarter of its log-"
                + "compute range: exact match of 16 tokens %s, accuracy %s, likelihood (loss) %s%s.",
                pct(em16.lateShare()), pct(p.metric("val_acc") == null ? null : p.metric("val_acc").lateShare()),
                pct(loss.lateShare()), edit == null ? "" : ", edit distance " + pct(edit.lateShare()));
        return Figure.chart(c, "Each metric's best value reached by any evaluation of any run at or below each "
                + "compute (the compute frontier): exact match of greedy continuations of 1 to 16 tokens (a "
                + "discontinuous metric: all tokens right or nothing), against continuous ones of the same runs: the "
                + "per-token likelihood exp(-loss), 1 - the token edit distance of the 16-token continuation, 1 - the "
                + "Brier score. Wei et al. (2022) read sudden rises of such exact-match curves as emergent abilities; "
                + "Schaeffer et al. (2023) argue that they come from the metric, while continuous metrics of the same "
                + "models improve smoothly." + late + (p.emergence() == null ? "" : " " + p.emergence()));
    }

    Figure againstLoss() {
        if (none() != null) {
            return Figure.absent(none());
        }
        String[] shown = {"val_acc", "val_em_4", "val_em_16", "val_edit_16"};
        XYChart c = Charts.chart("Metrics against the validation loss, every evaluation", "validation loss (nats/token)",
                RISING_AXIS, false, false);
        // the edit distance falls as the loss falls, the others rise: it gets its own axis, on the right
        c.setYAxisGroupTitle(FALLING, FALLING_AXIS);
        c.getStyler().setYAxisGroupPosition(FALLING, Styler.YAxisPosition.Right);
        int drawn = 0;
        boolean falling = false;
        StringBuilder held = new StringBuilder();
        for (int i = 0; i < shown.length; i++) {
            Phenomena.MetricFit m = p.metric(shown[i]);
            if (m == null || m.sigmoid() == null) {
                continue;
            }
            Color col = Charts.viridis(i / (shown.length - 1.0) * 0.85);
            int axis = shown[i].startsWith("val_edit") ? FALLING : 0;
            if (axis == FALLING) {
                // its axis in its colour (darker, to read as text), so which points it scales is plain
                falling = true;
                c.getStyler().setYAxisGroupTitleColor(FALLING, col.darker());
                c.getStyler().setYAxisGroupTickLabelsColorMap(FALLING, col.darker());
            }
            String name = label(shown[i]) + (axis == FALLING ? " (right axis)" : "");
            List<double[]> pts = points(shown[i]);
            Charts.points(c, name, PlotData.column(pts, 0), PlotData.column(pts, 1), Charts.withAlpha(col, 120),
                    Charts.CIRCLE).setYAxisGroup(axis);
            double lo = pts.stream().mapToDouble(v -> v[0]).min().orElse(1);
            double hi = pts.stream().mapToDouble(v -> v[0]).max().orElse(2);
            double[] x = PlotData.linspace(lo, hi, 120);
            MetricSigmoid.Law law = m.sigmoid();
            XYSeries curve = Charts.line(c, label(shown[i]) + " sigmoid", x, Arrays.stream(x).map(law::at).toArray(),
                    col, Charts.SOLID);
            curve.setShowInLegend(false);
            curve.setYAxisGroup(axis);
            Phenomena.Holdout h = m.holdout();
            if (h != null) {
                double[] hl = h.runs().stream().mapToDouble(Phenomena.HoldoutRun::loss).toArray();
                XYSeries measured = Charts.points(c, label(shown[i]) + ", held out: measured", hl,
                        h.runs().stream().mapToDouble(Phenomena.HoldoutRun::measured).toArray(), col, Charts.STAR);
                measured.setShowInLegend(i == 0);
                measured.setYAxisGroup(axis);
                XYSeries predicted = Charts.points(c, label(shown[i]) + ", held out: predicted", hl,
                        h.runs().stream().mapToDouble(Phenomena.HoldoutRun::fromLoss).toArray(), col,
                        Charts.HOLLOW_DIAMOND);
                predicted.setShowInLegend(i == 0);
                predicted.setYAxisGroup(axis);
                held.append(String.format(Locale.ROOT, " %s: mean |error| %s from the measured loss%s.", label(shown[i]),
                        fmt(h.meanAbsErrorFromLoss()), h.meanAbsErrorFromForecast() == null ? ""
                                : ", " + fmt(h.meanAbsErrorFromForecast()) + " from approach 3's forecast loss"));
            }
            drawn++;
        }
        if (drawn == 0) {
            return Figure.absent("no metric besides the loss has enough evaluations for a sigmoid");
        }
        Phenomena.Holdout h = p.metric("val_acc") == null ? null : p.metric("val_acc").holdout();
        if (!falling) {
            c.setYAxisGroupTitle(FALLING, null);
        }
        return Figure.chart(c, "Every evaluation of every run (after step 0), each metric against the validation "
                + "loss, with the sigmoid m(L) = a / (1 + exp(-k (L - L0))) + b fitted to all of them (the second step "
                + "of the OLMo model ladder, Bhagia et al. 2024: a forecast loss becomes a forecast metric). "
                + "Accuracy and exact match rise as the loss falls (left axis); the edit distance falls with it "
                + "(right axis, its own scale), so the two kinds are not read against one scale. "
                + (h == null ? "With one budget nothing is held out."
                        : String.format(Locale.ROOT, "Held out: the sigmoids refitted without the largest %s (%s), "
                                + "predicting its runs' final metrics (hollow diamonds) from their measured loss "
                                + "(stars: measured).", p.broken().size() > 1 ? p.broken().get(1).groupedBy() : "budget",
                                Numbers.sig4(h.budget())) + held));
    }

    /** {loss, metric} of every evaluation the fit read. */
    private List<double[]> points(String metric) {
        List<double[]> out = new ArrayList<>();
        for (RunMetrics m : runs) {
            for (RunMetrics.Eval e : m.evals()) {
                if (Double.isFinite(e.value(metric))) {
                    out.add(new double[] {e.loss(), e.value(metric)});
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ 12: broken power laws

    Figure brokenFrontier() {
        if (none() != null) {
            return Figure.absent(none());
        }
        Phenomena.Curve f = p.broken().get(0);
        if (f.broken() == null || f.plain() == null) {
            return Figure.absent("the loss frontier could not be fitted: " + f.reason());
        }
        XYChart c = Charts.chart("Loss frontier: broken against plain power law", "training FLOPs C (" + data.flopKey()
                + " convention)", "validation loss (nats/token)", true, true);
        Charts.points(c, "frontier (best loss at or below C)", f.x(), f.y(), Charts.INK, Charts.CIRCLE);
        double lo = f.x()[0];
        double hi = f.x()[f.x().length - 1] * 10;
        double[] x = PlotData.logspace(lo, hi, 160);
        drawLaws(c, f, x, Charts.APPROACH3, "");
        Charts.fitLogTicks(c, lo, hi, Arrays.stream(f.y()).min().orElse(1), Arrays.stream(f.y()).max().orElse(2));
        return Figure.chart(c, "The loss frontier (every evaluation of every run that beats all cheaper ones), "
                + "with the smoothly broken power law y = a + b x^-c0 (1 + (x/d)^(1/f))^(-c1 f) of Caballero et al. "
                + "(2022) and the plain power law y = a + b x^-c0, both drawn to 10x the largest compute. "
                + describe(f) + " Star: the break d.");
    }

    Figure brokenPerBudget() {
        if (none() != null) {
            return Figure.absent(none());
        }
        List<Phenomena.Curve> cs = p.broken().subList(1, p.broken().size());
        if (cs.stream().noneMatch(k -> k.n() >= 3)) {
            return Figure.absent("no budget has 3 sizes or more");
        }
        XYChart c = Charts.chart("Loss against N at each " + cs.get(0).groupedBy(), "parameters N ("
                + p.settings().paramConvention() + ")", "final validation loss (nats/token)", true, true);
        StringBuilder sb = new StringBuilder();
        double[] range = {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0};
        for (int i = 0; i < cs.size(); i++) {
            Phenomena.Curve k = cs.get(i);
            Color col = Charts.viridis(cs.size() == 1 ? 0.3 : 0.85 * i / (cs.size() - 1.0));
            String name = k.groupedBy() + " " + Numbers.sig4(k.budget());
            List<double[]> one = new ArrayList<>();
            List<double[]> deep = new ArrayList<>();
            for (int j = 0; j < k.n(); j++) {
                (k.layers()[j] == 1 ? one : deep).add(new double[] {k.x()[j], k.y()[j]});
                range[0] = Math.min(range[0], k.x()[j]);
                range[1] = Math.max(range[1], k.x()[j]);
                range[2] = Math.min(range[2], k.y()[j]);
                range[3] = Math.max(range[3], k.y()[j]);
            }
            if (!one.isEmpty()) {
                Charts.points(c, name + ", 1 layer", PlotData.column(one, 0), PlotData.column(one, 1), col,
                        Charts.HOLLOW_CIRCLE);
            }
            if (!deep.isEmpty()) {
                Charts.points(c, name + ", 2+ layers", PlotData.column(deep, 0), PlotData.column(deep, 1), col,
                        Charts.DIAMOND);
            }
            if (k.broken() != null && k.plain() != null) {
                double[] x = PlotData.logspace(k.x()[0] / 1.5, k.x()[k.n() - 1] * 1.5, 160);
                drawLaws(c, k, x, col, name + " ");
                sb.append(' ').append(name).append(": ").append(describe(k));
            }
            if (k.oneLayer() != null) {
                BrokenPowerLaw.Law deepLaw = k.oneLayer().deeperLaw();
                double[] x = PlotData.logspace(k.x()[0] / 1.5, k.x()[k.n() - 1] * 1.5, 160);
                Charts.line(c, name + " trend of 2+ layers", x, Arrays.stream(x).map(deepLaw::at).toArray(),
                        Charts.withAlpha(col, 150), Charts.DOTTED);
                sb.append(' ').append(name).append(": ")
                        .append(PhenomenaText.oneLayer(k.oneLayer())).append('.');
            }
        }
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        long fitted = cs.stream().filter(k -> k.broken() != null && k.plain() != null).count();
        boolean oneLayer = cs.stream().anyMatch(k -> Arrays.stream(k.layers()).limit(k.n()).anyMatch(l -> l == 1));
        boolean trends = cs.stream().anyMatch(k -> k.oneLayer() != null);
        // the caption names only what is drawn
        List<String> drawn = new ArrayList<>();
        if (fitted > 0) {
            drawn.add("the smoothly broken power law (solid, star at its break) and the plain one (dashed) where a "
                    + "budget has the sizes for them");
        }
        if (trends) {
            drawn.add("the plain law of the deeper runs alone (dotted)");
        }
        return Figure.chart(c, "Each budget's final losses against N ("
                + (oneLayer ? "hollow circles: 1-layer models; diamonds: deeper" : "diamonds: every run has 2 or more "
                        + "layers") + ")" + (drawn.isEmpty() ? "" : ", with " + String.join(", and ", drawn)) + ". "
                + "Kaplan et al. (2020, figure 6) found 1-layer models off the trend of deeper ones: a break between "
                + "the largest 1-layer and the smallest deeper model, where the broken law also predicts held-out sizes "
                + "better, would show it here."
                + (fitted == 0 ? " No lines: no budget was fitted: " + cs.get(0).reason() + " (an IsoFLOP design's few "
                        + "sizes per budget trace its loss profile, not a power law; a grid of many sizes at one token "
                        + "count answers this)." : sb.toString()));
    }

    private static void drawLaws(XYChart c, Phenomena.Curve k, double[] x, Color col, String prefix) {
        BrokenPowerLaw.Law b = k.broken().law();
        BrokenPowerLaw.Law pl = k.plain().law();
        Charts.line(c, prefix + "broken power law", x, Arrays.stream(x).map(b::at).toArray(), col, Charts.SOLID);
        Charts.line(c, prefix + "plain power law", x, Arrays.stream(x).map(pl::at).toArray(),
                Charts.withAlpha(col, 170), Charts.DASHED);
        if (b.d() >= x[0] && b.d() <= x[x.length - 1]) {
            Charts.points(c, prefix + "break", new double[] {b.d()}, new double[] {b.at(b.d())}, col, Charts.STAR)
                    .setShowInLegend(false);
        }
    }

    private static String describe(Phenomena.Curve k) {
        if (k.reason() != null && k.rolling().isEmpty()) {
            return "Not compared held out: " + k.reason() + ".";
        }
        BrokenPowerLaw.Law b = k.broken().law();
        List<Double> ci = k.brokenCi().get("d");
        return String.format(Locale.ROOT, "Rolling-origin held-out error (rms of ln(predicted / measured)): broken %s, "
                + "plain %s, so the %s law wins; the break d = %s%s, exponent %s below it and %s above; %s.",
                fmt(k.brokenError()), fmt(k.plainError()), k.brokenWins() ? "broken" : "plain", Numbers.sig4(b.d()),
                ci == null || ci.get(0) == null ? "" : " (interval " + Numbers.sig4(ci.get(0)) + " to "
                        + Numbers.sig4(ci.get(1)) + ")", fmt(b.c0()), fmt(b.c0() + b.c1()), k.note());
    }

    // ------------------------------------------------------------------ 13: noise scale

    Figure noisePerRun() {
        if (none() != null) {
            return Figure.absent(none());
        }
        Phenomena.CriticalBatch cb = p.criticalBatch();
        if (cb.perRun().isEmpty()) {
            return Figure.absent(cb.reason());
        }
        XYChart c = Charts.chart("B_simple as each run trains", "tokens D", "gradient noise scale B_simple (tokens)",
                true, true);
        double[] ns = cb.perRun().stream().mapToDouble(Phenomena.RunNoise::params).toArray();
        double nMin = Arrays.stream(ns).min().orElse(1);
        double nMax = Arrays.stream(ns).max().orElse(1);
        double yLo = Double.MAX_VALUE;
        double yHi = 0;
        java.util.Set<Double> batches = new java.util.TreeSet<>();
        java.util.Set<String> named = new java.util.HashSet<>();
        double xLo = Double.MAX_VALUE;
        double xHi = 0;
        for (Phenomena.RunNoise r : cb.perRun()) {
            double[] x = r.curve().stream().mapToDouble(v -> v[0]).toArray();
            double[] y = r.curve().stream().mapToDouble(v -> v[1]).toArray();
            // one line per run: runs of one size at several token counts share a colour and a legend entry
            String name = "N " + Numbers.sig4(r.params()) + " (L" + r.layers() + ")";
            boolean first = named.add(name);
            Charts.line(c, first ? name : name + ", run " + r.id(), x, y,
                    Charts.viridis(Charts.logPosition(r.params(), nMin, nMax)), Charts.THIN).setShowInLegend(first);
            for (double v : y) {
                yLo = Math.min(yLo, v);
                yHi = Math.max(yHi, v);
            }
            xLo = Math.min(xLo, x[0]);
            xHi = Math.max(xHi, x[x.length - 1]);
            batches.add(r.tokensPerStep());
        }
        for (double b : batches) {
            Charts.line(c, "batch " + Numbers.sig4(b) + " tokens", new double[] {xLo, xHi}, new double[] {b, b},
                    Charts.GREY, Charts.DASHED);
        }
        Charts.fitLogTicks(c, xLo, xHi, Math.min(yLo, batches.iterator().next()), Math.max(yHi, batches.iterator()
                .next()));
        return Figure.chart(c, "Each run's simple noise scale B_simple = tr(Sigma) / |G|^2 (McCandlish et al. "
                + "2018), in tokens, at every metrics row: the unbiased estimates of |G|^2 and tr(Sigma) from the "
                + "micro-batch and whole-step gradients of the step (appendix A; no extra forward or backward pass), "
                + "each smoothed by its own exponential moving average. Dashed: the batch each run trained with; "
                + "a batch far above B_simple spends data for little gain in steps.");
    }

    Figure criticalBatch() {
        if (none() != null) {
            return Figure.absent(none());
        }
        Phenomena.CriticalBatch cb = p.criticalBatch();
        if (cb.reason() != null) {
            return Figure.absent(cb.reason());
        }
        XYChart c = Charts.chart("Critical batch against the loss", "training loss (nats/token)",
                "B_simple (tokens)", true, true);
        double[] l = cb.points().stream().mapToDouble(v -> v[0]).toArray();
        double[] b = cb.points().stream().mapToDouble(v -> v[1]).toArray();
        Charts.points(c, "metrics rows (after each run's first tenth)", l, b, Charts.withAlpha(Charts.INK, 110),
                Charts.CIRCLE);
        double lo = Arrays.stream(l).min().orElse(1);
        double hi = Arrays.stream(l).max().orElse(2);
        double[] x = PlotData.logspace(lo, hi, 80);
        Charts.line(c, String.format(Locale.ROOT, "fit B* / L^(1/%.3f)", cb.alphaB()), x,
                Arrays.stream(x).map(cb::at).toArray(), Charts.APPROACH2, Charts.SOLID);
        double mid = Math.sqrt(lo * hi);
        double at = cb.at(mid);
        Charts.line(c, "Kaplan's alpha_B = 0.21 (slope only)", x,
                Arrays.stream(x).map(v -> at * Math.pow(v / mid, -1 / KAPLAN_ALPHA_B)).toArray(), Charts.KAPLAN,
                Charts.DASHED);
        double batch = cb.perRun().get(0).tokensPerStep();
        Charts.line(c, "batch " + Numbers.sig4(batch) + " tokens", new double[] {lo, hi}, new double[] {batch, batch},
                Charts.GREY, Charts.DOTTED);
        Charts.fitLogTicks(c, lo, hi, Arrays.stream(b).min().orElse(1), Arrays.stream(b).max().orElse(2));
        List<Double> ci = cb.ci().get("alpha_B");
        long above = cb.perRun().stream().filter(r -> r.batchOverCritical() != null && r.batchOverCritical() > Phenomena.FAR_ABOVE_CRITICAL).count();
        return Figure.chart(c, String.format(Locale.ROOT, "B_simple against the training loss of the same row, "
                + "every run, with Kaplan et al. (2020)'s form B_crit(L) = B* / L^(1/alpha_B): alpha_B = %s%s, "
                + "B* = %s tokens, so B_crit doubles for every %.1f %% fall in loss (Kaplan et al.: about 13 %%, "
                + "alpha_B = 0.21, drawn through the fit's middle for its slope). %d of %d runs trained with a batch "
                + "above 4 x B_crit at their final loss.", fmt(cb.alphaB()),
                ci == null || ci.get(0) == null ? "" : " (" + data.levelText() + " interval " + fmt(ci.get(0)) + " to "
                        + fmt(ci.get(1)) + ")", Numbers.sig4(cb.bStar()), 100 * cb.lossDropPerDoubling(), above,
                cb.perRun().size()));
    }

    // ------------------------------------------------------------------ the table

    Table table() {
        Table t = new Table("phenomena", "Metrics, broken power laws and critical batch", p == null
                ? "not measured (see the notes)"
                : "Each metric's compute frontier (first and last value, the share of its change in the top quarter of "
                        + "log C) and the exponent c0 of its error (1 - metric, or the metric) = a + b C^-c0 there; its "
                        + "sigmoid against the loss; the held-out top budget's mean |error| predicted from the measured "
                        + "loss and from approach 3's forecast. Then each broken-power-law comparison and the critical "
                        + "batch fit, as the results folder's phenomena.json holds them; 'scalinglab phenomena <results>' prints them.",
                "quantity", "frontier first", "last", "late share", "error c0", "sigmoid a", "k", "L0", "b",
                "held-out |error| (loss)", "(forecast)");
        if (p == null) {
            return t;
        }
        for (Phenomena.MetricFit m : p.metrics()) {
            MetricSigmoid.Law g = m.sigmoid();
            Phenomena.Holdout h = m.holdout();
            t.row(m.metric(), m.frontier().get(0)[1], m.frontier().get(m.frontier().size() - 1)[1], m.lateShare(),
                    m.compute() == null ? null : m.compute().c0(), g == null ? null : g.a(), g == null ? null : g.k(),
                    g == null ? null : g.l0(), g == null ? null : g.b(), h == null ? null : h.meanAbsErrorFromLoss(),
                    h == null ? null : h.meanAbsErrorFromForecast());
        }
        for (Phenomena.Curve k : p.broken()) {
            String name = k.kind().equals("frontier") ? "loss vs C frontier" : "loss vs N, " + k.groupedBy() + " "
                    + Numbers.sig4(k.budget());
            t.row(name + ": held-out error broken / plain, break", k.brokenError(), k.plainError(),
                    k.reason() != null && k.broken() == null ? k.reason() : k.brokenWins() ? "broken wins" : "plain wins",
                    k.broken() == null ? null : k.broken().law().d(), null, null, null, null, null, null);
        }
        Phenomena.CriticalBatch cb = p.criticalBatch();
        t.row("B_crit = B* / L^(1/alpha_B): B*, alpha_B", cb.bStar(), cb.alphaB(), cb.reason() != null ? cb.reason()
                : String.format(Locale.ROOT, "doubles per %.1f %% loss", 100 * cb.lossDropPerDoubling()), null, null,
                null, null, null, null, null);
        return t;
    }

    // ------------------------------------------------------------------ helpers

    private static double[][] xy(List<double[]> pts, java.util.function.DoubleUnaryOperator f) {
        return new double[][] {pts.stream().mapToDouble(v -> v[0]).toArray(),
            pts.stream().mapToDouble(v -> f.applyAsDouble(v[1])).toArray()};
    }

    private static String label(String metric) {
        return switch (metric) {
            case "val_acc" -> "accuracy";
            case "val_brier" -> "Brier score";
            default -> metric.startsWith("val_em_") ? "exact match " + metric.substring(7)
                    : metric.startsWith("val_edit_") ? "edit distance " + metric.substring(9) : metric;
        };
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * v);
    }

    private static String fmt(Double v) {
        return v == null ? "-" : Numbers.fixed(v, 3);
    }
}
