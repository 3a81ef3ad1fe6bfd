package org.scalinglab.config;

/** Optimisation, run length, precision and the cadence of evaluation, logging and checkpoints. */
public record TrainConfig(
        int batchSize,
        int gradAccum,
        Long steps,
        Double tokens,
        Double flops,
        Double tokensPerParam,
        FlopConvention flopsConvention,
        ParamConvention paramsConvention,
        Precision precision,
        OptimizerConfig optimizer,
        ScheduleConfig schedule,
        int evalEvery,
        Integer evalPerDecade,
        int evalBatches,
        Integer finalEvalBatches,
        int continuationWindows,
        double noiseScaleEma,
        int logEvery,
        int checkpointEvery,
        boolean keepFinalCheckpoint,
        double divergenceFactor) {

    /** Far past any run (a million years at 30 steps a second). */
    public static final long MAX_STEPS = 1_000_000_000_000L;

    public enum Precision {
        FP32, TF32, FP16, BF16
    }

    public record OptimizerConfig(double lr, double beta1, double beta2, double eps, double weightDecay,
            double gradClip) {}

    public record ScheduleConfig(ScheduleKind kind, int warmupSteps, double warmupFraction, double minLrFraction,
            double cooldownFraction) {}

    public enum ScheduleKind {
        COSINE, CONSTANT, WSD
    }

    /**
     * Whether the run evaluates after step {@code step} of {@code last}: every {@code eval_every} steps, at
     * the last step, and with {@code eval_per_decade} k at the steps nearest 10^(j/k) (1, 2, 3, 6, 10, 18,
     * 32, ... for k = 4), so that a short run has a curve as well as a long one.
     */
    public boolean evaluatesAfter(long step, long last) {
        if (step % evalEvery == 0 || step == last) {
            return true;
        }
        if (evalPerDecade == null || step < 1) {
            return false;
        }
        long j = Math.round(evalPerDecade * Math.log10(step));
        for (long i = Math.max(0, j - 1); i <= j + 1; i++) {
            if (logStep(i) == step) {
                return true;
            }
        }
        return false;
    }

    /** The evaluations a run of {@code steps} steps makes, the one before its first step included. */
    public long evaluations(long steps) {
        long n = 1 + steps / evalEvery + (steps % evalEvery == 0 ? 0 : 1);
        if (evalPerDecade != null) {
            long previous = 0;
            for (long i = 0; logStep(i) <= steps; i++) {
                long s = logStep(i);
                if (s != previous && s % evalEvery != 0 && s != steps) {
                    n++;
                }
                previous = s;
            }
        }
        return n;
    }

    /** The i-th log-spaced step, the nearest to 10^(i / eval_per_decade). */
    private long logStep(long i) {
        return Math.round(Math.pow(10, (double) i / evalPerDecade));
    }

    /** Validation windows of the evaluation at the last step: final_eval_batches (else eval_batches) x batch. */
    public int finalEvalWindows() {
        return (finalEvalBatches == null ? evalBatches : finalEvalBatches) * batchSize;
    }

    /** Validation windows of every other evaluation. */
    public int evalWindows() {
        return evalBatches * batchSize;
    }

    /** Micro-batches times sequences: the sequences one optimizer step consumes. */
    public int sequencesPerStep() {
        return batchSize * gradAccum;
    }
}
