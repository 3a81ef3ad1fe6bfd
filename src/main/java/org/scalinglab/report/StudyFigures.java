package org.scalinglab.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.DoubleStream;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.text.Numbers;

/**
 * The figures of a study's own stages: the learning-rate tuning (8a: loss against lr per size, 8b: the
 * rule lr = c N^p through each size's best lr) and the check beyond the design (9a: predicted against
 * measured loss of the check runs, 9b: the check budget's measured IsoFLOP profile against the laws'
 * predictions along the same iso-FLOP line).
 */
final class StudyFigures {
    private final ReportData data;

    StudyFigures(ReportData data) {
        this.data = data;
    }

    /** The study's figures it has data for: a plain sweep (no tune:, no check:) gets none, and no notes either. */
    List<Figure> all() {
        List<Figure> figures = new ArrayList<>();
        if (data.tuning() != null) {
            figures.add(Figure.build("8a", "lr-tuning", "Learning-rate tuning", this::tuning));
            figures.add(Figure.build("8b", "lr-rule", "Learning-rate rule", this::rule));
        }
        if (data.check() != null) {
            figures.add(Figure.build("9a", "check-predictions", "Check beyond the design: predicted against measured",
                    this::checkPredictions));
            figures.add(Figure.build("9b", "check-profile", "Check beyond the design: its IsoFLOP profile",
                    this::checkProfile));
        }
        return figures;
    }

    Figure tuning() {
        LrTuning.Result t = data.tuning();
        XYChart c = Charts.chart("Final validation loss against learning rate, per size", "peak learning rate",
                "final validation loss", true, false);
        int k = 0;
        for (LrTuning.Size s : t.sizes()) {
            Color col = Charts.viridis(t.sizes().size() == 1 ? 0.5 : k++ / (double) (t.sizes().size() - 1));
            double[] lr = s.points().stream().filter(p -> Double.isFinite(p.loss())).mapToDouble(LrTuning.Point::lr)
                    .toArray();
            double[] loss = s.points().stream().filter(p -> Double.isFinite(p.loss()))
                    .mapToDouble(LrTuning.Point::loss).toArray();
            String name = "N " + Numbers.sig4(s.params()) + ", C " + Numbers.sig4(s.budget());
            Charts.line(c, name, lr, loss, col, Charts.THIN);
            Charts.points(c, name + " runs", lr, loss, col, Charts.CIRCLE).setShowInLegend(false);
            Charts.points(c, name + " best", new double[] {s.lrOpt()}, new double[] {s.lossOpt()}, col,
                    s.edge() ? Charts.HOLLOW_DIAMOND : Charts.STAR).setShowInLegend(false);
        }
        return Figure.chart(c, String.format(Locale.ROOT, "Each size of the tuning grid at its budget: "
                + "final validation loss against the peak learning rate. Stars: each size's best learning rate (the "
                + "vertex of the parabola in ln lr through the best run and its neighbours); hollow diamonds: a best "
                + "lr at the end of the grid, a bound left out of the rule. Diverged runs are not drawn. "
                + "The rule: %s.", t.describe()));
    }

