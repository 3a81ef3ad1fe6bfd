package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.HuberLogLoss;
import org.scalinglab.fit.optim.Lbfgs;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.fit.optim.Parallel;
import org.scalinglab.fit.optim.StartGrid;

/**
 * Approach 3: fits L(N, D) = E + A/N^alpha + B/D^beta exactly as Chinchilla's appendix D.2 describes
 * (log-sum-exp form, Huber loss with delta 1e-3 on log loss summed over points, L-BFGS from every start
 * of {@link StartGrid#chinchilla()}, the best kept). Immutable; the starts run in parallel and the best
 * is chosen by value, ties by start index, so the answer does not depend on thread timing.
 *
 * <p>Bootstrap refits do not rerun the whole grid (4,500 starts times 1,000 resamples is too slow):
 * each resample is refitted from the full-sample optimum, the grid start that reached it, and the best
 * grid starts of up to {@code extraRefitStarts} other distinct end points, so a resample that prefers
 * another basin can still find it. {@code ParametricFitTest} checks this against the full grid.
 */
public final class ParametricFit {
    public static final double CHINCHILLA_HUBER_DELTA = 1e-3;
    /** The fewest runs the law is fitted to; holdout validation keeps at least these for training. */
    public static final int MIN_POINTS = 6;
    /** Fewer distinct N (or D) cannot separate A/N^alpha (or B/D^beta) from E. */
    static final int MIN_DISTINCT = 3;

    private final double huberDelta;
    private final StartGrid grid;
    private final Lbfgs optimizer;
    private final int threads;
    private final int extraRefitStarts;

    private ParametricFit(double huberDelta, StartGrid grid, Lbfgs optimizer, int threads, int extraRefitStarts) {
        this.huberDelta = huberDelta;
        this.grid = grid;
        this.optimizer = optimizer;
        this.threads = threads;
        this.extraRefitStarts = extraRefitStarts;
    }

    public static ParametricFit chinchilla() {
        return new ParametricFit(CHINCHILLA_HUBER_DELTA, StartGrid.chinchilla(), Lbfgs.standard(),
                Parallel.defaultThreads(), 3);
    }

    public ParametricFit withGrid(StartGrid g) {
        return new ParametricFit(huberDelta, g, optimizer, threads, extraRefitStarts);
    }

    public ParametricFit withOptimizer(Lbfgs o) {
        return new ParametricFit(huberDelta, grid, o, threads, extraRefitStarts);
    }

    public ParametricFit withThreads(int n) {
        return new ParametricFit(huberDelta, grid, optimizer, Math.max(1, n), extraRefitStarts);
    }

    public ParametricFit withExtraRefitStarts(int n) {
        return new ParametricFit(huberDelta, grid, optimizer, threads, Math.max(0, n));
    }

    public StartGrid grid() {
        return grid;
    }

    public double huberDelta() {
        return huberDelta;
    }

    public Lbfgs optimizer() {
        return optimizer;
    }

