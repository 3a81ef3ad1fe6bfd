package org.scalinglab.fit.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Seeded resampling and percentile intervals. All resamples are drawn up front, in order, from one
 * {@link SplittableRandom}, so the refits can run in parallel and the answer still depends only on the
 * seed.
 */
public record Bootstrap(int replicates, long seed, double level) {
    public static final long DEFAULT_SEED = 20_220_329L; // the Chinchilla paper's arXiv date
    public static final double DEFAULT_LEVEL = 0.95;
    public static final String GENERATOR = "java.util.SplittableRandom";

    public Bootstrap {
        if (replicates < 0) {
            throw new IllegalArgumentException("replicates must be >= 0");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1)");
        }
    }

    public boolean enabled() {
        return replicates > 0;
    }

    /** {@code counts[r][i]}: how often point i appears in resample r (n draws with replacement). */
    public int[][] resampleCounts(int n) {
        int[] group = new int[n];
        return resampleCountsWithinGroups(group);
    }

    /**
     * Each group resampled to its own size, with replacement, independently (approach 2 resamples the
     * runs within each budget). {@code group[i]} is point i's group; negative means "never drawn".
     */
    public int[][] resampleCountsWithinGroups(int[] group) {
        int n = group.length;
        int groups = Arrays.stream(group).max().orElse(-1) + 1;
        int[][] members = new int[groups][];
        int[] sizes = new int[groups];
        for (int g : group) {
            if (g >= 0) {
                sizes[g]++;
            }
        }
        for (int g = 0; g < groups; g++) {
            members[g] = new int[sizes[g]];
        }
        int[] fill = new int[groups];
        for (int i = 0; i < n; i++) {
            if (group[i] >= 0) {
                members[group[i]][fill[group[i]]++] = i;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] counts = new int[replicates][n];
        for (int r = 0; r < replicates; r++) {
            for (int[] m : members) {
                for (int k = 0; k < m.length; k++) {
                    counts[r][m[rng.nextInt(m.length)]]++;
                }
            }
        }
        return counts;
    }

    /** A resample's counts as per-point weights (for fitters that weight their loss terms). */
    public static double[] weights(int[] counts) {
        return Arrays.stream(counts).asDoubleStream().toArray();
    }

    /** The indices a count vector stands for, in order (for fitters that take rows rather than weights). */
    public static int[] indices(int[] counts) {
        int total = Arrays.stream(counts).sum();
        int[] idx = new int[total];
        for (int i = 0, j = 0; i < counts.length; i++) {
            for (int c = 0; c < counts[i]; c++) {
                idx[j++] = i;
            }
        }
        return idx;
    }

    /** Percentile interval (linear interpolation between order statistics, numpy's default); NaNs ignored. */
    public static double[] percentileInterval(double[] samples, double level) {
        double[] s = Arrays.stream(samples).filter(Double::isFinite).sorted().toArray();
        if (s.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double tail = (1 - level) / 2;
        return new double[] {quantile(s, tail), quantile(s, 1 - tail)};
    }

    /**
     * The percentile interval of functions of x (a quantity of each bootstrap law, such as N_opt(C)) at each
     * x, as {lows, highs}: the interval a prediction at that x gets, point by point. NaN where fewer than
     * {@code minFinite} samples are finite, too few for the tails to mean anything.
     */
    public static double[][] percentileBand(List<DoubleUnaryOperator> samples, double[] x, double level,
            int minFinite) {
        double[] lo = new double[x.length];
        double[] hi = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] v = new double[samples.size()];
            int finite = 0;
            for (int r = 0; r < v.length; r++) {
                v[r] = samples.get(r).applyAsDouble(x[i]);
                if (Double.isFinite(v[r])) {
                    finite++;
                }
            }
            double[] ci = finite < minFinite ? new double[] {Double.NaN, Double.NaN} : percentileInterval(v, level);
            lo[i] = ci[0];
            hi[i] = ci[1];
        }
        return new double[][] {lo, hi};
    }

    /** The q-quantile of sorted values, as the intervals take them; Kaplan's fit uses it too. */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Intervals for every named sample column. */
    public Map<String, double[]> intervals(Map<String, double[]> samples) {
        Map<String, double[]> ci = new LinkedHashMap<>();
        samples.forEach((k, v) -> ci.put(k, percentileInterval(v, level)));
        return ci;
    }

    /**
     * The scaffold every approach's bootstrap fills: one column per named quantity of its law, one row per
     * refit, a failed refit a row of NaN; then the intervals and the summary fits.json records.
     */
    public final class Samples {
        private final String[] names;
        private final double[][] columns;
        private int succeeded;

        private Samples(String... names) {
            this.names = names.clone();
            this.columns = new double[names.length][replicates];
        }

        /** Refit r's values in the names' order; null for a refit that failed. */
        public void put(int r, double[] values) {
            put(r, values, values != null);
        }

        /** Refit r's values (NaN where a quantity failed), and whether it counts as a succeeded refit. */
        public void put(int r, double[] values, boolean ok) {
            for (int k = 0; k < names.length; k++) {
                columns[k][r] = values == null ? Double.NaN : values[k];
            }
            if (ok) {
                succeeded++;
            }
        }

        /** Every column by name, in the names' order. */
        public Map<String, double[]> byName() {
            Map<String, double[]> out = new LinkedHashMap<>();
            for (int k = 0; k < names.length; k++) {
                out.put(names[k], columns[k]);
            }
            return out;
        }

        /** The percentile interval of every quantity. */
        public Map<String, double[]> intervals() {
            return Bootstrap.this.intervals(byName());
        }

        /** fits.json's record of this bootstrap. */
        public BootstrapSummary summary(String resampling, Integer startsPerRefit) {
            return summarize(resampling, succeeded, startsPerRefit, byName());
        }
    }

    /** An empty scaffold for {@link #replicates} refits of the named quantities. */
    public Samples samples(String... names) {
        return new Samples(names);
    }

    /** As {@link #samples(String...)}. */
    public Samples samples(List<String> names) {
        return new Samples(names.toArray(String[]::new));
    }

    /** The record of a bootstrap that goes into fits.json: settings, every sample, and per-quantity statistics. */
    public BootstrapSummary summarize(String resampling, int succeeded, Integer startsPerRefit,
            Map<String, double[]> samples) {
        Map<String, BootstrapSummary.Stats> stats = new LinkedHashMap<>();
        samples.forEach((k, v) -> stats.put(k, BootstrapSummary.Stats.of(v, level)));
        return new BootstrapSummary(replicates, succeeded, seed, GENERATOR, level, "percentile", resampling,
                startsPerRefit, stats, samples);
    }
}
