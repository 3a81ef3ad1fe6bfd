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

    /** Parameters far from the near-uniform start, so argmax decisions are not near ties. */
    private static NDArray spreadParams(Gpt gpt, long seed, double scale) {
        float[] init = ParameterInit.initialise(gpt.layout(), seed);
        double[] p = new double[init.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = init[i] * scale;
        }
        return manager.create(p, new Shape(p.length));
    }

    /** Greedy decoding by full forward passes: the next token is the argmax at the last filled position. */
    private static long[][] naiveGreedy(Gpt gpt, NDArray params, long[][] prompts, int k) {
        int t = gpt.shape().context();
        int v = gpt.shape().vocab();
        long[][] out = new long[prompts.length][k];
        for (int r = 0; r < prompts.length; r++) {
            long[] seq = java.util.Arrays.copyOf(prompts[r], t); // zeros after: causality hides them
            int len = prompts[r].length;
            for (int j = 0; j < k; j++) {
                double[] logits = gpt.logits(params, tokens(seq, 1, t)).toDoubleArray();
                int best = 0;
                for (int c = 1; c < v; c++) {
                    if (logits[(len - 1) * v + c] > logits[(len - 1) * v + best]) {
                        best = c;
                    }
                }
                out[r][j] = best;
                if (len < t) {
                    seq[len] = best;
                }
                len++;
            }
        }
        return out;
    }

    @Test
    void cachedGreedyDecodingEqualsDecodingWithFullForwardPasses() {
        GptShape s = new GptShape(13, 12, 16, 2, 2, 4);
        for (int block : new int[] {0, 4}) { // 4: the training pass attends in 3 blocks; decoding never does
            try (Gpt gpt = new Gpt(s, manager, DataType.FLOAT64, block)) {
                NDArray params = spreadParams(gpt, 21, 10);
                int p = 5;
                int k = 8; // the last token is chosen at position 11, the context's last
                long[] flat = randomTokens(6 * p, 13, 22);
                long[][] prompts = new long[6][];
                for (int r = 0; r < 6; r++) {
                    prompts[r] = java.util.Arrays.copyOfRange(flat, r * p, (r + 1) * p);
                }
                long[][] cached = gpt.greedyContinuations(params, tokens(flat, 6, p), k);
                long[][] naive = naiveGreedy(gpt, params, prompts, k);
                for (int r = 0; r < 6; r++) {
                    assertArrayEquals(naive[r], cached[r], "row " + r + ", attention block " + block);
                }
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (long[] row : cached) {
                    for (long tok : row) {
                        seen.add(tok);
                    }
                }
                assertTrue(seen.size() > 2, "the continuations are not one repeated token: " + seen);
            }
        }
    }

    @Test
    void tokenScoresEqualTheirDirectComputationFromTheLogits() {
        GptShape s = new GptShape(11, 8, 16, 2, 2, 4);
        try (Gpt gpt = new Gpt(s, manager, DataType.FLOAT64)) {
            NDArray params = spreadParams(gpt, 4, 5);
            long[] x = randomTokens(3 * 8, 11, 5);
            long[] y = randomTokens(3 * 8, 11, 6);
            Gpt.TokenScores got = gpt.tokenScores(params, tokens(x, 3, 8), tokens(y, 24, 1));
            double[] logits = gpt.logits(params, tokens(x, 3, 8)).toDoubleArray();
            int hits = 0;
            for (int i = 0; i < 24; i++) {
                double max = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int c = 0; c < 11; c++) {
                    if (logits[i * 11 + c] > max) {
                        max = logits[i * 11 + c];
                        arg = c;
                    }
                }
                double z = 0;
                for (int c = 0; c < 11; c++) {
                    z += Math.exp(logits[i * 11 + c] - max);
                }
                double ss = 0;
                for (int c = 0; c < 11; c++) {
                    double pc = Math.exp(logits[i * 11 + c] - max) / z;
                    ss += pc * pc;
                }
                assertEquals(logits[i * 11 + (int) y[i]] - max - Math.log(z), got.logProb()[i], 1e-6);
                assertEquals(ss, got.sumSquares()[i], 1e-6);
                assertEquals(arg == y[i], got.correct()[i], "position " + i);
                hits += got.correct()[i] ? 1 : 0;
            }
            assertTrue(hits > 0 && hits < 24, "some right, some wrong: " + hits);
        }
    }

    @Test
    void aGreedyContinuationMatchesExactlyWhenEveryTeacherForcedPredictionIsRight() {
        // windows whose targets are the model's own greedy continuation, with one token changed at
        // position j of the continuation: exact match of k tokens must hold for k <= j and fail after
        GptShape s = new GptShape(13, 12, 16, 2, 2, 4);
        try (Gpt gpt = new Gpt(s, manager, DataType.FLOAT64)) {
            NDArray params = spreadParams(gpt, 31, 10);
            int p = 4;
            int k = 9; // continuation positions 3 .. 11
            int rows = 5;
            long[] prompts = randomTokens(rows * p, 13, 32);
            long[][] cont = gpt.greedyContinuations(params, tokens(prompts, rows, p), k);
            long[] x = new long[rows * 12];
            long[] y = new long[rows * 12];
            int[] changedAt = {0, 2, 5, 8, k}; // k: unchanged
            for (int r = 0; r < rows; r++) {
                long[] ref = cont[r].clone();
                if (changedAt[r] < k) {
                    ref[changedAt[r]] = (ref[changedAt[r]] + 1) % 13;
                }
                long[] w = new long[13]; // the window: prompt, then the reference
                System.arraycopy(prompts, r * p, w, 0, p);
                System.arraycopy(ref, 0, w, p, k);
                System.arraycopy(w, 0, x, r * 12, 12);
                System.arraycopy(w, 1, y, r * 12, 12);
            }
            Gpt.TokenScores t = gpt.tokenScores(params, tokens(x, rows, 12), tokens(y, rows * 12L, 1));
            for (int r = 0; r < rows; r++) {
                int run = 0;
                while (run < k && t.correct()[r * 12 + p - 1 + run]) {
                    run++;
                }
                assertEquals(changedAt[r], run, "row " + r + ": consecutive right predictions from the prompt's end");
            }
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
