package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.scalinglab.engine.Tensors;

/**
 * The two gradient norms the noise scale's unbiased estimator needs (McCandlish et al. 2018, appendix A),
 * taken from the micro-batch gradients a step accumulates anyway: no extra forward or backward pass.
 * After micro-batch m the leaf's gradient holds the sum A_m of the first m + 1 micro-batch gradients
 * (times the backward seed); A_m - A_(m-1) is micro-batch m's own gradient, whose squared norm is summed
 * over the step's micro-batches. The whole step's squared norm is that of the clipping's norm. Both are
 * summed on the device over the steps since the last metrics row, like the losses: no device sync.
 *
 * <p>Per micro-batch after the first this costs a subtraction and a dot product over the flat gradient
 * (and an in-place add to keep A_m), plus a copy of A_0 per step: a few passes over N numbers against
 * the micro-batch's forward and backward pass of about 6 N x tokens FLOPs.
 */
final class GradientNoise implements AutoCloseable {
    private final NDManager manager;
    private final int microBatches;
    private PtNDArray previous;
    private PtNDArray stepSmall;
    private PtNDArray smallSum;
    private PtNDArray bigSum;

    /** The device sums since the last read: sum over steps of sum_m |d_m|^2 (in seed units) and |G|^2. */
    record Sums(double small, double big) {}

    GradientNoise(NDManager manager, int microBatches, Sums carried) {
        this.manager = manager;
        this.microBatches = microBatches;
        reset(carried);
    }

    /**
     * After micro-batch {@code m}'s backward pass. {@code accumulated} is the leaf's gradient (any float
     * type; cast to float32 so a float16 square cannot overflow). Arrays made here belong to the step's scope.
     */
    void afterBackward(PtNDArray accumulated, int m) {
        PtNDArray a = accumulated.getDataType() == DataType.FLOAT32 ? accumulated
                : Tensors.cast(accumulated, DataType.FLOAT32);
        if (m == 0) {
            previous = JniUtils.clone(a);
            stepSmall = JniUtils.dot(previous, previous);
        } else {
            PtNDArray d = JniUtils.sub(a, previous);
            PtNDArray sq = JniUtils.dot(d, d);
            JniUtils.addi(stepSmall, sq);
            sq.close();
            if (m < microBatches - 1) {
                JniUtils.addi(previous, d); // now A_m
            }
            d.close();
        }
        if (a != accumulated) {
            a.close();
        }
    }

    /**
     * At the end of an applied step: {@code norm} is the step's gradient norm before clipping, in true
     * units; {@code unscale} turns the micro-batch sums into them (1 / loss scale^2, or null for 1).
     */
    void endStep(PtNDArray norm, PtNDArray unscale) {
        if (unscale != null) {
            JniUtils.muli(stepSmall, unscale);
        }
        JniUtils.addi(smallSum, stepSmall);
        PtNDArray sq = JniUtils.mul(norm, norm);
        JniUtils.addi(bigSum, sq);
        sq.close();
        dropStep();
    }

    /** A skipped step (float16 overflow) contributes nothing. */
    void dropStep() {
        if (previous != null) {
            previous.close();
            stepSmall.close();
            previous = null;
            stepSmall = null;
        }
    }

    /** The sums so far, read from the device (a sync). */
    Sums sums() {
        return new Sums(smallSum.getFloat(), bigSum.getFloat());
    }

    Sums readAndReset() {
        Sums s = sums();
        reset(new Sums(0, 0));
        return s;
    }

    private void reset(Sums start) {
        if (smallSum != null) {
            smallSum.close();
            bigSum.close();
        }
        smallSum = scalar(start.small());
        bigSum = scalar(start.big());
    }

    private PtNDArray scalar(double v) {
        PtNDArray a = Tensors.scalar(manager, v);
        NDScope.unregister(a); // reset inside a row read, outlives the step's scope
        return a;
    }

    @Override
    public void close() {
        dropStep();
        smallSum.close();
        bigSum.close();
    }
}
