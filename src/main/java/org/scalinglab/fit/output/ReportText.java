package org.scalinglab.fit.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.approach.KaplanJointLaw;
import org.scalinglab.fit.approach.KaplanLaw;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.input.InputProvenance;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.Prediction;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.text.Numbers;
import org.scalinglab.text.TextTable;

/** The human-readable renderings of fits, predictions and validations that the CLI prints. */
public final class ReportText {
    private ReportText() {}

    public static String fit(FitReport r) {
        StringBuilder sb = new StringBuilder();
        InputProvenance in = r.inputs();
        FitSettings s = r.settings();
        sb.append(String.format(Locale.ROOT, "input: %s (%s, %d points", in.path(), in.kind(), in.pointsUsed()));
        if (!in.skipped().isEmpty()) {
            sb.append(", ").append(in.skipped().size()).append(" skipped");
        }
        if (!in.dropped().isEmpty()) {
            sb.append(", ").append(in.dropped().size()).append(" dropped by ").append(in.dropped().get(0).reason());
        }
        sb.append(")\n");
        String what = in.kind().equals(InputProvenance.KIND_RESULTS_DIR)
                ? "N = " + s.paramConvention() + " params, C = " + s.flopConvention() + " FLOPs"
                : "columns " + in.columns();
        sb.append(String.format(Locale.ROOT, "settings: %s, %d bootstrap refits (seed %d), %.0f%% percentile intervals%n",
                what, s.bootstrap(), s.seed(), 100 * s.ciLevel()));
        String lvl = String.format(Locale.ROOT, "%.0f%% interval", 100 * s.ciLevel());
        if (r.ranking() != null) {
            sb.append('\n').append(r.ranking().describe());
        }

        ParametricResult p3 = r.approach3();
        if (p3 != null) {
            sb.append("\napproach 3: L(N, D) = E + A/N^alpha + B/D^beta (Chinchilla D.2: Huber delta ")
                    .append(Numbers.sig4(p3.huberDelta())).append(" on log loss, summed; L-BFGS from ")
                    .append(p3.diagnostics().startsTotal()).append(" starts)\n");
            TextTable t = new TextTable("  ", "quantity", "value", lvl);
            Object[][] rows = {{"E", p3.E()}, {"A", p3.A()}, {"B", p3.B()}, {"alpha", p3.alpha()},
                {"beta", p3.beta()}, {"a", p3.a()}, {"b", p3.b()}, {"G", p3.G()}};
            for (Object[] row : rows) {
                t.row(row[0], row[1], Numbers.interval(p3.ci().get((String) row[0])));
            }
            sb.append(t);
            OptimizerDiagnostics d = p3.diagnostics();
            sb.append(String.format(Locale.ROOT, "  objective %.8g on %d points; %d/%d starts converged, %d reached the "
                    + "best; best: %d iterations, gradient %.2g (%s)%n", p3.objective(), p3.nPoints(),
                    d.startsConverged(), d.startsTotal(), d.startsAtBest(), d.iterations(), d.gradientNorm(),
                    d.stopReason()));
            sb.append(String.format(Locale.ROOT, "  a, b, G: Chinchilla's closed form under C = 6ND (N_opt = G (C/6)^a), "
                    + "the large-model limit; 'predict' allocates under C = D x F(N) (%s)%n", r.curve().source()));
            if (in.lossFloor() != null) {
                sb.append(String.format(Locale.ROOT, "  E against the Markov language's exact loss floor on these windows, "
                        + "%.4f: %+.2f%%; against its entropy rate, %.4f: %+.2f%%%n", in.lossFloor(),
                        100 * (p3.E() / in.lossFloor() - 1), in.entropyRate(), 100 * (p3.E() / in.entropyRate() - 1)));
            }
        }
        ParametricResult p3b = r.approach3Bounded();
        if (p3b != null) {
            sb.append(bounded(p3b, lvl, s.bootstrap()));
        }
        IsoFlopResult p2 = r.approach2();
        if (p2 != null) {
            String how = p2.curve() == null ? "parabolas over every size"
                    : IsoFlopSettings.parse(p2.curve(), p2.window()).describe();
            sb.append("\napproach 2: IsoFLOP profiles in ln N and ln D, ").append(how).append(" (budgets: ")
                    .append(p2.budgetRule()).append(")\n");
            TextTable t = new TextTable("  ", "C", "points", "sizes", "fitted", "N_opt", "D_opt", "loss_opt", "used",
                    "note");
            for (IsoFlopResult.Budget b : p2.budgets()) {
                t.row(b.flops(), String.valueOf(b.nPoints()), String.valueOf(b.nSizes()),
                        String.valueOf(b.fittedSizes()), b.nOpt(), b.dOpt(),
                        b.lossOpt(), b.used() ? "yes" : "no", b.reason() == null ? "" : (b.edge() ? "edge: " : "")
                                + b.reason());
            }
            sb.append(t);
            sb.append(String.format(Locale.ROOT, "  N_opt ~ C^a: a = %.4f %s;  D_opt ~ C^b: b = %.4f %s  (%d budgets)%n",
                    p2.a(), Numbers.interval(p2.ci().get("a")), p2.b(), Numbers.interval(p2.ci().get("b")),
                    p2.budgetsUsed()));
        }
        EnvelopeResult p1 = r.approach1();
        if (p1 != null) {
            sb.append(String.format(Locale.ROOT, "%napproach 1: lower envelope of %d training curves at %d FLOP values "
                    + "(%d used, edge points left out)%n", p1.runsUsed(), p1.gridPoints(), p1.envelopePointsUsed()));
            sb.append(String.format(Locale.ROOT, "  N_opt ~ C^a: a = %.4f %s;  D_opt ~ C^b: b = %.4f %s%n", p1.a(),
                    Numbers.interval(p1.ci().get("a")), p1.b(), Numbers.interval(p1.ci().get("b"))));
        }
        KaplanResult k = r.kaplan();
        if (k != null) {
            sb.append("\nkaplan: L(X) = (X_c/X)^alpha_X").append(k.irreducible() ? " + E" : "")
                    .append(" on each Pareto frontier; joint L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D\n");
            TextTable t = new TextTable("  ", "law", "alpha", lvl, "X_c", lvl + " ", "E", "points");
            for (Map.Entry<String, KaplanLaw> e : k.laws().entrySet()) {
                KaplanLaw l = e.getValue();
                t.row("L(" + e.getKey() + ")", l.alpha(), Numbers.interval(k.ci().get("alpha_" + e.getKey())),
                        l.scale(), Numbers.interval(k.ci().get(e.getKey() + "_c")), l.offset(),
                        String.valueOf(l.nPoints()));
            }
            KaplanJointLaw j = k.joint();
            t.row("joint alpha_N", j.alphaN(), Numbers.interval(k.ci().get("joint_alpha_N")), j.nC(),
                    Numbers.interval(k.ci().get("joint_N_c")), "", "");
            t.row("joint alpha_D", j.alphaD(), Numbers.interval(k.ci().get("joint_alpha_D")), j.dC(),
                    Numbers.interval(k.ci().get("joint_D_c")), "", "");
            sb.append(t);
            k.notes().forEach(n -> sb.append("  note: ").append(n).append('\n'));
        }
        if (r.lossCurvature() != null && r.lossCurvature().unsupportedFromN() != null) {
            sb.append('\n').append(r.lossCurvature().describe());
        }
        if (r.notFitted() != null) {
            sb.append('\n');
            r.notFitted().forEach((a, why) -> sb.append("not fitted: ").append(a).append(": ").append(why).append('\n'));
        }
        return sb.toString();
    }

