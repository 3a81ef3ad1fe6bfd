package org.scalinglab.fit.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.ToolVersion;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BoundedParametricFit;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.approach.EnvelopeFit;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.IsoFlopFit;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanFit;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.law.LossCurvature;
import org.scalinglab.fit.law.Ranking;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.Parallel;
import org.scalinglab.fit.uncertainty.ValidationReport;

/**
 * Runs the approaches a {@link FitSettings} asks for on a table, each followed by its bootstrap, and
 * assembles the {@link FitReport}. With {@code all}, an approach the data cannot support (approach 1
 * without training curves, approach 2 without two usable budgets) is recorded under {@code not_fitted}
 * instead of failing the whole command; an approach asked for by name fails loudly.
 *
 * <p>Approach 3 is fitted twice: Chinchilla's D.2 ({@code approach3}, the law the other commands use)
 * and the bounded, compute-weighted variant ({@code approach3_bounded}), which is fitted even when D.2's
 * answer is refused (that is when it is needed) and never fails the command: it is a companion, not an
 * approach asked for (and so left out of a backtest's fits, {@link #withoutRanking}).
 */
public final class FitRunner {
    /** fits.json's key of the bounded variant of approach 3 (in {@code seconds} and {@code not_fitted} too). */
    public static final String BOUNDED_KEY = Approach.PARAMETRIC_BOUNDED.key();

    private final FitSettings settings;
    private final ParametricFit parametric;
    private final BoundedParametricFit bounded;
    private final int threads;
    private final boolean rank;

    public FitRunner(FitSettings settings) {
        this(settings, ParametricFit.chinchilla(), BoundedParametricFit.ladder(), Parallel.defaultThreads(), true);
    }

    private FitRunner(FitSettings settings, ParametricFit parametric, BoundedParametricFit bounded, int threads,
            boolean rank) {
        this.settings = settings.withGrid(parametric.grid().describe());
        this.parametric = parametric.withExtraRefitStarts(settings.extraRefitStarts()).withThreads(threads);
        this.bounded = bounded.withExtraRefitStarts(settings.extraRefitStarts()).withThreads(threads);
        this.threads = threads;
        this.rank = rank;
    }

    /** A smaller start grid, for tests that are not about the grid. */
    public FitRunner withParametricFit(ParametricFit p) {
        return new FitRunner(settings, p, bounded, threads, rank);
    }

    /**
     * The fit a backtest makes on part of the table: no ranking (it would recurse), and only the
     * approach asked for (approach 3 without its bounded companion, which is backtested on its own).
     */
    public FitRunner withoutRanking() {
        return new FitRunner(settings, parametric, bounded, threads, false);
    }

    public FitSettings settings() {
        return settings;
    }

    public FitReport run(RunTable table) {
        table = table.dropHighest(settings.dropHighest());
        Approach requested = settings.approach();
        Bootstrap bs = settings.bootstrapper();
        ParametricResult a3 = null;
        ParametricResult a3b = null;
        IsoFlopResult a2 = null;
        EnvelopeResult a1 = null;
        KaplanResult k = null;
        Map<String, String> notFitted = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<Approach> todo = requested.expand();
        for (Approach a : todo) {
            long t0 = System.nanoTime();
            try {
                switch (a) {
                    case PARAMETRIC -> a3 = parametric.bootstrap(table, parametric.fit(table), bs);
                    case PARAMETRIC_BOUNDED -> a3b = bounded.bootstrap(table, bounded.fit(table), bs);
                    case ISOFLOP -> {
                        IsoFlopFit f = new IsoFlopFit(settings.isoFlop());
                        a2 = f.bootstrap(table, f.fit(table), bs);
                    }
                    case ENVELOPE -> {
                        EnvelopeFit f = new EnvelopeFit(settings.envelopeGridPoints());
                        a1 = f.bootstrap(table, f.fit(table), bs);
                    }
                    case KAPLAN -> {
                        KaplanFit f = new KaplanFit(settings.irreducible()).withThreads(threads);
                        k = f.bootstrap(table, f.fit(table), bs);
                    }
                    default -> throw new IllegalStateException(a.toString());
                }
            } catch (ScalingLabException e) {
                if (todo.size() == 1 || e.exitCode() != ExitCode.FIT) {
                    throw e;
                }
                notFitted.put(a.key(), e.getMessage());
            }
            seconds.put(a.key(), Math.round((System.nanoTime() - t0) / 1e6) / 1e3);
            if (a == Approach.PARAMETRIC && rank) {
                long t1 = System.nanoTime();
                try {
                    a3b = bounded.bootstrap(table, bounded.fit(table), bs);
                } catch (ScalingLabException e) {
                    if (e.exitCode() != ExitCode.FIT) {
                        throw e;
                    }
                    notFitted.put(BOUNDED_KEY, e.getMessage());
                }
                seconds.put(BOUNDED_KEY, Math.round((System.nanoTime() - t1) / 1e6) / 1e3);
            }
        }
        if (todo.stream().allMatch(a -> notFitted.containsKey(a.key()))) {
            throw new ScalingLabException(ExitCode.FIT, "no approach could be fitted: " + String.join("; ",
                    notFitted.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()),
                    "check the runs table: sizes, budgets and losses");
        }
        FitReport report = new FitReport(FitReport.SCHEMA, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                ToolVersion.label(), table.provenance(), settings, stamped(table.curve()), table.maxFlops(), a3, a2, a1, k,
                LossCurvature.of(table), notFitted.isEmpty() ? null : notFitted, seconds, null, null, a3b);
        if (!rank) {
            return report;
        }
        long t0 = System.nanoTime();
        Ranking ranking = Ranking.rank(Laws.of(report), backtests(report, table), settings.ciLevel());
        seconds.put("ranking", Math.round((System.nanoTime() - t0) / 1e6) / 1e3);
        return report.withRanking(ranking);
    }

    /**
     * Each law with a loss at any (N, D) backtested on origins that predict every larger budget (the table
     * already dropped).
     */
    private Map<String, Ranking.Backtest> backtests(FitReport report, RunTable table) {
        Map<String, Ranking.Backtest> out = new LinkedHashMap<>();
        for (Law law : Laws.of(report)) {
            if (!law.hasJoint()) {
                continue;
            }
            Approach a = Approach.parse(law.key());
            HoldoutValidation v = new HoldoutValidation(a, HoldoutValidation.TOP_BUDGET, settings.withDropHighest(0))
                    .withParametricFit(parametric);
            HoldoutValidation.Rolling r = v.backtest(table);
            if (r.pooled().isEmpty()) {
                String why = r.origins().isEmpty() ? BudgetGrouping.assign(table).count() + " budgets leave no rolling "
                        + "origin (it needs 2 budgets to fit on and 1 to predict)"
                        : "every origin's fit failed: " + r.origins().get(0).error();
                out.put(law.key(), Ranking.Backtest.none(why));
            } else {
                ValidationReport.Summary s = ValidationReport.Summary.of(r.pooled());
                out.put(law.key(), new Ranking.Backtest(r.tested(), s.n(), s.meanAbsRelError(), s.coverage(), null));
            }
        }
        return out;
    }

    /** The curve labelled with the conventions its N and F are counted in: the fit's. */
    private FlopsCurve stamped(FlopsCurve c) {
        return new FlopsCurve(settings.paramConvention(), settings.flopConvention(), c.source(), c.points());
    }
}
