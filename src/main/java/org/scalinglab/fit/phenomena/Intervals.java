package org.scalinglab.fit.phenomena;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.Parallel;

/**
 * Bootstrap percentile intervals with one report's settings, shared by the metric, broken-law and critical
 * batch fits. The {@link Bootstrap} is made only when resampling, so a report without intervals (0 replicates)
 * never has its level validated.
 */
final class Intervals {
    private final int bootstrap;
    private final long seed;
    private final double level;

    Intervals(int bootstrap, long seed, double level) {
        this.bootstrap = bootstrap;
        this.seed = seed;
        this.level = level;
    }

    boolean enabled() {
        return bootstrap > 0;
    }

    /** {@code counts[r][i]}: how often item i appears in resample r. */
    int[][] resampleCounts(int n) {
        return new Bootstrap(bootstrap, seed, level).resampleCounts(n);
    }

    /** Percentile intervals of the named quantities over point resamples (each refit given indices). */
    Map<String, List<Double>> of(int n, Function<int[], double[]> refit, String... names) {
        if (!enabled()) {
            return Map.of();
        }
        int[][] counts = resampleCounts(n);
        List<double[]> samples = Parallel.map(counts.length, Parallel.defaultThreads(),
                r -> refit.apply(Bootstrap.indices(counts[r])));
        return collect(samples, names);
    }

    /** Each named quantity's percentile interval over the samples (null samples: refits that failed). */
    Map<String, List<Double>> collect(List<double[]> samples, String... names) {
        Map<String, List<Double>> ci = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            int kk = k;
            double[] col = samples.stream().filter(s -> s != null).mapToDouble(s -> s[kk]).toArray();
            double[] iv = Bootstrap.percentileInterval(col, level);
            ci.put(names[k], Arrays.asList(finite(iv[0]), finite(iv[1])));
        }
        return ci;
    }

    static double[] pick(double[] v, int[] idx) {
        double[] out = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = v[idx[i]];
        }
        return out;
    }

    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
