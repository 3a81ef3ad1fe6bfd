package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.input.InputProvenance;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * Approach 1 (Chinchilla): at {@code gridPoints} log-spaced FLOP values, the run with the lowest loss
 * (each curve interpolated linearly in log FLOPs, only where at least two curves reach) gives N_opt and
 * D_opt (tokens seen at that FLOP value); N_opt = k_N C^a and D_opt = k_D C^b are least squares in
 * log-log. Where the lowest run is the smallest or the largest model trained, the true optimum may lie
 * outside the sizes sampled, so, as for approach 2's edge minima, those points are flagged and left out.
 * The bootstrap resamples runs.
 */
public final class EnvelopeFit {
    public static final int DEFAULT_GRID_POINTS = 500;
    static final int MIN_RUNS = 3;

    private final int gridPoints;

    public EnvelopeFit() {
        this(DEFAULT_GRID_POINTS);
    }

    public EnvelopeFit(int gridPoints) {
        if (gridPoints < 2) {
            throw new IllegalArgumentException("gridPoints must be >= 2");
        }
        this.gridPoints = gridPoints;
    }

    /** Whether the table has enough training curves for approach 1. */
    public static boolean applicable(RunTable table) {
        return withCurves(table).size() >= MIN_RUNS;
    }

    private static List<RunPoint> withCurves(RunTable table) {
        return table.points().stream().filter(p -> p.curve() != null && p.curve().size() >= 2).toList();
    }

    public EnvelopeResult fit(RunTable table) {
        List<RunPoint> runs = withCurves(table);
        if (runs.size() < MIN_RUNS) {
            throw new ScalingLabException(ExitCode.FIT, "approach 1 needs training curves of at least " + MIN_RUNS
                    + " runs, got " + runs.size()
                    + (table.provenance().kind().equals(InputProvenance.KIND_CSV) ? " (a CSV has final losses only)" : ""),
                    "fit a results folder whose runs have metrics.csv, or use --approach 2, 3 or kaplan");
        }
        List<EnvelopeResult.Point> env = envelope(runs);
        PowerLaw[] laws = laws(env);
        if (laws == null) {
            throw new ScalingLabException(ExitCode.FIT,
                    "approach 1: the envelope away from the smallest and largest model has fewer than 2 sizes",
                    "train sizes on both sides of the compute-optimal one over the FLOP range");
        }
        if (!(laws[0].exponent() > 0 && laws[1].exponent() > 0)) {
            throw new ScalingLabException(ExitCode.FIT, String.format(java.util.Locale.ROOT,
                    "approach 1's power laws have a = %.4g and b = %.4g: a non-positive exponent is outside the "
                            + "physical range (N_opt and D_opt must grow with compute)",
                    laws[0].exponent(), laws[1].exponent()),
                    "train sizes on both sides of the compute-optimal one over the FLOP range");
        }
        int used = (int) env.stream().filter(p -> !p.edge()).count();
        return new EnvelopeResult(laws[0].exponent(), laws[1].exponent(), Map.of(), laws[0], laws[1], runs.size(),
                gridPoints, used, "points whose lowest run is the smallest or largest model are edge, left out", env,
                null);
    }

    private List<EnvelopeResult.Point> envelope(List<RunPoint> runs) {
        double lo = runs.stream().mapToDouble(r -> r.curve().firstFlops()).min().orElseThrow();
        double hi = runs.stream().mapToDouble(r -> r.curve().lastFlops()).max().orElseThrow();
        double minN = runs.stream().mapToDouble(RunPoint::params).min().orElseThrow();
        double maxN = runs.stream().mapToDouble(RunPoint::params).max().orElseThrow();
        List<EnvelopeResult.Point> env = new ArrayList<>();
        for (int k = 0; k < gridPoints; k++) {
            double c = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * k / (gridPoints - 1));
            RunPoint best = null;
            double bestLoss = Double.POSITIVE_INFINITY;
            int covering = 0;
            for (RunPoint r : runs) {
                if (r.curve().covers(c)) {
                    covering++;
                    double l = r.curve().lossAt(c);
                    if (l < bestLoss) {
                        bestLoss = l;
                        best = r;
                    }
                }
            }
            if (covering >= 2 && best != null) {
                boolean edge = best.params() <= minN || best.params() >= maxN;
                env.add(new EnvelopeResult.Point(c, best.params(), best.curve().tokensAt(c), bestLoss, best.id(), edge));
            }
        }
        return env;
    }

    private static PowerLaw[] laws(List<EnvelopeResult.Point> env) {
        List<EnvelopeResult.Point> used = env.stream().filter(p -> !p.edge()).toList();
        if (used.stream().mapToDouble(EnvelopeResult.Point::params).distinct().count() < 2) {
            return null;
        }
        double[] c = used.stream().mapToDouble(EnvelopeResult.Point::flops).toArray();
        PowerLaw n = PowerLaw.fit(c, used.stream().mapToDouble(EnvelopeResult.Point::params).toArray());
        PowerLaw d = PowerLaw.fit(c, used.stream().mapToDouble(EnvelopeResult.Point::tokens).toArray());
        return n == null || d == null ? null : new PowerLaw[] {n, d};
    }

    /** Intervals for a, b and the coefficients, resampling runs with replacement. */
    public EnvelopeResult bootstrap(RunTable table, EnvelopeResult fit, Bootstrap bs) {
        if (!bs.enabled()) {
            return fit;
        }
        List<RunPoint> runs = withCurves(table);
        int[][] counts = bs.resampleCounts(runs.size());
        Bootstrap.Samples samples = bs.samples("a", "b", "N_coefficient", "D_coefficient");
        for (int r = 0; r < counts.length; r++) {
            List<RunPoint> sample = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (counts[r][i] > 0) {
                    sample.add(runs.get(i)); // a repeated curve does not change the envelope
                }
            }
            PowerLaw[] laws = sample.size() >= 2 ? laws(envelope(sample)) : null;
            samples.put(r, laws == null ? null
                    : new double[] {laws[0].exponent(), laws[1].exponent(), laws[0].coefficient(), laws[1].coefficient()});
        }
        return fit.withBootstrap(samples.intervals(), samples.summary("runs", null));
    }
}
