package org.scalinglab.fit.optim;

import java.util.Arrays;
import java.util.Map;

/**
 * What a bootstrap did and found: how many refits were asked for and succeeded, the seed and generator,
 * the interval method and resampling unit, per-quantity statistics, and every sample (so that predictions
 * can carry intervals and plots can draw the spread).
 */
public record BootstrapSummary(
        int replicates,
        int succeeded,
        long seed,
        String generator,
        double level,
        String method,
        String resampling,
        Integer startsPerRefit,
        Map<String, Stats> summary,
        Map<String, double[]> samples) {

    /** Mean, standard deviation, median and the percentile interval of one quantity. */
    public record Stats(double mean, double sd, double median, double low, double high) {
        static Stats of(double[] v, double level) {
            double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
            if (s.length == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = Arrays.stream(s).average().orElse(Double.NaN);
            double var = Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, s.length - 1);
            double[] ci = Bootstrap.percentileInterval(s, level);
            return new Stats(mean, Math.sqrt(var), Bootstrap.quantile(s, 0.5), ci[0], ci[1]);
        }
    }
}
