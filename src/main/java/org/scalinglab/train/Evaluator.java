package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.scalinglab.data.WindowSampler;
import org.scalinglab.engine.Tensors;
import org.scalinglab.model.Gpt;

/**
 * Validation loss on a fixed set of batches, drawn once from the validation split and kept on the
 * device, so every evaluation of a run (and of every run with the same seed and data) measures
 * the same tokens.
 */
final class Evaluator implements AutoCloseable {
    /** Keeps the validation windows apart from the training ones drawn with the same seed. */
    static final long VAL_SALT = 0x5DEECE66DL;

    private final PtNDArray inputs;
    private final PtNDArray targets;
    private final int batches;

    Evaluator(WindowSampler val, long seed, int batches, int batch, int context, NDManager device) {
        this.batches = batches;
        int window = batch * context;
        long[] x = new long[batches * window];
        long[] y = new long[x.length];
        long[] bx = new long[window];
        long[] by = new long[window];
        for (int i = 0; i < batches; i++) {
            val.fill(seed ^ VAL_SALT, 0, i, batch, context, bx, by);
            System.arraycopy(bx, 0, x, i * window, window);
            System.arraycopy(by, 0, y, i * window, window);
        }
        inputs = Tensors.owned(device, x, new Shape(batches, batch, context));
        targets = Tensors.owned(device, y, new Shape(batches, window, 1));
    }

    /** Mean loss over the batches; one device sync, at the end. */
    double evaluate(Gpt model, TrainableParameters params) {
        try (NDScope scope = new NDScope()) {
            JniUtils.setGradMode(false);
            PtNDArray p = params.forEvaluation();
            PtNDArray sum = null;
            for (int i = 0; i < batches; i++) {
                PtNDArray x = JniUtils.getItem(inputs, new long[] {i}, inputs.getManager());
                PtNDArray y = JniUtils.getItem(targets, new long[] {i}, targets.getManager());
                PtNDArray loss = (PtNDArray) model.loss(p, x, y);
                x.close();
                y.close();
                if (sum == null) {
                    sum = loss;
                } else {
                    JniUtils.addi(sum, loss);
                    loss.close();
                }
            }
            return sum.getFloat() / batches;
        }
    }

    @Override
    public void close() {
        inputs.close();
        targets.close();
    }
}