    /** The bounded variant of approach 3: its box, weighting, law with intervals, and every bound it hit. */
    static String bounded(ParametricResult p, String lvl, int replicates) {
        StringBuilder sb = new StringBuilder();
        sb.append("\napproach 3, bounded (OLMo-core's ladder fit: ");
        List<String> box = new java.util.ArrayList<>();
        p.bounds().forEach((k, b) -> box.add(k + " in [" + Numbers.sig4(b[0]) + ", " + Numbers.sig4(b[1]) + "]"));
        sb.append(String.join(", ", box)).append("; weights ").append(p.weighting()).append("; box L-BFGS from ")
                .append(p.diagnostics().startsTotal()).append(" starts)\n");
        TextTable t = new TextTable("  ", "quantity", "value", lvl);
        Object[][] rows = {{"E", p.E()}, {"A", p.A()}, {"B", p.B()}, {"alpha", p.alpha()}, {"beta", p.beta()},
            {"a", p.a()}, {"b", p.b()}, {"G", p.G()}};
        for (Object[] row : rows) {
            t.row(row[0], row[1], Numbers.interval(p.ci().get((String) row[0])));
        }
        sb.append(t);
        OptimizerDiagnostics d = p.diagnostics();
        sb.append(String.format(Locale.ROOT, "  objective %.8g on %d points (weighted); %d/%d starts converged, %d "
                + "reached the best (%s)%n", p.objective(), p.nPoints(), d.startsConverged(), d.startsTotal(),
                d.startsAtBest(), d.stopReason()));
        if (p.boundsHit().isEmpty()) {
            sb.append("  bounds hit: none (the optimum is inside the box)\n");
        } else {
            sb.append("  bounds hit: ").append(String.join(", ", p.boundsHit().stream()
                    .map(h -> h.parameter() + " at its " + h.side() + " bound " + Numbers.sig4(h.bound())).toList()))
                    .append(" (the data do not determine it: the value is the box's, not the runs')\n");
        }
        if (p.bootstrapBoundsHit() != null && !p.bootstrapBoundsHit().isEmpty()) {
            List<String> counts = new java.util.ArrayList<>();
            p.bootstrapBoundsHit().forEach((k, n) -> counts.add(k.replace('_', ' ') + " " + n));
            sb.append("  bootstrap refits on a bound (of ").append(replicates).append("): ")
                    .append(String.join(", ", counts)).append('\n');
        }
        return sb.toString();
    }

