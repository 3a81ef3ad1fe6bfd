package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.Buffer;
import org.scalinglab.config.TrainConfig.OptimizerConfig;
import org.scalinglab.engine.Tensors;

/**
 * AdamW on the flat float32 parameter buffer, matching torch.optim.AdamW: decoupled weight decay
 * p *= 1 - lr wd applied to the 2-D weights only (the buffer's prefix), then
 * p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). About a dozen whole-buffer
 * kernels per step, whatever the number of parameters.
 */
public final class AdamW implements AutoCloseable {
    private final OptimizerConfig config;
    private final PtNDArray m;
    private final PtNDArray v;
    private final PtNDArray beta1;
    private final PtNDArray oneMinusBeta1;
    private final PtNDArray beta2;
    private final PtNDArray oneMinusBeta2;
    private final PtNDArray eps;

    /**
     * Moments live on the parameters' device, outside any step's scope: zeros for a fresh run, or a
     * checkpoint's values ({@code firstMoment}, {@code secondMoment} null for zeros).
     */
    public AdamW(OptimizerConfig config, NDManager device, long size, Scalars scalars, Buffer firstMoment,
            Buffer secondMoment) {
        this.config = config;
        Shape shape = new Shape(size);
        this.m = firstMoment == null ? (PtNDArray) device.zeros(shape, DataType.FLOAT32)
                : Tensors.owned(device, firstMoment, shape, DataType.FLOAT32);
        this.v = secondMoment == null ? (PtNDArray) device.zeros(shape, DataType.FLOAT32)
                : Tensors.owned(device, secondMoment, shape, DataType.FLOAT32);
        this.beta1 = scalars.of(config.beta1());
        this.oneMinusBeta1 = scalars.of(1 - config.beta1());
        this.beta2 = scalars.of(config.beta2());
        this.oneMinusBeta2 = scalars.of(1 - config.beta2());
        this.eps = scalars.of(config.eps());
    }

    /**
     * One update.
     *
     * @param params the float32 master parameters, updated in place
     * @param decayed the view of {@code params} holding the weight-decayed 2-D weights
     * @param grad the float32 gradient (already unscaled and clipped)
     * @param lr this step's learning rate
     * @param t the 1-based count of updates, for bias correction
     */
    public void step(PtNDArray params, PtNDArray decayed, PtNDArray grad, double lr, long t, Scalars scalars) {
        JniUtils.muli(m, beta1);
        PtNDArray g1 = JniUtils.mul(grad, oneMinusBeta1);
        JniUtils.addi(m, g1);
        g1.close();

        JniUtils.muli(v, beta2);
        PtNDArray g2 = JniUtils.square(grad);
        JniUtils.muli(g2, oneMinusBeta2);
        JniUtils.addi(v, g2);
        g2.close();

        double bc1 = 1 - Math.pow(config.beta1(), t);
        double bc2 = 1 - Math.pow(config.beta2(), t);
        PtNDArray denom = JniUtils.sqrt(v);
        JniUtils.divi(denom, scalars.of(Math.sqrt(bc2)));
        JniUtils.addi(denom, eps);
        PtNDArray update = JniUtils.div(m, denom);
        denom.close();
        JniUtils.muli(update, scalars.of(lr / bc1));

        if (config.weightDecay() > 0) {
            JniUtils.muli(decayed, scalars.of(1 - lr * config.weightDecay()));
        }
        JniUtils.subi(params, update);
        update.close();
    }

    public PtNDArray firstMoment() {
        return m;
    }

    public PtNDArray secondMoment() {
        return v;
    }

    @Override
    public void close() {
        m.close();
        v.close();
        beta1.close();
        oneMinusBeta1.close();
        beta2.close();
        oneMinusBeta2.close();
        eps.close();
    }
}