    Figure rule() {
        LrTuning.Result t = data.tuning();
        XYChart c = Charts.chart("Best learning rate against model size", "parameters N (" + t.paramConvention() + ")",
                "best learning rate", true, true);
        double[] n = t.sizes().stream().mapToDouble(LrTuning.Size::params).toArray();
        double lo = Arrays.stream(n).min().orElse(1) / 4;
        double hi = Arrays.stream(n).max().orElse(1) * 16;
        double[] x = PlotData.logspace(lo, hi, 60);
        LrTuning.Rule fitted = t.fittedRule();
        if (t.pooled()) {
            Charts.line(c, String.format(Locale.ROOT, "applied: one pooled lr = %.3g", t.rule().coefficient()), x,
                    Arrays.stream(x).map(v -> t.rule().lr(v)).toArray(), Charts.APPROACH3, Charts.SOLID);
        }
        if (fitted != null) {
            Charts.line(c, (t.pooled() ? "fitted, not identified: " : "rule ") + String.format(Locale.ROOT,
                    "lr = %.3g N^%.3f", fitted.coefficient(), fitted.exponent()), x,
                    Arrays.stream(x).map(fitted::lr).toArray(), t.pooled() ? Charts.INK : Charts.APPROACH3,
                    t.pooled() ? Charts.DASHED : Charts.SOLID);
        }
        double[] ci = fitted == null ? new double[] {Double.NaN, Double.NaN} : fitted.exponentCi();
        if (Double.isFinite(ci[0]) && Double.isFinite(ci[1]) && ci[1] - ci[0] < 4) {
            double nc = Math.exp(Arrays.stream(n).map(Math::log).average().orElse(0)); // the rule pivots here
            double lc = fitted.lr(nc);
            Charts.band(c, String.format(Locale.ROOT, "exponent %.0f %% interval", 100 * fitted.level()), x,
                    Arrays.stream(x).map(v -> Math.min(lc * Math.pow(v / nc, ci[0]), lc * Math.pow(v / nc, ci[1])))
                            .toArray(),
                    Arrays.stream(x).map(v -> Math.max(lc * Math.pow(v / nc, ci[0]), lc * Math.pow(v / nc, ci[1])))
                            .toArray(), Charts.APPROACH3);
        }
        List<LrTuning.Size> in = t.sizes().stream().filter(s -> !s.edge()).toList();
        List<LrTuning.Size> edge = t.sizes().stream().filter(LrTuning.Size::edge).toList();
        if (!in.isEmpty()) {
            Charts.points(c, "best lr of a size", in.stream().mapToDouble(LrTuning.Size::params).toArray(),
                    in.stream().mapToDouble(LrTuning.Size::lrOpt).toArray(), Charts.INK, Charts.STAR);
        }
        if (!edge.isEmpty()) {
            Charts.points(c, "grid edge (a bound)", edge.stream().mapToDouble(LrTuning.Size::params).toArray(),
                    edge.stream().mapToDouble(LrTuning.Size::lrOpt).toArray(), Charts.APPROACH2, Charts.HOLLOW_DIAMOND);
        }
        return Figure.chart(c, "Each tuned size's best learning rate and the power law fitted through them, "
                + "drawn to 16x the largest tuned size: every run of the design and the check trains at the rule's "
                + "value for its N. " + t.describe() + ".");
    }

    Figure checkPredictions() {
        CheckValidation.Report r = data.check();
        XYChart c = Charts.chart("Check runs: predicted against measured loss", "measured final validation loss",
                "predicted loss (fitted on the design only)", false, false);
        Charts.identityAxes(c, r.runs().stream().flatMapToDouble(run -> DoubleStream.concat(
                DoubleStream.of(run.measured()), run.predicted().values().stream()
                        .flatMapToDouble(p -> DoubleStream.of(p.predicted(), p.low(), p.high())))));
        StringBuilder sums = new StringBuilder();
        for (String name : r.summary().keySet()) {
            Color col = name.equals(Approach.KAPLAN.key()) ? Charts.KAPLAN : Charts.APPROACH3;
            List<double[]> seg = new ArrayList<>();
            for (CheckValidation.Run run : r.runs()) {
                CheckValidation.Predicted p = run.predicted().get(name);
                seg.add(new double[] {run.measured(), p.low()});
                seg.add(new double[] {run.measured(), p.high()});
                seg.add(new double[] {Double.NaN, Double.NaN});
            }
            Charts.line(c, label(name) + " interval", PlotData.column(seg, 0), PlotData.column(seg, 1),
                    Charts.withAlpha(col, 150), Charts.SOLID);
            Charts.points(c, label(name), r.runs().stream().mapToDouble(CheckValidation.Run::measured).toArray(),
                    r.runs().stream().mapToDouble(x -> x.predicted().get(name).predicted()).toArray(), col,
                    name.equals(Approach.KAPLAN.key()) ? Charts.DIAMOND : Charts.CIRCLE);
            CheckValidation.Summary s = r.summary().get(name);
            sums.append(String.format(Locale.ROOT, " %s: mean |relative error| %.2f %%, largest %.2f %%, %d of %d "
                    + "inside their interval.", label(name), 100 * s.meanAbsRelError(), 100 * s.maxAbsRelError(),
                    Math.round(s.coverage() * s.n()), s.n()));
        }
        return Figure.chart(c, String.format(Locale.ROOT, "The check budget C = %s (%sx the design's largest) "
                + "trained after the fit, around %s's N_opt; the fit never saw these runs. Bars: %s.%s",
                Numbers.sig4(r.budget()), Numbers.sig4(r.computeFactor()), label(r.centredBy()), r.interval(), sums));
    }

