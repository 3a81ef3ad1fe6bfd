package org.scalinglab.train;

/**
 * The simple gradient noise scale B_simple = tr(Sigma) / |G|^2 (McCandlish et al. 2018), in tokens, from
 * the norms of {@link GradientNoise}. With micro-batches of b tokens and steps of B = M b, per step
 *
 * <pre>
 *   S      = (1/M) sum_m |g_m|^2          (micro-batch gradients, batch b)
 *   |G_B|^2                               (the step's gradient, batch B)
 *   |G|^2   ~ (B |G_B|^2 - b S) / (B - b)  (unbiased, appendix A)
 *   tr(Sigma) ~ (S - |G_B|^2) / (1/b - 1/B)
 * </pre>
 *
 * Each is averaged over the steps of a metrics row, and the two are smoothed separately by exponential
 * moving averages (decay {@code noise_scale_ema} per step, applied as decay^steps per row, as if the row's
 * mean held at each of its steps), as the paper does; B_simple is the ratio of the averages. Tokens are the
 * unit of b, so tr(Sigma) is the covariance of one token's gradient contribution as a batch of tokens sees it
 * (tokens of one sequence are not independent: B_simple is what the batch in tokens is compared with).
 */
final class NoiseScale {
    private final int microBatches;
    private final double microTokens;
    private final double decay;
    private double traceAverage;
    private double g2Average;
    private boolean started;

    /** The state a checkpoint keeps: the two averages, and whether they have begun. */
    record State(double traceAverage, double g2Average, boolean started) {}

    /** One row's numbers; null where not measured (no step in the row, or |G|^2's average not positive). */
    record Row(Double g2, Double trace, Double bSimple) {}

    NoiseScale(int microBatches, long microTokens, double decay, State resumed) {
        if (microBatches < 2) {
            throw new IllegalArgumentException("the noise scale needs at least 2 micro-batches");
        }
        this.microBatches = microBatches;
        this.microTokens = microTokens;
        this.decay = decay;
        if (resumed != null) {
            traceAverage = resumed.traceAverage();
            g2Average = resumed.g2Average();
            started = resumed.started();
        }
    }

    State state() {
        return new State(traceAverage, g2Average, started);
    }

    /**
     * Takes a row's sums over {@code steps} applied steps: {@code small} = sum over steps of
     * sum_m |A_m - A_(m-1)|^2 with the backward seed 1/M, {@code big} = sum over steps of |G_B|^2.
     */
    Row update(double small, double big, long steps) {
        if (steps <= 0) {
            return new Row(null, null, null);
        }
        int m = microBatches;
        double s = m * small / steps; // (1/M) sum |g_m|^2 = (1/M) sum |M d_m|^2
        double gb = big / steps;
        double b = microTokens;
        double bigB = m * microTokens;
        double g2 = (bigB * gb - b * s) / (bigB - b);
        double trace = (s - gb) / (1 / b - 1 / bigB);
        double w = started ? Math.pow(decay, steps) : 0;
        traceAverage = w * traceAverage + (1 - w) * trace;
        g2Average = w * g2Average + (1 - w) * g2;
        started = true;
        Double ratio = g2Average > 0 && Double.isFinite(traceAverage) ? traceAverage / g2Average : null;
        return new Row(finite(g2), finite(trace), ratio);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
