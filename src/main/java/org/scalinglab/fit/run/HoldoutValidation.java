package org.scalinglab.fit.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.approach.KaplanFit;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.uncertainty.PredictionInterval;
import org.scalinglab.fit.uncertainty.ValidationReport;

/**
 * Fits approach 3 (or Kaplan's joint law) on the smaller-compute runs and predicts the held-out larger
 * ones. The interval is a bootstrap <em>prediction</em> interval: each bootstrap law's prediction times
 * the exponential of a log residual drawn from the training fit, so it covers the scatter of single runs,
 * not just the uncertainty of the law. The held-out set is the top budget ({@code top-budget}) or the
 * given fraction of runs with the most compute. Rolling origins fit on budgets 1..k and test budget k+1
 * for every k >= 2 that leaves enough runs to fit.
 */
public final class HoldoutValidation {
    private final Approach approach;
    private final String holdout;
    private final FitSettings settings;
    private final ParametricFit parametric;

    public HoldoutValidation(Approach approach, String holdout, FitSettings settings) {
        this(approach, holdout, settings, ParametricFit.chinchilla());
    }

    private HoldoutValidation(Approach approach, String holdout, FitSettings settings, ParametricFit parametric) {
        if (approach != Approach.PARAMETRIC && approach != Approach.PARAMETRIC_BOUNDED && approach != Approach.KAPLAN) {
            throw new ScalingLabException(ExitCode.USAGE, "validate predicts a run's loss from L(N, D), which only "
                    + "approach 3 and kaplan model (3, 3b or kaplan); got --approach " + approach.option(),
                    "use --approach 3, 3b or kaplan");
        }
        parseHoldout(holdout);
        this.approach = approach;
        this.holdout = holdout;
        this.settings = settings.withApproach(approach).withGrid(parametric.grid().describe());
        this.parametric = parametric.withExtraRefitStarts(settings.extraRefitStarts());
    }

    public HoldoutValidation withParametricFit(ParametricFit p) {
        return new HoldoutValidation(approach, holdout, settings, p);
    }

    /** The holdout of the largest budget (else a fraction of the runs with the most compute). */
    public static final String TOP_BUDGET = "top-budget";

    /** Negative for top-budget, else the fraction. */
    public static double parseHoldout(String h) {
        if (h.equalsIgnoreCase(TOP_BUDGET)) {
            return -1;
        }
        try {
            double f = Double.parseDouble(h);
            if (f > 0 && f < 1) {
                return f;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the usage error
        }
        throw new ScalingLabException(ExitCode.USAGE, "--holdout '" + h + "' is neither top-budget nor a fraction in (0, 1)",
                "e.g. --holdout top-budget or --holdout 0.2");
    }

    public ValidationReport validate(RunTable table) {
        table = table.dropHighest(settings.dropHighest());
        BudgetGrouping.Assignment groups = BudgetGrouping.assign(table);
        double frac = parseHoldout(holdout);
        boolean[] test = new boolean[table.size()];
        if (frac < 0) {
            if (groups.count() < 2) {
                throw new ScalingLabException(ExitCode.FIT, "--holdout top-budget needs at least 2 budgets, found "
                        + groups.count() + " (" + groups.rule() + ")", "use --holdout <fraction>");
            }
            for (int i = 0; i < test.length; i++) {
                test[i] = groups.groupOfPoint()[i] == groups.count() - 1;
            }
        } else {
            int k = Math.max(1, (int) Math.ceil(frac * table.size()));
            Integer[] order = new Integer[table.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            RunTable t = table;
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -t.get(i).flops()).thenComparing(i -> i));
            for (int j = 0; j < k; j++) {
                test[order[j]] = true;
            }
        }
        List<RunPoint> train = new ArrayList<>();
        List<RunPoint> held = new ArrayList<>();
        for (int i = 0; i < test.length; i++) {
            (test[i] ? held : train).add(table.get(i));
        }
        List<ValidationReport.RunError> errs = predict(table.withPoints(train), held);
        ValidationReport.Split split = new ValidationReport.Split(train.size(), held.size(),
                train.stream().mapToDouble(RunPoint::flops).max().orElse(Double.NaN),
                held.stream().mapToDouble(RunPoint::flops).min().orElse(Double.NaN));

        Rolling r = rolling(table, groups);
        return new ValidationReport(ValidationReport.SCHEMA, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                approach.key(), holdout, settings.ciLevel(),
                PredictionInterval.DESCRIPTION,
                split, ValidationReport.Summary.of(errs), errs, r.origins(),
                r.pooled().isEmpty() ? null : ValidationReport.Summary.of(r.pooled()), null, table.provenance(), settings);
    }