    public ParametricResult fit(RunTable table) {
        int n = table.size();
        requireIdentifiable(table, "approach 3");
        HuberLogLoss objective = HuberLogLoss.of(table.params(), table.tokens(), table.losses(), huberDelta);
        List<double[]> starts = grid.starts();
        List<Lbfgs.Result> runs = Parallel.map(starts.size(), threads,
                i -> optimizer.minimize(objective, starts.get(i)));
        int best = OptimizerDiagnostics.best(runs);
        if (best < 0) {
            throw new ScalingLabException(ExitCode.FIT, "approach 3: no start gave a finite objective",
                    "check the table for zero or negative N, D or loss");
        }
        Lbfgs.Result r = runs.get(best);
        ParametricLaw law = ParametricLaw.fromLogParameters(r.x());
        if (!(law.alpha() > 0 && law.beta() > 0)) {
            throw new ScalingLabException(ExitCode.FIT, String.format(java.util.Locale.ROOT,
                    "approach 3's best fit has alpha = %.4g and beta = %.4g: a non-positive exponent is outside "
                            + "the physical range (the loss would not fall with N or D), so it is no scaling law",
                    law.alpha(), law.beta()), "check that the losses fall with both N and D across the runs");
        }
        if (!(Double.isFinite(law.E()) && Double.isFinite(law.A()) && Double.isFinite(law.B()))) {
            // the fit lives in log parameters; a coefficient beyond a double means its term is a step, not a power law
            throw new ScalingLabException(ExitCode.FIT, String.format(java.util.Locale.ROOT,
                    "approach 3's best fit has alpha = %.4g and beta = %.4g with A = %.4g and B = %.4g: a term "
                            + "whose coefficient overflows is a step in N or D, not a power law the runs identify",
                    law.alpha(), law.beta(), law.A(), law.B()),
                    "check the runs' losses against N and D (a learning rate that differs between sizes can make "
                            + "one size an outlier); approach 2 and Kaplan's laws do not depend on it");
        }
        double[] res = objective.residuals(r.x());
        List<ParametricResult.Residual> residuals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RunPoint p = table.get(i);
            residuals.add(new ParametricResult.Residual(p.id(), p.params(), p.tokens(), p.loss(),
                    p.loss() * Math.exp(res[i]), res[i]));
        }
        return ParametricResult.of(law, r.value(), n, huberDelta,
                OptimizerDiagnostics.of(runs, best, starts.get(best), optimizer), residuals,
                refitStarts(runs, starts, best));
    }

    /** Enough runs, N and D for the five parameters; both parametric fits ask the same of a table. */
    static void requireIdentifiable(RunTable table, String name) {
        int n = table.size();
        if (n < MIN_POINTS) {
            throw new ScalingLabException(ExitCode.FIT,
                    name + " needs at least " + MIN_POINTS + " runs to fit 5 parameters, got " + n,
                    "add runs, or use --approach 2 or kaplan");
        }
        long sizes = distinct(table.params());
        long lengths = distinct(table.tokens());
        if (sizes < MIN_DISTINCT || lengths < MIN_DISTINCT) {
            throw new ScalingLabException(ExitCode.FIT, name + " needs at least " + MIN_DISTINCT
                    + " distinct N and " + MIN_DISTINCT + " distinct D to tell A/N^alpha and B/D^beta from E, got "
                    + sizes + " distinct N and " + lengths + " distinct D in " + n + " runs",
                    "vary both the model size and the tokens (an IsoFLOP or grid design)");
        }
    }

    private List<double[]> refitStarts(List<Lbfgs.Result> runs, List<double[]> starts, int best) {
        return refitStarts(runs, starts, best, extraRefitStarts);
    }

    /**
     * The optimum, the start that reached it, then the best start of each of up to {@code extra} other
     * distinct end points: the starts a bootstrap refit runs from.
     */
    static List<double[]> refitStarts(List<Lbfgs.Result> runs, List<double[]> starts, int best, int extra) {
        List<double[]> picked = new ArrayList<>();
        picked.add(runs.get(best).x().clone());
        picked.add(starts.get(best).clone());
        List<double[]> ends = new ArrayList<>();
        ends.add(runs.get(best).x());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (Double.isFinite(runs.get(i).value())) {
                order.add(i);
            }
        }
        order.sort((i, j) -> {
            int c = Double.compare(runs.get(i).value(), runs.get(j).value());
            return c != 0 ? c : Integer.compare(i, j);
        });
        for (int i : order) {
            if (picked.size() >= 2 + extra) {
                break;
            }
            double[] end = runs.get(i).x();
            if (ends.stream().noneMatch(e -> distance(e, end) < 1e-3)) {
                ends.add(end);
                picked.add(starts.get(i).clone());
            }
        }
        return picked;
    }

    /** Distinct values, equal within a relative 1e-9 (the same size written twice). */
    static long distinct(double[] v) {
        return Arrays.stream(v).map(x -> Math.rint(Math.log(x) * 1e9)).distinct().count();
    }

    private static double distance(double[] u, double[] v) {
        double m = 0;
        for (int i = 0; i < u.length; i++) {
            m = Math.max(m, Math.abs(u[i] - v[i]) / Math.max(1, Math.abs(u[i])));
        }
        return m;
    }

    /** Refits one weighted resample from the given starts; the best law, or null if none is finite. */
    Lbfgs.Result refit(RunTable table, double[] weights, List<double[]> starts) {
        HuberLogLoss objective = HuberLogLoss.weighted(table.params(), table.tokens(), table.losses(), weights,
                huberDelta);
        Lbfgs.Result best = null;
        for (double[] s : starts) {
            Lbfgs.Result r = optimizer.minimize(objective, s);
            if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                best = r;
            }
        }
        return best;
    }

    /** Percentile intervals for every fitted quantity, resampling runs with replacement. */
    public ParametricResult bootstrap(RunTable table, ParametricResult fit, Bootstrap bs) {
        if (!bs.enabled()) {
            return fit;
        }
        int[][] counts = bs.resampleCounts(table.size());
        List<Lbfgs.Result> refits = Parallel.map(counts.length, threads,
                r -> refit(table, Bootstrap.weights(counts[r]), fit.refitStarts()));
        Bootstrap.Samples samples = bs.samples(ParametricLaw.SAMPLED);
        for (int r = 0; r < counts.length; r++) {
            Lbfgs.Result res = refits.get(r);
            samples.put(r, res == null ? null : ParametricLaw.fromLogParameters(res.x()).sampled());
        }
        return fit.withBootstrap(samples.intervals(), samples.summary("runs", fit.refitStarts().size()));
    }
}
