package org.scalinglab.model;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Each layer's keys and values so far, head-major (B x H, positions, head size): what {@link Gpt}'s greedy
 * decoding reads instead of recomputing the prefix.
 */
final class KvCache implements AutoCloseable {
    private final PtNDArray[] keys;
    private final PtNDArray[] values;

    KvCache(int layers) {
        keys = new PtNDArray[layers];
        values = new PtNDArray[layers];
    }

    /** Appends this pass's keys (taking them over) and returns every key of the layer so far. */
    PtNDArray keys(int layer, PtNDArray k) {
        return keys[layer] = append(keys[layer], k);
    }

    PtNDArray values(int layer, PtNDArray v) {
        return values[layer] = append(values[layer], v);
    }

    private static PtNDArray append(PtNDArray old, PtNDArray add) {
        if (old == null) {
            return add;
        }
        PtNDArray all = JniUtils.cat(new PtNDArray[] {old, add}, 1);
        old.close();
        add.close();
        return all;
    }

    @Override
    public void close() {
        for (PtNDArray[] side : new PtNDArray[][] {keys, values}) {
            for (PtNDArray a : side) {
                if (a != null) {
                    a.close();
                }
            }
        }
    }
}