    public static String predictions(List<Prediction> ps, double level) {
        StringBuilder sb = new StringBuilder();
        String lvl = String.format(Locale.ROOT, "%.0f%% interval", 100 * level);
        for (Prediction p : ps) {
            sb.append(p.approach()).append(p.recommended() ? " (recommended)" : "");
            if (p.params() == null) {
                sb.append(" at C = ").append(Numbers.sig4(p.flops()));
            } else {
                sb.append(" at N = ").append(Numbers.sig4(p.params())).append(", D = ")
                        .append(Numbers.sig4(p.tokens())).append(" (C = 6ND = ").append(Numbers.sig4(p.flops()))
                        .append(")");
            }
            sb.append('\n');
            TextTable t = new TextTable("  ", "quantity", "value", lvl);
            Object[][] rows = {{"N_opt", p.nOpt()}, {"D_opt", p.dOpt()}, {"tokens_per_param", p.tokensPerParam()},
                {"loss", p.loss()}};
            int shown = 0;
            for (Object[] row : rows) {
                if (row[1] != null && !(p.params() != null && row[0].equals("tokens_per_param"))) {
                    t.row(row[0], row[1], Numbers.interval(p.ci() == null ? null : p.ci().get((String) row[0])));
                    shown++;
                }
            }
            if (shown > 0) {
                sb.append(t);
            }
            if (p.note() != null) {
                sb.append("  ").append(p.note()).append('\n');
            }
        }
        return sb.toString();
    }

