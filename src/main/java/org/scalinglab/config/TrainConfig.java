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
