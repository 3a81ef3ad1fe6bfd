package org.scalinglab.train;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

/**
 * What a run's training loop carries from one step to the next, and so what its checkpoint holds
 * besides the arrays: the loop's own counters, which it keeps here as it goes, and the state of the
 * parts it drives (loss scaler, step sums, noise scale, metrics.csv), which {@link #capture} records
 * just before a checkpoint. It is {@code checkpoint.bin}'s header, written and read whole as JSON
 * ({@link Checkpoint}), its fields' names in snake_case, in this order: a field added here is
 * checkpointed and restored with no other change, and a checkpoint written before it existed reads
 * it as its default (0 or null).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
final class LoopState {
    /** The run that wrote it; a branch starts from another run's checkpoint and writes its own id. */
    String runId;
    /** Steps trained. */
    long step;
    /** Float32 values in each of the checkpoint's arrays: the model's size. */
    long parameters;
    double lossScale;
    /** The loss scaler's steps without overflow since its scale last changed. */
    int cleanSteps;
    /** Float16 steps skipped for overflowing gradients. */
    long skippedSteps;
    /** metrics.csv's size when the checkpoint was taken (a resume cuts it back to it). */
    long metricsBytes;
    /** Train losses summed since the last metrics row, over {@code lossCount} steps. */
    double lossSum;
    /** Gradient norms summed over the same steps. */
    double normSum;
    long lossCount;
    /** The validation loss before the first step. */
    double initialLoss;
    /** Seconds spent training steps (evaluations and checkpoints excluded). */
    double trainSeconds;
    /** Wall seconds of the run, over all its starts. */
    double elapsedSeconds;
    /** {@link #trainSeconds} at the last metrics row. */
    double rowStartSeconds;
    Double bestValLoss;
    Double lastValLoss;
    /**
     * The gradient noise scale's device sums since the last metrics row ({@link GradientNoise}); null
     * without micro-batches (and in checkpoints written before it was measured).
     */
    Double noiseSmallSum;
    Double noiseBigSum;
    /** The noise scale's moving averages ({@link NoiseScale}). */
    NoiseScale.State noiseAverages;
    /** Wall seconds spent evaluating so far (0 in checkpoints written before they were counted). */
    double evalSeconds;
    /** The part of {@link #evalSeconds} spent decoding greedy continuations. */
    double decodeSeconds;

    /** Records, for a checkpoint, who writes it and the state of the parts the loop drives. */
    void capture(String runId, long parameters, long metricsBytes, LossScaler scaler, TrainStep stepper,
            NoiseScale noise, double elapsedSeconds) {
        this.runId = runId;
        this.parameters = parameters;
        this.metricsBytes = metricsBytes;
        TrainStep.Sums sums = stepper.sums();
        GradientNoise.Sums noiseSums = stepper.noiseSums();
        lossScale = scaler.scale();
        cleanSteps = scaler.cleanSteps();
        skippedSteps = stepper.skipped();
        lossSum = sums.loss();
        normSum = sums.norm();
        lossCount = sums.applied();
        this.elapsedSeconds = elapsedSeconds;
        noiseSmallSum = noiseSums == null ? null : noiseSums.small();
        noiseBigSum = noiseSums == null ? null : noiseSums.big();
        noiseAverages = noise == null ? null : noise.state();
    }

    /** The step sums the steps since the last metrics row left, for the step to carry on from. */
    TrainStep.Sums carriedSums() {
        return new TrainStep.Sums(lossSum, normSum, lossCount);
    }

    /** The noise scale's sums since the last metrics row; null where none were carried. */
    GradientNoise.Sums carriedNoise() {
        return noiseSmallSum == null ? null : new GradientNoise.Sums(noiseSmallSum, noiseBigSum);
    }
}
