package org.scalinglab.train;

/**
 * Dynamic loss scaling for float16 (Micikevicius et al. 2018; torch.amp.GradScaler's defaults):
 * start at 2^16, halve and skip the step when gradients overflow, double after 2,000 clean steps.
 * With float32 the scale stays 1.
 */
public final class LossScaler {
    static final double INITIAL = 65536;
    static final int GROWTH_INTERVAL = 2000;
    /** Below this the gradients underflow to nothing: the run is treated as diverged. */
    static final double MINIMUM = 1e-4;

    private final boolean enabled;
    private double scale;
    private int cleanSteps;

    public LossScaler(boolean enabled) {
        this(enabled, enabled ? INITIAL : 1, 0);
    }

    public LossScaler(boolean enabled, double scale, int cleanSteps) {
        this.enabled = enabled;
        this.scale = scale;
        this.cleanSteps = cleanSteps;
    }

    public double scale() {
        return scale;
    }

    public int cleanSteps() {
        return cleanSteps;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Records a step's outcome; returns whether the scale changed. */
    public boolean update(boolean finite) {
        if (!enabled) {
            return false;
        }
        if (!finite) {
            scale /= 2;
            cleanSteps = 0;
            return true;
        }
        if (++cleanSteps >= GROWTH_INTERVAL) {
            scale *= 2;
            cleanSteps = 0;
            return true;
        }
        return false;
    }

    /** Continues from a checkpoint's scale and count. */
    public void restore(double savedScale, int savedCleanSteps) {
        this.scale = savedScale;
        this.cleanSteps = savedCleanSteps;
    }

    public boolean collapsed() {
        return enabled && scale < MINIMUM;
    }
}
