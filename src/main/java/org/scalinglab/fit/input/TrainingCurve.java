package org.scalinglab.fit.input;

import java.util.Arrays;

/**
 * One run's evaluated loss against cumulative training FLOPs (and the tokens seen by then), sorted by
 * FLOPs: what approach 1 takes the lower envelope of.
 */
public record TrainingCurve(double[] flops, double[] tokens, double[] loss) {
    public TrainingCurve {
        if (flops.length != tokens.length || flops.length != loss.length) {
            throw new IllegalArgumentException("curve columns differ in length");
        }
    }

    public int size() {
        return flops.length;
    }

    public double firstFlops() {
        return flops[0];
    }

    public double lastFlops() {
        return flops[flops.length - 1];
    }

    /** Whether {@code c} lies within the evaluated range. */
    public boolean covers(double c) {
        return size() > 0 && c >= firstFlops() && c <= lastFlops();
    }

    /** Loss at {@code c}, linear in log FLOPs between evaluations; NaN outside the range. */
    public double lossAt(double c) {
        return interpolate(loss, c);
    }

    /** Tokens seen at {@code c}, linear in log FLOPs between evaluations; NaN outside the range. */
    public double tokensAt(double c) {
        return interpolate(tokens, c);
    }

    private double interpolate(double[] ys, double c) {
        if (!covers(c)) {
            return Double.NaN;
        }
        int i = Arrays.binarySearch(flops, c);
        if (i >= 0) {
            return ys[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double t = (Math.log(c) - Math.log(flops[lo])) / (Math.log(flops[hi]) - Math.log(flops[lo]));
        return ys[lo] + t * (ys[hi] - ys[lo]);
    }
}
