package org.scalinglab.train;

import org.scalinglab.config.TrainConfig.ScheduleConfig;

/**
 * The learning rate of each optimizer step (0-based), spanning exactly the run's steps: linear
 * warmup, then cosine decay to a floor (Chinchilla: 10% of the peak), a constant rate, or
 * warmup-stable-decay whose cooldown follows 1 - sqrt (Hägele et al. 2024). The decay reaches its
 * floor at the run's last step.
 */
public final class LrSchedule {
    private final ScheduleConfig config;
    private final double peak;
    private final long steps;
    private final long warmup;
    private final long cooldownStart;

    public LrSchedule(ScheduleConfig config, double peak, long steps, long warmup) {
        this.config = config;
        this.peak = peak;
        this.steps = steps;
        this.warmup = warmup;
        long cooldown = Math.max(1, Math.round(config.cooldownFraction() * steps));
        this.cooldownStart = Math.max(warmup, steps - cooldown);
    }

    public double at(long step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double floor = config.minLrFraction();
        return switch (config.kind()) {
            case CONSTANT -> peak;
            case COSINE -> {
                double progress = fraction(step + 1 - warmup, steps - warmup);
                yield peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
            }
            case WSD -> {
                if (step < cooldownStart) {
                    yield peak;
                }
                double progress = fraction(step + 1 - cooldownStart, steps - cooldownStart);
                yield peak * (floor + (1 - floor) * (1 - Math.sqrt(progress)));
            }
        };
    }

    /** First step of the WSD cooldown. */
    public long cooldownStart() {
        return cooldownStart;
    }

    private static double fraction(long done, long total) {
        return total <= 0 ? 1 : Math.min(1, Math.max(0, done / (double) total));
    }
}
