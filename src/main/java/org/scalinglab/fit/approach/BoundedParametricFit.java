package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.BoxLbfgs;
import org.scalinglab.fit.optim.HuberLogLoss;
import org.scalinglab.fit.optim.Lbfgs;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.fit.optim.Parallel;
import org.scalinglab.fit.optim.StartGrid;

/**
 * Approach 3 as OLMo-core's model-ladder fit does it ({@code model_ladder/analysis/scaling_laws.py},
 * {@code ChinchillaParametricFit}): the same law L(N, D) = E + A/N^alpha + B/D^beta and the same Huber
 * (delta 1e-3) on log loss, but inside a box, with the larger budgets weighted up. Chinchilla's
 * unbounded D.2 procedure ({@link ParametricFit}) reproduces published fits; on a study's own few
 * noisy runs it is ill-posed (alpha 6187 with A = Infinity; bootstrap intervals like [-64, 132]).
 * Here:
 * <ul>
 *   <li>E in [min(1e-3, L_min/1000), L_min]: the irreducible loss cannot exceed the lowest loss observed
 *       (the ladder's bound is [0, L_min]; 0 has no logarithm, and the fit works in log E);</li>
 *   <li>alpha, beta in [0.01, 2] and A, B in [1e-10, 1e10]: the ladder's bounds;</li>
 *   <li>each point weighted by sqrt(6ND), normalised to mean 1 ({@link Weighting}), so the runs nearest
 *       the budgets the law is extrapolated to count most;</li>
 *   <li>a box-constrained L-BFGS ({@link BoxLbfgs}) from the ladder's kind of grid, 3^5 = 243 starts;</li>
 *   <li>an optimum on the box is reported, never hidden: {@code bounds_hit} lists each parameter at a
 *       bound, and the bootstrap counts the refits that ended on each.</li>
 * </ul>
 * Immutable; starts run in parallel and the best is chosen by value, ties by start index. The bootstrap
 * refits each resample from a few starts, as {@link ParametricFit} does, with each resample's own
 * L_min as E's upper bound (as the ladder refits each resample from scratch).
 */
public final class BoundedParametricFit {
    /** How each run counts in the objective; the weights are normalised to mean 1. */
    public enum Weighting {
        /** Every run alike (Chinchilla's D.2). */
        UNIFORM("uniform"),
        /** sqrt(C), C = 6ND: the ladder's documented choice ("weight by sqrt(compute)"). */
        SQRT_COMPUTE("sqrt(6ND)"),
        /** C = 6ND: the ladder script's current default (its own FLOPs F), one decade of C = ten times the weight. */
        COMPUTE("6ND");

        private final String label;

        Weighting(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        double of(double n, double d) {
            return switch (this) {
                case UNIFORM -> 1;
                case SQRT_COMPUTE -> Math.sqrt(6 * n * d);
                case COMPUTE -> 6 * n * d;
            };
        }
    }

    /** The box, E's upper bound aside (the lowest loss of the runs fitted). */
    public record Bounds(double eLower, double coefficientLower, double coefficientUpper, double exponentLower,
            double exponentUpper) {
        public Bounds {
            if (!(eLower > 0 && 0 < coefficientLower && coefficientLower < coefficientUpper && 0 < exponentLower
                    && exponentLower < exponentUpper)) {
                throw new IllegalArgumentException("invalid bounds " + eLower + ", [" + coefficientLower + ", "
                        + coefficientUpper + "], [" + exponentLower + ", " + exponentUpper + "]");
            }
        }

        /** OLMo-core's ladder: A, B in [1e-10, 1e10], alpha, beta in [0.01, 2]; E from 1e-3 (the ladder's 0). */
        public static Bounds ladder() {
            return new Bounds(1e-3, 1e-10, 1e10, 0.01, 2);
        }
    }

