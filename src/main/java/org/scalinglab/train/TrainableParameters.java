package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.Buffer;
import org.scalinglab.engine.Tensors;
import org.scalinglab.model.ParameterLayout;

/**
 * The float32 master copy of every parameter in one flat buffer, and each step's differentiable
 * leaf made from it. In float32 the leaf is a detached alias of the master (same storage); in
 * float16 it is a float16 copy, because in DJL a cast cuts the gradient, so the float16 numbers
 * must themselves be the leaves. A fresh leaf per step means a fresh gradient per step: no zeroing.
 */
public final class TrainableParameters implements AutoCloseable {
    private final PtNDArray master;
    private final PtNDArray decayed;
    private final DataType computeType;

    /** @param initial the starting float32 values: a fresh initialisation or a checkpoint's */
    public TrainableParameters(NDManager device, ParameterLayout layout, Buffer initial, DataType computeType) {
        this.master = Tensors.owned(device, initial, new Shape(layout.size()), DataType.FLOAT32);
        this.decayed = JniUtils.slice(master, 0, 0, layout.decayedSize(), 1);
        this.computeType = computeType;
    }

    /** The float32 master buffer (updated in place by the optimizer). */
    public PtNDArray master() {
        return master;
    }

    /** The view of the master holding the weight-decayed 2-D weights. */
    public PtNDArray decayed() {
        return decayed;
    }

    public DataType computeType() {
        return computeType;
    }

    /** A leaf that requires gradients, for one step's forward and backward passes. */
    public PtNDArray leaf() {
        PtNDArray leaf = forEvaluation();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** The parameters for evaluation, in the compute type, without gradients. */
    public PtNDArray forEvaluation() {
        return computeType == DataType.FLOAT32 ? (PtNDArray) master.stopGradient() : Tensors.cast(master, computeType);
    }

    /** The leaf's gradient as float32 (a new array in float16 mode, the gradient itself otherwise). */
    public PtNDArray gradient(PtNDArray leaf) {
        PtNDArray g = leaf.getGradient();
        if (g.getDataType() == DataType.FLOAT32) {
            return g;
        }
        PtNDArray g32 = Tensors.cast(g, DataType.FLOAT32);
        g.close();
        return g32;
    }

    @Override
    public void close() {
        decayed.close();
        master.close();
    }
}
