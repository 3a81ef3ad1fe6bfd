package org.scalinglab.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;

/**
 * Scalar operands as 0-dim CPU tensors. libtorch treats a 0-dim CPU tensor as a plain number in an
 * op on a CUDA tensor, so no host-to-device copy (and no implicit device sync) is made per op, as
 * DJL's {@code muli(Number)} would.
 */
public final class Scalars implements AutoCloseable {
    private final NDManager cpu;

    public Scalars(NDManager parent) {
        this.cpu = parent.newSubManager(Device.cpu());
    }

    /** A float32 scalar; closed with the enclosing NDScope, or with this object. */
    public PtNDArray of(double value) {
        return (PtNDArray) cpu.create((float) value);
    }

    public NDManager manager() {
        return cpu;
    }

    @Override
    public void close() {
        cpu.close();
    }
}