    public static String validation(ValidationReport v) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s fitted on %d runs (C <= %s), predicting %d held-out runs (%s, C >= %s)%n",
                v.approach(), v.split().trainRuns(), Numbers.sig4(v.split().trainMaxC()), v.split().testRuns(),
                v.holdout(), Numbers.sig4(v.split().testMinC())));
        TextTable t = new TextTable("  ", "run", "N", "D", "measured", "predicted",
                String.format(Locale.ROOT, "%.0f%% prediction interval", 100 * v.level()), "rel error", "inside");
        for (ValidationReport.RunError e : v.runs()) {
            t.row(e.id(), e.params(), e.tokens(), e.measured(), e.predicted(),
                    Numbers.interval(new double[] {e.low(), e.high()}),
                    String.format(Locale.ROOT, "%+.2f%%", 100 * e.relError()), e.inside() ? "yes" : "no");
        }
        sb.append(t);
        sb.append("  ").append(summary(v.summary())).append('\n');
        if (!v.rolling().isEmpty()) {
            sb.append("rolling origin (fit budgets up to C, predict the next):\n");
            TextTable r = new TextTable("  ", "train up to C", "test C", "train runs", "test runs", "mean |rel error|",
                    "coverage");
            for (ValidationReport.Origin o : v.rolling()) {
                if (o.summary() == null) {
                    r.row(o.trainMaxBudget(), o.testBudget(), String.valueOf(o.trainRuns()),
                            String.valueOf(o.testRuns()), "failed: " + o.error(), "");
                } else {
                    r.row(o.trainMaxBudget(), o.testBudget(), String.valueOf(o.trainRuns()),
                            String.valueOf(o.testRuns()),
                            String.format(Locale.ROOT, "%.2f%%", 100 * o.summary().meanAbsRelError()),
                            String.format(Locale.ROOT, "%.0f%%", 100 * o.summary().coverage()));
                }
            }
            sb.append(r);
            if (v.rollingCoverage() != null) {
                ValidationReport.Summary c = v.rollingCoverage();
                sb.append(String.format(Locale.ROOT, "  all origins: %d predictions, mean |rel error| %.2f%%, %.0f%% "
                        + "inside their %.0f%% interval%n", c.n(), 100 * c.meanAbsRelError(), 100 * c.coverage(),
                        100 * v.level()));
            }
        }
        if (v.check() != null) {
            sb.append(check(v.check()));
        }
        return sb.toString();
    }

    /** A summary of prediction errors in one line. */
    static String summary(ValidationReport.Summary s) {
        return String.format(Locale.ROOT, "mean |rel error| %.2f%%, coverage %.0f%%", 100 * s.meanAbsRelError(),
                100 * s.coverage());
    }

    private static String checkSummaryLine(String name, CheckValidation.Summary s) {
        return String.format(Locale.ROOT, "  %s: mean |rel error| %.2f%%, largest %.2f%%, %d of %d inside%n", name,
                100 * s.meanAbsRelError(), 100 * s.maxAbsRelError(), Math.round(s.coverage() * s.n()), s.n());
    }

    /** The console lines of a check. */
    public static String check(CheckValidation.Report r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "check at C = %s (%sx the design's largest "
                + "budget, sizes centred on %s's N_opt = %s), %s:%n", Numbers.sig4(r.budget()),
                Numbers.sig4(r.computeFactor()), r.centredBy(), Numbers.sig4(r.centredNOpt()), r.interval()));
        List<String> names = r.summary().keySet().stream().toList();
        List<String> head = new ArrayList<>(List.of("run", "N", "D", "measured"));
        names.forEach(n -> head.addAll(List.of(n, "interval", "error")));
        TextTable t = new TextTable("  ", head.toArray(String[]::new));
        for (CheckValidation.Run run : r.runs()) {
            String id = run.id() + (Boolean.TRUE.equals(run.beyondSupport()) ? " *" : "");
            List<Object> row = new ArrayList<>(List.of(id, run.params(), run.tokens(), run.measured()));
            for (String n : names) {
                CheckValidation.Predicted p = run.predicted().get(n);
                row.add(p.predicted());
                row.add(Numbers.interval(new double[] {p.low(), p.high()}) + (p.inside() ? "" : " out"));
                row.add(String.format(Locale.ROOT, "%+.2f%%", 100 * p.relError()));
            }
            t.row(row.toArray());
        }
        sb.append(t);
        r.summary().forEach((n, s) -> sb.append(checkSummaryLine(n, s)));
        if (r.unsupportedFromN() != null) {
            sb.append(String.format(Locale.ROOT, "  * N >= %s: beyond the design's support (its losses there still fall "
                    + "faster with each doubling of D; fits.json's loss_curvature)%n", Numbers.sig4(r.unsupportedFromN())));
            if (r.summaryWithinSupport() != null) {
                r.summaryWithinSupport().forEach((n, s) -> sb.append(checkSummaryLine(n + " within the support", s)));
            }
        }
        CheckValidation.Profile p = r.profile();
        sb.append(String.format(Locale.ROOT, "  measured profile: %s (best run %s, N %s, loss %.4f)%n",
                p.interior() ? String.format(Locale.ROOT, "minimum inside the sizes trained, N %s, loss %.4f",
                        Numbers.sig4(p.nMin()), p.lossMin()) : "no interior minimum: " + p.reason(),
                p.bestRun(), Numbers.sig4(p.bestN()), p.bestLoss()));
        r.computeOptimal().forEach((n, o) -> sb.append(String.format(Locale.ROOT, "  %s compute-optimal: N_opt %s, "
                + "D_opt %s%s%n", n, Numbers.sig4(o.nOpt()), Numbers.sig4(o.dOpt()), o.loss() == null ? ""
                        : String.format(Locale.ROOT, ", loss %.4f (%+.2f%% against the best run)", o.loss(),
                                100 * o.relToBest()))));
        return sb.toString();
    }
}
