package org.scalinglab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.LossCurvature;
import org.scalinglab.fit.law.Ranking;
import org.scalinglab.fit.uncertainty.Prediction;
import org.scalinglab.fit.uncertainty.Predictor;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.SweepFolder;
import org.scalinglab.text.Numbers;

/**
 * What a study found, in the lines {@code run} ends with and the report opens with: the law to trust
 * (or that there is none) with its backtest, its held-out error and coverage, its prediction at 10x
 * the largest budget with the interval, the sizes the data support, the laws the data do not
 * identify (a finding, not a failure), the learning rate the design used, and any design run that
 * flagged itself against the tune runs.
 *
 * @param designFlagged design runs far worse than their size's tune runs; null when not compared
 */
public record StudyVerdict(FitReport fit, ValidationReport validation, LrTuning.Result tuning, Integer designCompared,
        Integer designFlagged) {
    /** The budget of the headline prediction, as a multiple of the largest fitted budget. */
    public static final double FACTOR = 10;

    /** The verdict of the study in folder dir: its tuning.json and design-vs-tune.json where present. */
    public static StudyVerdict of(Path dir, FitReport fit, ValidationReport validation) {
        Path tuning = new SweepFolder(dir).tuningJson();
        Path design = new SweepFolder(dir).designVsTuneJson();
        Integer compared = null;
        Integer flagged = null;
        if (Files.isRegularFile(design)) {
            JsonNode d = Json.readTree(design);
            compared = d.path("compared").size();
            flagged = d.path("flagged").size();
        }
        return new StudyVerdict(fit, validation, Files.isRegularFile(tuning) ? Json.read(tuning, LrTuning.Result.class)
                : null, compared, flagged);
    }

    public List<String> lines() {
        List<String> out = new ArrayList<>();
        Ranking r = fit.ranking();
        String rec = fit.recommended();
        if (r == null) {
            out.add("recommended law: none (the fit predates the law ranking: refit to rank its laws)");
        } else if (rec == null) {
            out.add("recommended law: none; " + r.verdict());
        } else {
            Ranking.Entry e = r.entry(rec);
            out.add(String.format(Locale.ROOT, "recommended law: %s (backtest on the sweep's own budgets: mean |rel "
                    + "error| %s, %s of %d held-out runs inside their %s intervals, %d origin%s; ranked first of %d)",
                    rec, pct(e.meanAbsRelError()), e.coverage() == null ? "n/a" : Numbers.percent(e.coverage()),
                    e.heldOutRuns(), Numbers.percent(r.level()), e.origins(), e.origins() == 1 ? "" : "s",
                    r.laws().stream().filter(x -> x.rank() != null).count()));
        }
        if (validation != null && validation.summary() != null) {
            ValidationReport.Summary s = validation.summary();
            out.add(String.format(Locale.ROOT, "held out (%s, the largest budget from C = %s): %s mean |rel error| "
                    + "%s, %d of %d inside their %s intervals", validation.holdout(),
                    Numbers.sci(validation.split().testMinC()), validation.approach(), pct(s.meanAbsRelError()),
                    Math.round(s.coverage() * s.n()), s.n(), Numbers.percent(validation.level())));
        }
        // the recommended law's 10x prediction; without one, the best-ranked law's, marked as not to be trusted
        String best = rec != null ? rec : r == null ? null : r.laws().stream().filter(e -> e.rank() != null)
                .map(Ranking.Entry::law).findFirst().orElse(null);
        Prediction p = best == null || !Double.isFinite(fit.maxFittedFlops()) ? null
                : new Predictor(fit).atCompute(FACTOR * fit.maxFittedFlops(), best);
        if (p != null) {
            out.add(String.format(Locale.ROOT, "at %sx (C = %s), %s: N_opt %s %s, D_opt %s %s, loss %s %s",
                    Numbers.plain(FACTOR), Numbers.sci(p.flops()), rec != null ? rec : best
                            + " (ranked first, not recommended: its exponents are not identified)",
                    Numbers.sig4(p.nOpt()), ci(p, "N_opt", false),
                    Numbers.sig4(p.dOpt()), ci(p, "D_opt", false), p.loss() == null ? "n/a"
                            : String.format(Locale.ROOT, "%.4f", p.loss()), ci(p, "loss", true)));
        }
        LossCurvature lc = fit.lossCurvature();
        if (lc != null) {
            out.add(lc.unsupportedFromN() == null
                    ? "sizes the data support: every size trained (the loss-curvature check flags none)"
                    : String.format(Locale.ROOT, "sizes the data support: below N = %s (from there the losses still "
                            + "fall faster with each doubling of D: early training)", Numbers.sig4(lc.unsupportedFromN())));
        }
        if (r != null) {
            List<String> unidentified = r.laws().stream().filter(e -> !e.identified() && e.unidentified() != null)
                    .map(e -> e.law() + " (" + String.join("; ", e.unidentified()) + ")").toList();
            if (!unidentified.isEmpty()) {
                out.add("not identified by these data (a finding; these laws are reported, never recommended): "
                        + String.join(", ", unidentified));
            }
        }
        if (tuning != null) {
            out.add("learning rate: " + tuning.describe());
        }
        if (designFlagged != null) {
            out.add(String.format(Locale.ROOT, "design against tune: %d of %d design runs flagged as far worse than "
                    + "their size's tune runs", designFlagged, designCompared));
        }
        return out;
    }

    private static String pct(Double v) {
        return v == null || !Double.isFinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String ci(Prediction p, String key, boolean plain) {
        double[] v = p.ci() == null ? null : p.ci().get(key);
        if (v == null || !Double.isFinite(v[0]) || !Double.isFinite(v[1])) {
            return "(no interval)";
        }
        return plain ? String.format(Locale.ROOT, "[%.4f, %.4f]", v[0], v[1])
                : "[" + Numbers.sig4(v[0]) + ", " + Numbers.sig4(v[1]) + "]";
    }
}
