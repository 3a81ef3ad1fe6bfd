package org.scalinglab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Arrays made from host data whose memory libtorch owns. On the CPU, DJL wraps the Java buffer
 * itself (from_blob) and the garbage collector frees it once the wrapper is closed, even while
 * a view or alias of it is still in use: long-lived arrays are therefore cloned. (Also:
 * {@code toType(sameType, true)} does not copy in DJL 0.35.1, and {@code set(Buffer)} replaces the
 * storage, detaching existing views.)
 */
public final class Tensors {
    private Tensors() {}

    public static PtNDArray owned(NDManager manager, Buffer data, Shape shape, DataType type) {
        PtNDArray wrapped = (PtNDArray) manager.create(data, shape, type);
        if (manager.getDevice().isGpu()) {
            return wrapped; // already copied to the device
        }
        PtNDArray copy = JniUtils.clone(wrapped);
        wrapped.close();
        return copy;
    }

    public static PtNDArray owned(NDManager manager, float[] data, Shape shape) {
        return owned(manager, FloatBuffer.wrap(data), shape, DataType.FLOAT32);
    }

    public static PtNDArray owned(NDManager manager, long[] data, Shape shape) {
        return owned(manager, LongBuffer.wrap(data), shape, DataType.INT64);
    }

    /** A 0-dim float32 array on the manager's device. */
    public static PtNDArray scalar(NDManager manager, double value) {
        return owned(manager, new float[] {(float) value}, new Shape());
    }

    /** A cast that always copies. */
    public static PtNDArray cast(NDArray array, DataType type) {
        return array.getDataType() == type ? JniUtils.clone((PtNDArray) array)
                : (PtNDArray) array.toType(type, true);
    }
}