    /** Parameter names in the optimiser's order (log A, log B, log E, alpha, beta). */
    private static final String[] NAMES = {"A", "B", "E", "alpha", "beta"};
    /**
     * Iterations per start. A start that ends with E on L_min and both terms vanishing (alpha, beta near 2,
     * A, B growing together) crawls along a flat ridge for all of L-BFGS's usual 5,000 at a value 50 times
     * the optimum's, and one in ten starts does; the starts that reach the optimum took under 200 on a
     * planted 15-run sweep. At 500 the fit (1,024 starts) and its bootstrap took 0.9 s instead of 2.4 s
     * (one thread) with the same optimum and intervals equal to 1e-9; 2 of 42 bootstrap refits that reach
     * E's lower bound in 1,000 iterations (its gradient shrinks with E) stop short of it.
     */
    static final int MAX_ITERATIONS = 500;
    /**
     * Starts per axis of the grid. The ladder's default is 4 (1,024 starts); 3 (243) found the same optimum,
     * to 10 digits, on each of ten tables (a planted 15-run sweep, three planted 35-run designs, four 8-run
     * sweeps with 3 % noise, a loss flat in N, a loss rising with N) in a quarter of the time.
     */
    static final int SLICES = 3;
    /** A coordinate within this fraction of its box's width of a bound is on it. */
    static final double ON_BOUND = 1e-6;

    private final double huberDelta;
    private final Bounds bounds;
    private final Weighting weighting;
    private final BoxLbfgs optimizer;
    private final int threads;
    private final int extraRefitStarts;
    private final int slices;

    private BoundedParametricFit(double huberDelta, Bounds bounds, Weighting weighting, BoxLbfgs optimizer,
            int threads, int extraRefitStarts, int slices) {
        this.huberDelta = huberDelta;
        this.bounds = bounds;
        this.weighting = weighting;
        this.optimizer = optimizer;
        this.threads = threads;
        this.extraRefitStarts = extraRefitStarts;
        this.slices = slices;
    }

    /** The ladder's bounds and sqrt(6ND) weights, Chinchilla's Huber delta. */
    public static BoundedParametricFit ladder() {
        return new BoundedParametricFit(ParametricFit.CHINCHILLA_HUBER_DELTA, Bounds.ladder(), Weighting.SQRT_COMPUTE,
                BoxLbfgs.standard().withMaxIterations(MAX_ITERATIONS), Parallel.defaultThreads(), 3, SLICES);
    }

    public BoundedParametricFit withOptimizer(BoxLbfgs o) {
        return new BoundedParametricFit(huberDelta, bounds, weighting, o, threads, extraRefitStarts, slices);
    }

    public BoundedParametricFit withThreads(int n) {
        return new BoundedParametricFit(huberDelta, bounds, weighting, optimizer, Math.max(1, n), extraRefitStarts,
                slices);
    }

    public BoundedParametricFit withExtraRefitStarts(int n) {
        return new BoundedParametricFit(huberDelta, bounds, weighting, optimizer, threads, Math.max(0, n), slices);
    }

    public Bounds bounds() {
        return bounds;
    }

    public Weighting weighting() {
        return weighting;
    }

    /** The box in the optimiser's coordinates for runs whose lowest loss is {@code lossMin}, and in natural units. */
    private record Box(double[] lower, double[] upper, double[] naturalLower, double[] naturalUpper) {
        Map<String, double[]> describe() {
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int i : new int[] {2, 0, 1, 3, 4}) { // E, A, B, alpha, beta: the order the law is written in
                m.put(NAMES[i], new double[] {naturalLower[i], naturalUpper[i]});
            }
            return m;
        }
    }

    private Box box(double lossMin) {
        double eLo = Math.min(bounds.eLower(), lossMin * 1e-3);
        double[] lo = {bounds.coefficientLower(), bounds.coefficientLower(), eLo, bounds.exponentLower(),
            bounds.exponentLower()};
        double[] hi = {bounds.coefficientUpper(), bounds.coefficientUpper(), lossMin, bounds.exponentUpper(),
            bounds.exponentUpper()};
        double[] logLo = lo.clone();
        double[] logHi = hi.clone();
        for (int i = 0; i < 3; i++) {
            logLo[i] = Math.log(lo[i]);
            logHi[i] = Math.log(hi[i]);
        }
        return new Box(logLo, logHi, lo, hi);
    }

