package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.engine.Tensors;
import org.scalinglab.model.Gpt;

/**
 * One optimizer step: forward and backward over the micro-batches, the float32 gradient (checked
 * for overflow in float16), clipping, AdamW. Losses and gradient norms are summed on the device
 * and read only when a metrics row asks, so a step makes no device sync in float32.
 * Every array a step makes is released when it ends.
 */
final class TrainStep implements AutoCloseable {
    private final Gpt model;
    private final TrainableParameters params;
    private final AdamW adam;
    private final LossScaler scaler;
    private final Scalars scalars;
    private final NDManager manager;
    private final TrainConfig config;
    private final GradientNoise noise;

    private PtNDArray gradSeed;
    private PtNDArray lossSum;
    private PtNDArray normSum;
    private long applied;
    private long skipped;
    private final long[] hostNanos = new long[3];

    /** Host time spent issuing each phase, summed over steps (what the benchmark reports). */
    record HostTimes(double forwardSeconds, double backwardSeconds, double optimizerSeconds) {}

    /** Sums of the steps since the last read. */
    record Sums(double loss, double norm, long applied) {}

    TrainStep(Gpt model, TrainableParameters params, AdamW adam, LossScaler scaler, Scalars scalars,
            NDManager manager, TrainConfig config, long skippedSoFar, Sums carried, GradientNoise.Sums carriedNoise) {
        this.model = model;
        this.params = params;
        this.adam = adam;
        this.scaler = scaler;
        this.scalars = scalars;
        this.manager = manager;
        this.config = config;
        this.skipped = skippedSoFar;
        this.gradSeed = deviceScalar(scaler.scale() / config.gradAccum());
        // the noise scale needs two batch sizes: micro-batches and the step
        this.noise = config.gradAccum() >= 2 ? new GradientNoise(manager, config.gradAccum(),
                carriedNoise == null ? new GradientNoise.Sums(0, 0) : carriedNoise) : null;
        reset(carried);
    }

    /**
     * Runs step {@code step} (0-based) at learning rate {@code lr}; returns false when float16
     * gradients overflowed and the update was skipped.
     */
    boolean run(BatchFeeder feeder, long step, double lr) {
        try (NDScope scope = new NDScope()) {
            long t0 = System.nanoTime();
            PtNDArray leaf = params.leaf();
            PtNDArray stepLoss = null;
            double seedScale = scaler.scale(); // the scale this step's gradients carry (update() may change it)
            JniUtils.setGradMode(true);
            try {
                for (int m = 0; m < config.gradAccum(); m++) {
                    BatchFeeder.Batch b = feeder.get(step, m);
                    PtNDArray loss = (PtNDArray) model.loss(leaf, b.inputs(), b.targets());
                    long t1 = System.nanoTime();
                    hostNanos[0] += t1 - t0;
                    // the seed is 1/accumulation (times the loss scale): backward averages the micro-batches
                    JniUtils.backward(loss, gradSeed, false, false);
                    if (noise != null) {
                        try (PtNDArray g = (PtNDArray) leaf.getGradient()) {
                            noise.afterBackward(g, m);
                        }
                    }
                    t0 = System.nanoTime();
                    hostNanos[1] += t0 - t1;
                    PtNDArray detached = (PtNDArray) loss.stopGradient();
                    loss.close();
                    if (stepLoss == null) {
                        stepLoss = detached;
                    } else {
                        JniUtils.addi(stepLoss, detached);
                    }
                }
            } finally {
                JniUtils.setGradMode(false);
            }
            PtNDArray grad = params.gradient(leaf);
            leaf.close();
            if (scaler.enabled()) {
                JniUtils.muli(grad, scalars.of(1.0 / scaler.scale()));
            }
            PtNDArray norm = GlobalNormClip.clip(grad, config.optimizer().gradClip(), scalars);
            if (scaler.enabled()) {
                // float16: an overflowed gradient skips the step (this read is a device sync)
                boolean finite = Float.isFinite(norm.getFloat());
                if (scaler.update(finite)) {
                    gradSeed.close();
                    gradSeed = deviceScalar(scaler.scale() / config.gradAccum());
                }
                if (!finite) {
                    skipped++;
                    if (noise != null) {
                        noise.dropStep();
                    }
                    return false;
                }
            }
            adam.step(params.master(), params.decayed(), grad, lr, step + 1 - skipped, scalars);
            JniUtils.divi(stepLoss, scalars.of(config.gradAccum()));
            JniUtils.addi(lossSum, stepLoss);
            JniUtils.addi(normSum, norm);
            if (noise != null) {
                noise.endStep(norm, scaler.enabled() ? scalars.of(1.0 / (seedScale * seedScale))
                        : null);
            }
            applied++;
            hostNanos[2] += System.nanoTime() - t0;
            return true;
        }
    }

    /** The sums so far, read from the device (a sync). */
    Sums sums() {
        return new Sums(lossSum.getFloat(), normSum.getFloat(), applied);
    }

    /** Reads the sums and starts new ones. */
    Sums readAndReset() {
        Sums s = sums();
        reset(new Sums(0, 0, 0));
        return s;
    }

    /** The noise scale's sums so far (a sync); null without micro-batches to measure it. */
    GradientNoise.Sums noiseSums() {
        return noise == null ? null : noise.sums();
    }

    /** Reads the noise scale's sums and starts new ones; null without micro-batches. */
    GradientNoise.Sums noiseReadAndReset() {
        return noise == null ? null : noise.readAndReset();
    }

    HostTimes hostTimes() {
        return new HostTimes(hostNanos[0] / 1e9, hostNanos[1] / 1e9, hostNanos[2] / 1e9);
    }

    long skipped() {
        return skipped;
    }

    private void reset(Sums start) {
        if (lossSum != null) {
            lossSum.close();
            normSum.close();
        }
        lossSum = deviceScalar(start.loss());
        normSum = deviceScalar(start.norm());
        applied = start.applied();
    }

    private PtNDArray deviceScalar(double value) {
        PtNDArray a = Tensors.scalar(manager, value);
        NDScope.unregister(a); // made inside a step when the loss scale changes; lives on
        return a;
    }

    @Override
    public void close() {
        if (noise != null) {
            noise.close();
        }
        gradSeed.close();
        lossSum.close();
        normSum.close();
    }
}
