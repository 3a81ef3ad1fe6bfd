package org.scalinglab.fit.uncertainty;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * A bootstrap prediction interval for one run's loss: each bootstrap law's prediction (the law's
 * uncertainty, extrapolation included) divided by exp of a log residual drawn from the fit's own
 * runs (their noise: seeds, data order, evaluation; and the law's misfit), the residuals scaled by
 * sqrt(n / (n - p)) because residuals of a fit on n runs with p parameters understate the error of a
 * new run. Percentiles of the draws at the level asked.
 */
public final class PredictionInterval {
    public static final String DESCRIPTION = "bootstrap prediction interval: law uncertainty times a resampled training "
            + "residual, residuals inflated by sqrt(n / (n - p))";

    private final List<DoubleBinaryOperator> samples;
    private final double[] residuals;
    private final double level;

    /**
     * @param samples the bootstrap laws
     * @param logResiduals log predicted - log measured of the fitted runs
     * @param parameters the law's free parameters
     */
    /** The interval of a law with a loss at any (N, D), its residuals taken on the runs it was fitted to. */
    public static PredictionInterval of(Law.Joint law, RunTable fitted, double level) {
        return new PredictionInterval(law.sampleLosses(), law.residuals(fitted), law.parameters(), level);
    }

    PredictionInterval(List<DoubleBinaryOperator> samples, double[] logResiduals, int parameters, double level) {
        this.samples = samples;
        int n = logResiduals.length;
        double inflate = n > parameters ? Math.sqrt(n / (double) (n - parameters)) : 1;
        this.residuals = new double[n];
        for (int i = 0; i < n; i++) {
            residuals[i] = logResiduals[i] * inflate;
        }
        this.level = level;
    }

    /** {low, high} at (N, D); NaN when the fit has no bootstrap samples. */
    public double[] at(double n, double d, SplittableRandom rng) {
        if (samples.isEmpty() || residuals.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] draws = new double[samples.size()];
        for (int r = 0; r < draws.length; r++) {
            // measured = predicted / exp(residual), residual = log L_hat - log L
            draws[r] = samples.get(r).applyAsDouble(n, d) * Math.exp(-residuals[rng.nextInt(residuals.length)]);
        }
        return Bootstrap.percentileInterval(draws, level);
    }
}
