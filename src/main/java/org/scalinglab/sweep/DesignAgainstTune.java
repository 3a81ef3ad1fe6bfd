package org.scalinglab.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.sweep.RunsTable.RunState;
import org.scalinglab.text.Numbers;

/**
 * Each design run against the tune runs of its size: a run of the same shape with at least as much
 * compute should end no worse than the best tune run of that shape. One that ends far worse (by more
 * than {@link #TOLERANCE} nats plus 3 standard errors of the difference) flags itself: its lr, or a
 * diverging step, or a kernel path made it an outlier that would bend the fit (the audit saw an L6
 * run end at 2.379 where the docs' run ended at 2.133, after a rule extrapolated the lr to twice
 * what was tuned). Written to {@code design-vs-tune.json}; {@code run}'s summary names the flagged.
 */
public final class DesignAgainstTune {
    public static final String FILE = SweepFolder.DESIGN_VS_TUNE_JSON;
    /** Seed (0.007) and CPU kernel-path (0.011) noise of one run, added: what two runs may differ by. */
    public static final double TOLERANCE = 0.02;

    private DesignAgainstTune() {}

    /** One design run beside the best tune run of its shape at a budget no larger than its own. */
    @JsonPropertyOrder({"id", "label", "N", "budget", "loss", "tune_id", "tune_budget", "tune_loss", "excess",
        "allowed", "flagged"})
    public record Comparison(String id, String label, @JsonProperty("N") double params, double budget, double loss,
            String tuneId, double tuneBudget, double tuneLoss, double excess, double allowed, boolean flagged) {
        public String describe() {
            return String.format(Locale.ROOT, "%s (C %s) ended at %.4f, %.4f nats above the best tune run of its size "
                    + "(%.4f at C %s; allowed %.4f)", label, Numbers.sci(budget), loss, excess, tuneLoss,
                    Numbers.sci(tuneBudget), allowed);
        }
    }

    @JsonPropertyOrder({"tolerance", "compared", "flagged"})
    public record Report(double tolerance, List<Comparison> compared, List<Comparison> flagged) {}

    /** What the comparison needs of a finished run: its N, budget and final loss with its standard error. */
    public record Run(String id, String label, double params, double budget, double loss, double se) {
        /** A completed run with a budget and a finite loss, else null. */
        static Run of(RunState s) {
            if (s.result() == null || !s.result().completed() || s.info() == null || s.info().budget() == null) {
                return null;
            }
            Double loss = s.result().losses().finalValLoss();
            if (loss == null || !Double.isFinite(loss)) {
                return null;
            }
            Double se = s.result().losses().finalValLossSe();
            return new Run(s.id(), s.label(), s.plan().paramsUsed(), s.info().budget(), loss,
                    se == null || !Double.isFinite(se) ? 0 : se);
        }
    }

    public static Report compareStates(List<RunState> tune, List<RunState> design) {
        return compare(tune.stream().map(Run::of).filter(java.util.Objects::nonNull).toList(),
                design.stream().map(Run::of).filter(java.util.Objects::nonNull).toList());
    }

    public static Report compare(List<Run> tune, List<Run> design) {
        List<Comparison> all = new ArrayList<>();
        for (Run d : design) {
            Run best = null;
            for (Run t : tune) {
                if (t.params() == d.params() && t.budget() <= d.budget() * (1 + 1e-9)
                        && (best == null || t.loss() < best.loss())) {
                    best = t;
                }
            }
            if (best == null) {
                continue;
            }
            double allowed = TOLERANCE + 3 * Math.hypot(d.se(), best.se());
            double excess = d.loss() - best.loss();
            all.add(new Comparison(d.id(), d.label(), d.params(), d.budget(), d.loss(), best.id(), best.budget(),
                    best.loss(), excess, allowed, excess > allowed));
        }
        return new Report(TOLERANCE, all, all.stream().filter(Comparison::flagged).toList());
    }
}
