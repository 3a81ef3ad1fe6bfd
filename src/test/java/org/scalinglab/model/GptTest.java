package org.scalinglab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scalinglab.engine.TorchRuntime;

class GptTest {
    static NDManager manager;

    @BeforeAll
    static void engine() {
        manager = TorchRuntime.engine().newBaseManager(ai.djl.Device.cpu());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static NDArray tokens(long[] ids, long... shape) {
        return manager.create(ids, new Shape(shape));
    }

    static long[] randomTokens(int n, int vocab, long seed) {
        Random r = new Random(seed);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    @Test
    void initialLossIsNearUniform() {
        GptShape s = new GptShape(256, 32, 32, 2, 2, 4);
        try (Gpt gpt = new Gpt(s, manager, DataType.FLOAT32);
                NDArray params = manager.create(ParameterInit.initialise(gpt.layout(), 1), new Shape(gpt.layout().size()))) {
            long[] x = randomTokens(4 * 32, 256, 2);
            long[] y = randomTokens(4 * 32, 256, 3);
            float loss = gpt.loss(params, tokens(x, 4, 32), tokens(y, 4 * 32, 1)).getFloat();
            assertEquals(Math.log(256), loss, 0.1, "GPT-2 initialisation gives near-uniform predictions");
        }
    }

    @Test
    void futureTokensDoNotChangeEarlierLogits() {
        GptShape s = new GptShape(17, 8, 16, 2, 2, 4);
        try (Gpt gpt = new Gpt(s, manager, DataType.FLOAT32);
                NDArray params = manager.create(ParameterInit.initialise(gpt.layout(), 5), new Shape(gpt.layout().size()))) {
            long[] a = randomTokens(8, 17, 9);
            long[] b = a.clone();
            b[5] = (a[5] + 1) % 17; // change position 5 only
            float[] la = gpt.logits(params, tokens(a, 1, 8)).toFloatArray();
            float[] lb = gpt.logits(params, tokens(b, 1, 8)).toFloatArray();
            int before = 5 * 17;
            assertArrayEquals(java.util.Arrays.copyOf(la, before), java.util.Arrays.copyOf(lb, before), 0f,
                    "positions 0-4 must not see position 5");
            assertTrue(Math.abs(la[before] - lb[before]) > 0, "position 5 sees its own token");
        }
    }

    @Test
    void blockCausalAttentionEqualsFullAttention() {
        GptShape s = new GptShape(13, 8, 16, 2, 2, 4);
        try (Gpt full = new Gpt(s, manager, DataType.FLOAT64, 0);
                Gpt blocked = new Gpt(s, manager, DataType.FLOAT64, 2)) { // 4 blocks of 2 rows
            float[] init = ParameterInit.initialise(full.layout(), 11);
            double[] p = new double[init.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = init[i] * 10; // large enough that attention is far from uniform
            }
            NDArray params = manager.create(p, new Shape(p.length));
            NDArray x = tokens(randomTokens(3 * 8, 13, 12), 3, 8);
            assertArrayEquals(full.logits(params, x).toDoubleArray(), blocked.logits(params, x).toDoubleArray(), 1e-12);
        }
    }

    @Test
    void float16LossIsFloat32AndCloseToTheFloat32One() {
        GptShape s = new GptShape(23, 8, 16, 2, 2, 4);
        try (Gpt full = new Gpt(s, manager, DataType.FLOAT32);
                Gpt half = new Gpt(s, manager, DataType.FLOAT16)) {
            float[] p = ParameterInit.initialise(full.layout(), 3);
            NDArray flat = manager.create(p, new Shape(p.length));
            NDArray x = tokens(randomTokens(2 * 8, 23, 1), 2, 8);
            NDArray y = tokens(randomTokens(2 * 8, 23, 2), 16, 1);
            NDArray loss = half.loss(flat.toType(DataType.FLOAT16, true), x, y);
            assertEquals(DataType.FLOAT32, loss.getDataType(), "log_softmax's dtype casts inside autograd");
            assertEquals(full.loss(flat, x, y).getFloat(), loss.getFloat(), 5e-3);
        }
    }

    @Test
    void blockCausalGradientMatchesFiniteDifferences() {
        gradientCheck(2);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        gradientCheck(0);
    }

    private static void gradientCheck(int attentionBlock) {
        // float64 end to end, so central differences are accurate to ~1e-9
        GptShape s = new GptShape(11, attentionBlock > 0 ? 6 : 5, 8, 2, 2, 4);
        try (Gpt gpt = new Gpt(s, manager, DataType.FLOAT64, attentionBlock)) {
            ParameterLayout layout = gpt.layout();
            float[] init = ParameterInit.initialise(layout, 7);
            double[] p = new double[init.length];
            Random r = new Random(3);
            for (int i = 0; i < p.length; i++) {
                p[i] = init[i] + 0.05 * r.nextGaussian(); // move off the symmetric start (zero biases, unit gains)
            }
            int t = s.context();
            NDArray x = tokens(randomTokens(2 * t, 11, 4), 2, t);
            NDArray y = tokens(randomTokens(2 * t, 11, 5), 2L * t, 1);
            NDArray leaf = manager.create(p, new Shape(p.length));
            leaf.setRequiresGradient(true);
            JniUtils.setGradMode(true);
            NDArray loss = gpt.loss(leaf, x, y);
            JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) loss,
                    (ai.djl.pytorch.engine.PtNDArray) manager.create(1.0), false, false);
            JniUtils.setGradMode(false);
            double[] grad = leaf.getGradient().toDoubleArray();
            double h = 1e-5;
            int checked = 0;
            for (ParameterLayout.Entry e : layout.entries()) {
                for (long k : new long[] {0, e.size() / 2, e.size() - 1}) {
                    int i = (int) (e.offset() + k);
                    double fd = (lossAt(gpt, p, i, h, x, y) - lossAt(gpt, p, i, -h, x, y)) / (2 * h);
                    assertEquals(fd, grad[i], 1e-7 + 1e-5 * Math.abs(fd), e.name() + "[" + k + "]");
                    checked++;
                }
            }
            assertTrue(checked > 50);
        }
    }

    private static double lossAt(Gpt gpt, double[] p, int i, double delta, NDArray x, NDArray y) {
        double[] q = p.clone();
        q[i] += delta;
        try (NDArray params = manager.create(q, new Shape(q.length))) {
            return gpt.loss(params, x, y).getDouble();
        }
    }
}