    Figure checkProfile() {
        CheckValidation.Report r = data.check();
        FitReport fit = data.fit();
        if (fit == null) {
            return Figure.absent("there is no fit (see the notes)");
        }
        XYChart c = Charts.chart(String.format(Locale.ROOT, "IsoFLOP profile at the check budget C = %s",
                Numbers.sig4(r.budget())), "parameters N (" + data.paramKey().replace('_', '-') + ")",
                "final validation loss", true, false);
        double[] n = r.runs().stream().mapToDouble(CheckValidation.Run::params).toArray();
        double lo = Arrays.stream(n).min().orElse(1) / 1.5;
        double hi = Arrays.stream(n).max().orElse(1) * 1.5;
        double[] x = PlotData.logspace(lo, hi, 80);
        FlopsCurve curve = fit.curve();
        if (fit.approach3() != null) {
            DoubleBinaryOperator l = fit.approach3().law()::loss;
            Charts.line(c, "approach 3 along the iso-FLOP line", x,
                    Arrays.stream(x).map(v -> l.applyAsDouble(v, curve.tokens(v, r.budget()))).toArray(),
                    Charts.APPROACH3, Charts.SOLID);
        }
        if (fit.kaplan() != null && fit.kaplan().joint() != null) {
            DoubleBinaryOperator l = fit.kaplan().joint()::loss;
            Charts.line(c, "Kaplan joint along the iso-FLOP line", x,
                    Arrays.stream(x).map(v -> l.applyAsDouble(v, curve.tokens(v, r.budget()))).toArray(),
                    Charts.KAPLAN, Charts.DASHED);
        }
        Charts.points(c, "check runs (measured)", n, r.runs().stream().mapToDouble(CheckValidation.Run::measured)
                .toArray(), Charts.INK, Charts.CIRCLE);
        r.computeOptimal().forEach((name, o) -> {
            if (o.loss() != null && Double.isFinite(o.nOpt())) {
                Charts.points(c, label(name) + " compute-optimal", new double[] {o.nOpt()}, new double[] {o.loss()},
                        Charts.color(name), Charts.STAR);
            }
        });
        CheckValidation.Profile p = r.profile();
        return Figure.chart(c, String.format(Locale.ROOT, "The check runs' losses against N at their one "
                + "budget, with each law's prediction along the same iso-FLOP line (C = D x F(N)) and each approach's "
                + "compute-optimal point (stars). Measured: %s; best run N %s, loss %.4f.", p.interior()
                        ? String.format(Locale.ROOT, "the profile's minimum lies inside the sizes trained, at N %s",
                                Numbers.sig4(p.nMin())) : "no interior minimum (" + p.reason() + ")",
                Numbers.sig4(p.bestN()), p.bestLoss()));
    }

    static String label(String approach) {
        return Approach.ofKey(approach).map(Approach::label).orElse(approach);
    }
}
