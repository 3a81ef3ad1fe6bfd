package org.scalinglab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.scalinglab.fit.approach.Approach;
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
import org.scalinglab.fit.law.LossCurvature;
import org.scalinglab.fit.law.Ranking;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.fit.uncertainty.Prediction;
import org.scalinglab.fit.uncertainty.Predictor;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Hashing;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.RunFolder;

/** The report's tables, built from {@link ReportData}: runs, fits, predictions, validation, provenance. */
final class Tables {
    /** Multiples of the sweep's largest compute at which the prediction table extrapolates. */
    static final double[] PREDICTION_MULTIPLES = {1, 10, 100};

    private final ReportData data;

    Tables(ReportData data) {
        this.data = data;
    }

    // ------------------------------------------------------------------ runs

    Table runs() {
        String nName = "N (" + data.paramKey().replace('_', '-') + ")";
        Table t = new Table("runs", "Runs", "N, D and C as the fit reads them: C in the " + data.flopKey()
                + " convention. Loss in nats per token.", "run", "folder", "shape", nName, "D", "C", "D/N", "budget",
                "status", "final val loss", "final train loss", "wall s");
        List<ReportRun> sorted = new ArrayList<>(data.runs());
        sorted.sort(Comparator.comparingDouble((ReportRun r) -> PlotData.nanLast(budgetOrC(r)))
                .thenComparingDouble(r -> PlotData.nanLast(data.n(r))).thenComparing(ReportRun::path));
        for (ReportRun r : sorted) {
            double n = data.n(r);
            double d = r.tokens();
            String status = r.status() + (r.message().isEmpty() || r.completed() ? "" : ": " + r.message());
            t.row(r.id(), r.path(), r.shape(), n, d, data.c(r), d / n, r.budget(), status, r.finalValLoss(),
                    r.finalTrainLoss(), r.wallSeconds());
        }
        return t;
    }

    private double budgetOrC(ReportRun r) {
        double b = r.budget();
        return Double.isFinite(b) ? b : data.c(r);
    }

    // ------------------------------------------------------------------ fits