    /**
     * The ladder's grid of {@code slices}^5 starts (its {@code num_slices}): alpha and beta evenly over
     * [0.2, 0.8]; E at its lower bound and evenly up to L_min (L_min/2 and L_min for 3 slices); but log A
     * and log B evenly over [0, 21] (A, B from 1 to 1.3e9) instead of the ladder's A, B in [1, 20], so that
     * A/N^alpha can start near the loss at any exponent.
     */
    static StartGrid grid(int slices, double eLower, double lossMin) {
        double[] exponents = new double[slices];
        double[] e = new double[slices];
        double[] coefficients = new double[slices];
        for (int i = 0; i < slices; i++) {
            double f = (double) i / (slices - 1);
            exponents[i] = 0.2 + 0.6 * f;
            e[i] = i == 0 ? Math.log(eLower) : Math.log(lossMin * f);
            coefficients[i] = 21 * f;
        }
        return new StartGrid(exponents, exponents.clone(), e, coefficients, coefficients.clone());
    }

    /** Per-run weights: counts[i] times the weighting, scaled so they sum to the sum of counts. */
    double[] weights(RunTable table, double[] counts) {
        double[] n = table.params();
        double[] d = table.tokens();
        double[] w = new double[n.length];
        double total = 0;
        double count = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = counts[i] * weighting.of(n[i], d[i]);
            total += w[i];
            count += counts[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] *= count / total;
        }
        return w;
    }

    private static double lossMin(RunTable table, double[] counts) {
        double m = Double.POSITIVE_INFINITY;
        double[] l = table.losses();
        for (int i = 0; i < l.length; i++) {
            if (counts[i] != 0) {
                m = Math.min(m, l[i]);
            }
        }
        return m;
    }

    public ParametricResult fit(RunTable table) {
        ParametricFit.requireIdentifiable(table, "approach 3 (bounded)");
        int n = table.size();
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        double lossMin = lossMin(table, ones);
        if (!(lossMin > 0)) {
            throw new ScalingLabException(ExitCode.FIT, "approach 3 (bounded) needs positive losses, the lowest is "
                    + lossMin, "check the table's loss column");
        }
        Box box = box(lossMin);
        HuberLogLoss objective = HuberLogLoss.weighted(table.params(), table.tokens(), table.losses(),
                weights(table, ones), huberDelta);
        List<double[]> starts = grid(slices, box.naturalLower()[2], lossMin).starts();
        List<Lbfgs.Result> runs = Parallel.map(starts.size(), threads,
                i -> optimizer.minimize(objective, starts.get(i), box.lower(), box.upper()));
        int best = OptimizerDiagnostics.best(runs);
        if (best < 0) {
            throw new ScalingLabException(ExitCode.FIT, "approach 3 (bounded): no start gave a finite objective",
                    "check the table for zero or negative N, D or loss");
        }
        Lbfgs.Result r = runs.get(best);
        double[] res = objective.residuals(r.x());
        List<ParametricResult.Residual> residuals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RunPoint p = table.get(i);
            residuals.add(new ParametricResult.Residual(p.id(), p.params(), p.tokens(), p.loss(),
                    p.loss() * Math.exp(res[i]), res[i]));
        }
        return ParametricResult.bounded(law(r.x(), box), r.value(), n, huberDelta,
                OptimizerDiagnostics.of(runs, best, starts.get(best), optimizer), residuals,
                ParametricFit.refitStarts(basins(runs, best), starts, best, extraRefitStarts), weighting.label(),
                box.describe(),
                boundsHit(r.x(), box));
    }

    /**
     * The runs whose end points the bootstrap may refit from: the converged ones and the best. A start that
     * ran out of iterations on the flat ridge (see {@link #MAX_ITERATIONS}) ends at no basin, and refitting
     * every resample from it would cost its full iterations for nothing.
     */
    private static List<Lbfgs.Result> basins(List<Lbfgs.Result> runs, int best) {
        List<Lbfgs.Result> out = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
            Lbfgs.Result r = runs.get(i);
            out.add(i == best || r.converged() ? r : new Lbfgs.Result(r.x(), Double.NaN, r.gradientNorm(),
                    r.iterations(), r.evaluations(), false, r.stopReason()));
        }
        return out;
    }

    /**
     * The law at x, each parameter clamped to its box in natural units: exp(log L_min) can come back one
     * rounding above L_min, and E must never exceed the lowest loss.
     */
    private static ParametricLaw law(double[] x, Box box) {
        ParametricLaw l = ParametricLaw.fromLogParameters(x);
        double[] lo = box.naturalLower();
        double[] hi = box.naturalUpper();
        return new ParametricLaw(clamp(l.E(), lo[2], hi[2]), clamp(l.A(), lo[0], hi[0]), clamp(l.B(), lo[1], hi[1]),
                clamp(l.alpha(), lo[3], hi[3]), clamp(l.beta(), lo[4], hi[4]));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.min(hi, Math.max(lo, v));
    }

    /** The parameters on a bound, in the order the law is written (E, A, B, alpha, beta). */
    private static List<ParametricResult.BoundHit> boundsHit(double[] x, Box box) {
        List<ParametricResult.BoundHit> hits = new ArrayList<>();
        for (int i : new int[] {2, 0, 1, 3, 4}) {
            double tol = ON_BOUND * (box.upper()[i] - box.lower()[i]);
            if (x[i] - box.lower()[i] <= tol) {
                hits.add(new ParametricResult.BoundHit(NAMES[i], "lower", box.naturalLower()[i]));
            } else if (box.upper()[i] - x[i] <= tol) {
                hits.add(new ParametricResult.BoundHit(NAMES[i], "upper", box.naturalUpper()[i]));
            }
        }
        return hits;
    }

    /** Refits one resample (counts per run) from the given starts: the best end point, or null if none is finite. */
    private Refit refit(RunTable table, double[] counts, List<double[]> starts) {
        Box box = box(lossMin(table, counts));
        HuberLogLoss objective = HuberLogLoss.weighted(table.params(), table.tokens(), table.losses(),
                weights(table, counts), huberDelta);
        Lbfgs.Result best = null;
        for (double[] s : starts) {
            Lbfgs.Result r = optimizer.minimize(objective, s, box.lower(), box.upper());
            if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                best = r;
            }
        }
        return best == null ? null : new Refit(law(best.x(), box), boundsHit(best.x(), box));
    }

    private record Refit(ParametricLaw law, List<ParametricResult.BoundHit> hits) {}

    /**
     * Percentile intervals for every fitted quantity, resampling runs with replacement (the same
     * {@link Bootstrap} draws as approach 3's, so the two are compared on the same resamples), and the
     * number of refits that ended on each bound.
     */
    public ParametricResult bootstrap(RunTable table, ParametricResult fit, Bootstrap bs) {
        if (!bs.enabled()) {
            return fit;
        }
        int[][] counts = bs.resampleCounts(table.size());
        List<Refit> refits = Parallel.map(counts.length, threads,
                r -> refit(table, Bootstrap.weights(counts[r]), fit.refitStarts()));
        Bootstrap.Samples samples = bs.samples(ParametricLaw.SAMPLED);
        Map<String, Integer> onBounds = new LinkedHashMap<>();
        for (int r = 0; r < counts.length; r++) {
            Refit refit = refits.get(r);
            if (refit != null) {
                refit.hits().forEach(h -> onBounds.merge(h.key(), 1, Integer::sum));
            }
            samples.put(r, refit == null ? null : refit.law().sampled());
        }
        return fit.withBootstrap(samples.intervals(), samples.summary("runs", fit.refitStarts().size()), onBounds);
    }
}
