package org.scalinglab.model;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * GPT-2 initialisation on the host, from the seed alone, so a run starts from the same numbers on
 * any device: weights and embeddings N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 layers))
 * (GPT-2's scaling of the residual path), biases 0, LayerNorm gains 1.
 */
public final class ParameterInit {
    static final double STD = 0.02;

    private ParameterInit() {}

    public static float[] initialise(ParameterLayout layout, long seed) {
        float[] flat = new float[Math.toIntExact(layout.size())];
        double residualStd = STD / Math.sqrt(2.0 * layout.shape().layers());
        for (ParameterLayout.Entry e : layout.entries()) {
            int from = (int) e.offset();
            int to = (int) (e.offset() + e.size());
            switch (e.kind()) {
                case TOKEN_EMBEDDING, POSITION_EMBEDDING, WEIGHT -> gaussian(flat, from, to, STD, seed, e.name());
                case RESIDUAL_WEIGHT -> gaussian(flat, from, to, residualStd, seed, e.name());
                case NORM_GAIN -> java.util.Arrays.fill(flat, from, to, 1f);
                case BIAS, NORM_BIAS -> { } // zeros already
            }
        }
        return flat;
    }

    /** Each parameter draws from its own stream, so adding a layer leaves the others unchanged. */
    private static void gaussian(float[] dst, int from, int to, double std, long seed, String name) {
        Random rng = new Random(new SplittableRandom(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L).nextLong());
        for (int i = from; i < to; i++) {
            dst[i] = (float) (rng.nextGaussian() * std);
        }
    }
}
