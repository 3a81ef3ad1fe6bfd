package org.scalinglab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.text.Numbers;

/**
 * The tables of a study's own stages: the learning-rate tuning and the check beyond the design, each
 * asked for only when the study has that stage.
 */
final class StudyTables {
    private final ReportData data;

    StudyTables(ReportData data) {
        this.data = data;
    }

    Table tuning() {
        LrTuning.Result r = data.tuning();
        Table t = new Table("tuning", "Learning-rate tuning", "Each size's best learning rate at its tuning budget; "
                + "the rule " + r.describe() + " set every design and check run's learning rate.", "budget", "N",
                "runs", "best lr", "loss there", "note");
        for (LrTuning.Size s : r.sizes()) {
            t.row(s.budget(), s.params(), s.points().size(), String.format(Locale.ROOT, "%.4g", s.lrOpt()),
                    String.format(Locale.ROOT, "%.4f", s.lossOpt()), s.reason() == null ? "" : s.reason());
        }
        return t;
    }

    Table check() {
        CheckValidation.Report r = data.check();
        List<String> names = List.copyOf(r.summary().keySet());
        List<String> head = new ArrayList<>(List.of("run", "N", "D", "measured", "± se"));
        names.forEach(n -> head.addAll(List.of(StudyFigures.label(n), "interval", "error")));
        Table t = new Table("check", "Check beyond the design", String.format(
                Locale.ROOT, "C = %s, %sx the design's largest budget, sizes centred on %s's N_opt = %s; %s. "
                        + "Compute-optimal at this budget: %s.%s", Numbers.sig4(r.budget()),
                Numbers.sig4(r.computeFactor()), StudyFigures.label(r.centredBy()), Numbers.sig4(r.centredNOpt()),
                r.interval(), optima(r), support(r)), head.toArray(String[]::new));
        for (CheckValidation.Run run : r.runs()) {
            String id = run.id() + (Boolean.TRUE.equals(run.beyondSupport()) ? " *" : "");
            List<Object> row = new ArrayList<>(List.of(id, run.params(), run.tokens(),
                    String.format(Locale.ROOT, "%.4f", run.measured()), run.measuredSe() == null ? "-"
                            : String.format(Locale.ROOT, "%.4f", run.measuredSe())));
            for (String n : names) {
                CheckValidation.Predicted p = run.predicted().get(n);
                row.add(String.format(Locale.ROOT, "%.4f", p.predicted()));
                row.add(Numbers.interval(new double[] {p.low(), p.high()}) + (p.inside() ? "" : " outside"));
                row.add(String.format(Locale.ROOT, "%+.2f %%", 100 * p.relError()));
            }
            t.row(row.toArray());
        }
        return t;
    }

    /** The support note: which runs lie where the design's losses are still concave in ln D. */
    private static String support(CheckValidation.Report r) {
        if (r.unsupportedFromN() == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" * N >= " + Numbers.sig4(r.unsupportedFromN()) + ": beyond the design's "
                + "support (see the loss curvature table).");
        if (r.summaryWithinSupport() != null) {
            r.summaryWithinSupport().forEach((n, s) -> sb.append(String.format(Locale.ROOT, " %s within the support: "
                    + "mean |rel error| %.2f %%, %d of %d inside.", StudyFigures.label(n), 100 * s.meanAbsRelError(),
                    Math.round(s.coverage() * s.n()), s.n())));
        }
        return sb.toString();
    }

    private static String optima(CheckValidation.Report r) {
        List<String> parts = new ArrayList<>();
        r.computeOptimal().forEach((n, o) -> parts.add(StudyFigures.label(n) + " N_opt " + Numbers.sig4(o.nOpt())
                + (o.loss() == null ? "" : String.format(Locale.ROOT, ", loss %.4f (%+.2f %% against the best run)",
                        o.loss(), 100 * o.relToBest()))));
        parts.add(String.format(Locale.ROOT, "best run N %s, loss %.4f; measured profile %s",
                Numbers.sig4(r.profile().bestN()), r.profile().bestLoss(), r.profile().interior()
                        ? "minimum inside the sizes trained, at N " + Numbers.sig4(r.profile().nMin())
                        : "without an interior minimum (" + r.profile().reason() + ")"));
        return String.join("; ", parts);
    }
}