    /** The rolling origins and their held-out runs' errors pooled over all of them. */
    public record Rolling(List<ValidationReport.Origin> origins, List<ValidationReport.RunError> pooled) {
        /** The origins that predicted (an origin whose fit failed tested nothing). */
        public int tested() {
            return (int) origins.stream().filter(o -> o.summary() != null).count();
        }
    }

    /**
     * The law ranking's backtest: origins that fit on budgets 1..k and predict every larger budget, not
     * just the next, so that a law is also judged at the longest horizon the sweep allows (its use is to
     * extrapolate 10x). No top-budget split. With 3 budgets this is the rolling origin itself.
     */
    public Rolling backtest(RunTable table) {
        table = table.dropHighest(settings.dropHighest());
        return rolling(table, BudgetGrouping.assign(table), true);
    }

    private Rolling rolling(RunTable table, BudgetGrouping.Assignment groups) {
        return rolling(table, groups, false);
    }

    private Rolling rolling(RunTable table, BudgetGrouping.Assignment groups, boolean everyLater) {
        List<ValidationReport.Origin> rolling = new ArrayList<>();
        List<ValidationReport.RunError> pooled = new ArrayList<>();
        // an origin needs two budgets to fit on: from one alone the law is not identifiable
        for (int k = 2; k < groups.count(); k++) {
            final int kk = k;
            List<RunPoint> tr = new ArrayList<>();
            List<RunPoint> te = new ArrayList<>();
            for (int i = 0; i < table.size(); i++) {
                int g = groups.groupOfPoint()[i];
                if (g < kk) {
                    tr.add(table.get(i));
                } else if (g == kk || everyLater) {
                    te.add(table.get(i));
                }
            }
            if (tr.size() < minTrainRuns()) {
                continue;
            }
            ValidationReport.Summary s = null;
            String error = null;
            try {
                List<ValidationReport.RunError> e = predict(table.withPoints(tr), te);
                pooled.addAll(e);
                s = ValidationReport.Summary.of(e);
            } catch (ScalingLabException e) {
                error = e.getMessage();
            }
            rolling.add(new ValidationReport.Origin(kk, groups.budgets()[kk - 1], groups.budgets()[kk], tr.size(),
                    te.size(), s, error));
        }
        return new Rolling(List.copyOf(rolling), List.copyOf(pooled));
    }

    private int minTrainRuns() {
        return approach == Approach.KAPLAN ? KaplanFit.MIN_POINTS : ParametricFit.MIN_POINTS;
    }

    private List<ValidationReport.RunError> predict(RunTable train, List<RunPoint> held) {
        if (train.size() < minTrainRuns()) {
            throw new ScalingLabException(ExitCode.FIT, "only " + train.size() + " runs below the held-out compute, need "
                    + minTrainRuns(), "hold out fewer runs, or add smaller runs");
        }
        // the fit the fit command makes, of this approach alone; the table has had its highest dropped already
        FitReport fit = new FitRunner(settings.withDropHighest(0)).withParametricFit(parametric).withoutRanking()
                .run(train);
        Law.Joint law = Laws.of(fit).stream().filter(l -> l.key().equals(approach.key()))
                .filter(Law.Joint.class::isInstance).map(Law.Joint.class::cast).findFirst()
                .orElseThrow(() -> new ScalingLabException(ExitCode.FIT, "the " + approach.key() + " fit below the "
                        + "held-out compute gives no L(N, D)", "add smaller runs"));
        PredictionInterval interval = PredictionInterval.of(law, train, settings.ciLevel());
        List<ValidationReport.RunError> out = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(settings.seed() ^ 0x5EEDL);
        for (RunPoint p : held) {
            double pred = law.loss(p.params(), p.tokens());
            double[] lohi = interval.at(p.params(), p.tokens(), rng);
            double err = pred - p.loss();
            out.add(new ValidationReport.RunError(p.id(), p.params(), p.tokens(), p.flops(), p.loss(), pred, lohi[0],
                    lohi[1], Math.abs(err), err / p.loss(), p.loss() >= lohi[0] && p.loss() <= lohi[1]));
        }
        return out;
    }
}