    /** Each size's log-log slopes over D and curvature; null without a fit or a size at three token counts. */
    Table curvature() {
        LossCurvature c = data.fit() == null ? null : data.fit().lossCurvature();
        if (c == null) {
            return null;
        }
        Table t = new Table("curvature", "Loss curvature per size", "Every L(N, D) fitted here makes ln L convex in "
                + "ln D at a fixed N: the loss falls ever more slowly per doubling of D. A size whose losses fall "
                + "faster (curvature below -" + (int) LossCurvature.Z + " standard errors) is still in early training; "
                + (c.unsupportedFromN() == null ? "no size is." : "from N = " + Numbers.sig4(c.unsupportedFromN())
                        + " predictions beyond the data are not supported by it."),
                "N", "D", "-dlnL/dlnD between them", "curvature", "z", "verdict");
        for (LossCurvature.Size s : c.sizes()) {
            List<String> d = new ArrayList<>();
            for (double v : s.tokens()) {
                d.add(Numbers.sig4(v));
            }
            t.row(s.params(), String.join(", ", d), s.slopesText(), String.format(Locale.ROOT, "%.4f",
                    s.curvature()), s.z() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.z()),
                    s.z() == null ? "untested" : s.accelerating() ? "falls faster: early training" : "law's shape");
        }
        return t;
    }

    /** The laws ranked by backtest, the recommended law first ({@code fits.json}'s ranking). */
    Table ranking() {
        FitReport fit = data.fit();
        Ranking r = fit == null ? null : fit.ranking();
        Table t = new Table("ranking", "Which law to trust", fit == null ? data.fitSource() : r == null
                ? "The fit predates the law ranking; refit (scalinglab fit) to rank its laws."
                : (r.recommended() == null ? "No law is recommended: " + r.verdict() + ". " : "Recommended: "
                        + r.recommended() + ". ") + "Rule: " + r.rule() + ".",
                "rank", "law", "mean |rel error|", "coverage", "held-out runs", "origins", "exponents", "note");
        if (r == null) {
            return t;
        }
        for (Ranking.Entry e : r.laws()) {
            t.row(e.rank() == null ? "-" : e.rank() + (e.recommended() ? " (recommended)" : ""), e.law(),
                    e.meanAbsRelError() == null ? null : Numbers.percent(e.meanAbsRelError()),
                    e.coverage() == null ? null : Numbers.percent(e.coverage()), e.heldOutRuns(), e.origins(),
                    e.identified() ? "identified" : "unidentified: " + String.join("; ", e.unidentified()),
                    e.note() == null ? Boolean.FALSE.equals(e.covers()) ? "undercovers" : "" : e.note());
        }
        return t;
    }

    Table fits() {
        FitReport fit = data.fit();
        String lvl = data.levelText() + " interval";
        Table t = new Table("fits", "Fitted laws", fit == null ? data.fitSource()
                : "Percentile intervals from " + (fit.settings() == null ? "?" : fit.settings().bootstrap())
                        + " bootstrap refits. a and b are the exponents of N_opt ~ C^a and D_opt ~ C^b.",
                "approach", "quantity", "value", lvl, "note");
        if (fit == null) {
            return t;
        }
        ParametricResult p3 = fit.approach3();
        if (p3 != null) {
            String law = "L = E + A/N^alpha + B/D^beta";
            Object[][] rows = {{"E", p3.E()}, {"A", p3.A()}, {"B", p3.B()}, {"alpha", p3.alpha()}, {"beta", p3.beta()},
                {"a", p3.a()}, {"b", p3.b()}, {"G", p3.G()}};
            for (Object[] r : rows) {
                t.row("approach 3", r[0], r[1], interval(p3.ci(), (String) r[0]), r[0].equals("E") ? law : "");
            }
            t.row("approach 3", "objective", p3.objective(), "", p3.nPoints() + " points, Huber delta "
                    + Numbers.sig4(p3.huberDelta()));
        }
        IsoFlopResult p2 = fit.approach2();
        if (p2 != null) {
            t.row("approach 2", "a", p2.a(), interval(p2.ci(), "a"), p2.budgetsUsed() + " of " + p2.budgets().size()
                    + " budgets used");
            t.row("approach 2", "b", p2.b(), interval(p2.ci(), "b"), "");
            if (p2.nOptLaw() != null) {
                t.row("approach 2", "N_opt coefficient", p2.nOptLaw().coefficient(), interval(p2.ci(), "N_coefficient"),
                        "N_opt = k C^a");
            }
            if (p2.lossOptLaw() != null) {
                t.row("approach 2", "loss_opt exponent", p2.lossOptLaw().exponent(), interval(p2.ci(), "loss_exponent"),
                        "loss_opt = k C^g, no irreducible term");
            }
        }
        EnvelopeResult p1 = fit.approach1();
        if (p1 != null) {
            t.row("approach 1", "a", p1.a(), interval(p1.ci(), "a"), p1.runsUsed() + " curves, "
                    + p1.envelopePointsUsed() + " of " + p1.gridPoints() + " envelope points used");
            t.row("approach 1", "b", p1.b(), interval(p1.ci(), "b"), "");
        }
        KaplanResult k = fit.kaplan();
        if (k != null) {
            if (k.laws() != null) {
                for (Map.Entry<String, KaplanLaw> e : k.laws().entrySet()) {
                    KaplanLaw l = e.getValue();
                    String v = e.getKey();
                    t.row(Approach.KAPLAN.key(), "alpha_" + v, l.alpha(), interval(k.ci(), "alpha_" + v), "L(" + v + ") = (" + v
                            + "_c/" + v + ")^alpha" + (k.irreducible() ? " + E" : "") + ", " + l.nPoints()
                            + " frontier points");
                    t.row(Approach.KAPLAN.key(), v + "_c", l.scale(), interval(k.ci(), v + "_c"), "");
                }
            }
            KaplanJointLaw j = k.joint();
            if (j != null) {
                t.row(Approach.KAPLAN.key(), "joint alpha_N", j.alphaN(), interval(k.ci(), "joint_alpha_N"),
                        "L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D");
                t.row(Approach.KAPLAN.key(), "joint alpha_D", j.alphaD(), interval(k.ci(), "joint_alpha_D"), "");
                t.row(Approach.KAPLAN.key(), "joint N_c", j.nC(), interval(k.ci(), "joint_N_c"), "");
                t.row(Approach.KAPLAN.key(), "joint D_c", j.dC(), interval(k.ci(), "joint_D_c"), "");
            }
            if (k.notes() != null) {
                k.notes().forEach(n -> t.row(Approach.KAPLAN.key(), "note", "", "", n));
            }
        }
        if (fit.notFitted() != null) {
            fit.notFitted().forEach((a, why) -> t.row(a, "not fitted", "", "", why));
        }
        return t;
    }

    /** Approach 2's budgets: the IsoFLOP minima with their intervals and the edge flags. */
    Table budgets() {
        IsoFlopResult p2 = data.fit() == null ? null : data.fit().approach2();
        Table t = new Table("budgets", "Approach 2: IsoFLOP minima per budget", p2 == null ? null
                : "Budgets: " + p2.budgetRule() + ". Profiles: " + (p2.curve() == null ? "parabolas over every size"
                        : IsoFlopSettings.parse(p2.curve(), p2.window()).describe())
                        + ". Edge minima are left out of the power laws.",
                "C", "runs", "sizes", "fitted", "N_opt", data.levelText(), "D_opt", "loss_opt", "used", "note");
        if (p2 == null) {
            return t;
        }
        for (IsoFlopResult.Budget b : p2.budgets()) {
            t.row(b.flops(), b.nPoints(), b.nSizes(), b.fittedSizes(), b.nOpt(), interval(b.ci(), "N_opt"), b.dOpt(),
                    b.lossOpt(),
                    b.used() ? "yes" : "no", b.reason() == null ? "" : (b.edge() ? "edge: " : "") + b.reason());
        }
        return t;
    }

    // ------------------------------------------------------------------ predictions

    Table predictions() {
        double cMax = data.computeRange()[1];
        Table t = new Table("predictions", "Predictions", "From the fit, at the sweep's largest compute (" + Numbers.sig4(cMax)
                + ") and 10x and 100x beyond it; intervals from the bootstrap samples in fits.json.",
                "C", "x largest", "approach", "N_opt", "D_opt", "D/N", "loss", "note");
        if (data.fit() == null || !(cMax > 0)) {
            return t;
        }
        Predictor p = new Predictor(data.fit());
        for (double m : PREDICTION_MULTIPLES) {
            for (Prediction q : p.atCompute(cMax * m)) {
                t.row(q.flops(), Numbers.sig4(m), q.approach(), withInterval(q.nOpt(), q.ci(), "N_opt"),
                        withInterval(q.dOpt(), q.ci(), "D_opt"), q.tokensPerParam(),
                        withInterval(q.loss(), q.ci(), "loss"), shortNote(q.note()));
            }
        }
        return t;
    }

    private static String shortNote(String note) {
        if (note == null) {
            return "";
        }
        int semi = note.indexOf("; extrapolates");
        return semi < 0 ? note : note.substring(0, semi);
    }

    // ------------------------------------------------------------------ validation

    Table heldOut() {
        ValidationReport v = data.validation();
        Table t = new Table("validation", "Held-out validation", v == null ? data.validationSource()
                : v.approach() + " fitted on " + v.split().trainRuns() + " runs (C <= " + Numbers.sig4(v.split().trainMaxC())
                        + "), predicting " + v.split().testRuns() + " held out (" + v.holdout() + "); "
                        + Math.round(100 * v.level()) + " % " + v.interval() + ".",
                "run", "N", "D", "C", "measured", "predicted", "interval", "rel error", "inside");
        if (v == null) {
            return t;
        }
        for (ValidationReport.RunError e : v.runs()) {
            t.row(e.id(), e.params(), e.tokens(), e.flops(), e.measured(), e.predicted(),
                    Numbers.interval(new double[] {e.low(), e.high()}),
                    String.format(Locale.ROOT, "%+.2f %%", 100 * e.relError()), e.inside() ? "yes" : "no");
        }
        return t;
    }

    Table rolling() {
        ValidationReport v = data.validation();
        Table t = new Table("rolling", "Rolling-origin validation", "Fit on budgets up to C, predict the next budget.",
                "budgets fitted", "train up to C", "test C", "train runs", "test runs", "mean |rel error|", "coverage");
        if (v == null || v.rolling() == null) {
            return t;
        }
        for (ValidationReport.Origin o : v.rolling()) {
            if (o.summary() == null) {
                t.row(o.trainBudgets(), o.trainMaxBudget(), o.testBudget(), o.trainRuns(), o.testRuns(),
                        "failed: " + o.error(), "");
            } else {
                t.row(o.trainBudgets(), o.trainMaxBudget(), o.testBudget(), o.trainRuns(), o.testRuns(),
                        String.format(Locale.ROOT, "%.2f %%", 100 * o.summary().meanAbsRelError()),
                        String.format(Locale.ROOT, "%.0f %%", 100 * o.summary().coverage()));
            }
        }
        if (v.rollingCoverage() != null) {
            ValidationReport.Summary c = v.rollingCoverage();
            t.row("all origins", "", "", "", c.n(), String.format(Locale.ROOT, "%.2f %%", 100 * c.meanAbsRelError()),
                    String.format(Locale.ROOT, "%.0f %%", 100 * c.coverage()));
        }
        return t;
    }

    // ------------------------------------------------------------------ provenance

    Table provenance(String generatedAt, String tool) {
        Table t = new Table("provenance", "Provenance", "Distinct values across the run folders, with how many runs "
                + "have each.", "what", "value");
        t.row("report generated", generatedAt + " by " + tool);
        t.row("results folder", data.resultsDir().toAbsolutePath().normalize().toString());
        Map<String, Long> statuses = new TreeMap<>();
        data.runs().forEach(r -> statuses.merge(r.status(), 1L, Long::sum));
        t.row("runs", data.runs().size() + " (" + join(statuses) + ")");
        t.row("scalinglab git commit", distinct(r -> {
            JsonNode p = r.provenance();
            String c = p.path("git_commit").asText("");
            return c.isEmpty() ? "" : c + (p.path("git_dirty").asBoolean(false) ? " (uncommitted changes)" : "");
        }));
        t.row("scalinglab version", distinct(r -> r.provenance().path("scalinglab_version").asText("")));
        t.row("Java", distinct(r -> r.provenance().path("java").asText("")));
        t.row("DJL", distinct(r -> r.provenance().path("djl").asText("")));
        t.row("libtorch", distinct(r -> {
            String v = r.provenance().path("libtorch").asText("");
            String f = r.provenance().path("libtorch_flavor").asText("");
            return v.isEmpty() ? "" : v + (f.isEmpty() ? "" : " (" + f + ")");
        }));
        t.row("device", distinct(ReportRun::device));
        t.row("GPU", distinct(r -> {
            String g = r.provenance().path("gpu").asText("");
            String drv = r.provenance().path("gpu_driver").asText("");
            return g.isEmpty() ? "" : g + (drv.isEmpty() ? "" : ", driver " + drv);
        }));
        t.row("CPU", distinct(r -> {
            String cpu = r.provenance().path("cpu").asText("");
            int cores = r.provenance().path("cores").asInt(0);
            return cpu.isEmpty() ? "" : cpu + (cores > 0 ? ", " + cores + " cores" : "");
        }));
        t.row("host", distinct(r -> r.provenance().path("host").asText("")));
        t.row("precision", distinct(ReportRun::precision));
        t.row("data fingerprint (SHA-256)", distinct(r -> {
            String sha = r.dataSha256();
            String name = r.dataName();
            return sha.isEmpty() ? "" : sha + (name.isEmpty() ? "" : " (" + name + ")");
        }));
        FitReport fit = data.fit();
        if (fit == null) {
            t.row("fit", data.fitSource());
        } else {
            t.row("fit", data.fitSource());
            if (data.fitFile() != null && Files.isRegularFile(data.fitFile())) {
                t.row("fits.json SHA-256", Hashing.sha256(data.fitFile()));
            }
            t.row("fit created", (fit.createdAt() == null ? "-" : fit.createdAt()) + " by "
                    + (fit.tool() == null ? "-" : fit.tool()) + " (" + fit.schema() + ")");
            InputProvenance in = fit.inputs();
            if (in != null) {
                t.row("fit inputs", in.kind() + " " + in.path() + ", " + in.pointsUsed() + " points"
                        + (in.sha256() == null ? "" : ", SHA-256 " + in.sha256())
                        + (in.skipped() == null || in.skipped().isEmpty() ? "" : ", " + in.skipped().size() + " skipped")
                        + (in.dropped() == null || in.dropped().isEmpty() ? "" : ", " + in.dropped().size() + " dropped"));
                t.row("fit inputs vs run folders", inputsCheck(in));
            }
            FitSettings s = fit.settings();
            if (s != null) {
                t.row("fit settings", String.format(Locale.ROOT, "approach %s; N = %s params, C = %s FLOPs; drop highest "
                        + "%d; %d bootstrap refits (%s, seed %d); %.0f %% percentile intervals; Huber delta %s; %s",
                        s.approach(), s.paramConvention(), s.flopConvention(), s.dropHighest(), s.bootstrap(),
                        s.generator(), s.seed(), 100 * s.ciLevel(), Numbers.sig4(s.huberDelta()),
                        s.allocationConvention()));
            }
        }
        ValidationReport v = data.validation();
        t.row("validation", data.validationSource() + (v == null ? "" : " (created " + v.createdAt() + ", "
                + v.approach() + ", holdout " + v.holdout() + ")"));
        return t;
    }

    /** Approach 3's optimiser diagnostics and each approach's wall time: what makes a fit trustworthy. */
    Table diagnostics() {
        FitReport fit = data.fit();
        Table t = new Table("diagnostics", "Fit diagnostics", null, "what", "value");
        if (fit == null) {
            return t;
        }
        ParametricResult p3 = fit.approach3();
        if (p3 != null && p3.diagnostics() != null) {
            OptimizerDiagnostics d = p3.diagnostics();
            t.row("approach 3 optimiser", String.format(Locale.ROOT, "L-BFGS from %d starts: %d converged, %d reached "
                    + "the best objective; best start #%d: %d iterations, %d evaluations, gradient norm %.2g (stop: %s)",
                    d.startsTotal(), d.startsConverged(), d.startsAtBest(), d.bestStartIndex(), d.iterations(),
                    d.evaluations(), d.gradientNorm(), d.stopReason()));
        }
        for (var e : List.of(entry(Approach.PARAMETRIC.label(), p3 == null ? null : p3.bootstrap()),
                entry(Approach.ISOFLOP.label(), fit.approach2() == null ? null : fit.approach2().bootstrap()),
                entry(Approach.ENVELOPE.label(), fit.approach1() == null ? null : fit.approach1().bootstrap()),
                entry(Approach.KAPLAN.key(), fit.kaplan() == null ? null : fit.kaplan().bootstrap()))) {
            if (e.getValue() != null) {
                t.row(e.getKey() + " bootstrap", e.getValue().succeeded() + " of " + e.getValue().replicates()
                        + " refits succeeded; resampling " + e.getValue().resampling() + "; " + e.getValue().method());
            }
        }
        if (fit.seconds() != null) {
            StringBuilder sb = new StringBuilder();
            fit.seconds().forEach((k, s) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(Numbers.sig4(s)).append(" s"));
            t.row("fit wall time", sb.toString());
        }
        return t;
    }

    private static <V> Map.Entry<String, V> entry(String k, V v) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(k, v);
    }

    /** Whether the result.json files the fit read are still the ones in the folder (by SHA-256). */
    private String inputsCheck(InputProvenance in) {
        if (in.runs() == null || in.runs().isEmpty()) {
            return in.kind().equals(InputProvenance.KIND_CSV) ? "a CSV: not compared with run folders"
                    : "no per-run hashes recorded";
        }
        int same = 0;
        List<String> changed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (InputProvenance.RunRef ref : in.runs()) {
            Path f = new RunFolder(data.resultsDir().resolve(ref.path())).resultJson();
            if (!Files.isRegularFile(f)) {
                missing.add(ref.runId());
            } else if (Hashing.sha256(f).equals(ref.sha256())) {
                same++;
            } else {
                changed.add(ref.runId());
            }
        }
        long completedNow = data.completed().size();
        StringBuilder sb = new StringBuilder();
        sb.append(same).append(" of ").append(in.runs().size()).append(" result.json files match the hashes in fits.json");
        if (!changed.isEmpty()) {
            sb.append("; changed since the fit: ").append(String.join(", ", changed));
        }
        if (!missing.isEmpty()) {
            sb.append("; not in this folder: ").append(String.join(", ", missing));
        }
        if (completedNow > in.runs().size()) {
            sb.append("; ").append(completedNow - in.runs().size()).append(" completed runs are newer than the fit");
        }
        return sb.toString();
    }

    private String distinct(Function<ReportRun, String> f) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ReportRun r : data.runs()) {
            String v = f.apply(r);
            if (v != null && !v.isEmpty()) {
                counts.merge(v, 1L, Long::sum);
            }
        }
        if (counts.isEmpty()) {
            return "-";
        }
        if (counts.size() == 1) {
            var e = counts.entrySet().iterator().next();
            return e.getKey() + (data.runs().size() > 1 ? " (" + (e.getValue() == data.runs().size() ? "all "
                    : "") + e.getValue() + " runs)" : "");
        }
        return join(counts);
    }

    private static String join(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, n) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append(": ").append(n));
        return sb.toString();
    }

    private static String interval(Map<String, double[]> ci, String key) {
        double[] v = ci == null ? null : ci.get(key);
        return v == null ? "-" : Numbers.interval(v);
    }

    private static String withInterval(Double v, Map<String, double[]> ci, String key) {
        if (v == null) {
            return "-";
        }
        double[] iv = ci == null ? null : ci.get(key);
        return Numbers.sig4(v) + (iv == null || !Double.isFinite(iv[0]) ? "" : " " + Numbers.interval(iv));
    }
}
