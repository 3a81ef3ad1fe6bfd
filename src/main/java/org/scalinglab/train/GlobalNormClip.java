package org.scalinglab.train;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Global-norm gradient clipping on the flat gradient, as torch.nn.utils.clip_grad_norm_:
 * g *= min(1, max_norm / (||g|| + 1e-6)). Everything stays on the device: no sync.
 * (DJL's optClipGrad clamps elements from above, which is not this.)
 */
final class GlobalNormClip {
    private GlobalNormClip() {}

    /** Returns the norm before clipping, a 0-dim float32 tensor on the gradient's device. */
    static PtNDArray clip(PtNDArray grad, double maxNorm, Scalars scalars) {
        PtNDArray norm = JniUtils.norm(grad, 2, new int[] {0}, false);
        if (maxNorm > 0) {
            PtNDArray denom = JniUtils.add(norm, scalars.of(1e-6));
            PtNDArray coef = JniUtils.div(scalars.of(maxNorm), denom);
            PtNDArray clamped = JniUtils.min(coef, scalars.of(1.0));
            JniUtils.muli(grad, clamped);
            denom.close();
            coef.close();
            clamped.close();
        }
        return norm;
    }
}
