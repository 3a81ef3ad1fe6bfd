package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.model.Gpt;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterInit;

/**
 * The gradient noise scale against per-example gradients computed directly, one sequence at a time, on a
 * tiny float64 model: the trainer's micro-batch norms equal those of the per-example gradients' means, the
 * estimator is then exactly b x the unbiased sample covariance of the micro-batch gradients, and over many
 * drawn steps it averages to the population's tr(Sigma) and |G|^2.
 */
class GradientNoiseTest {
    static final GptShape SHAPE = new GptShape(11, 6, 8, 1, 2, 4);
    static NDManager manager;
    static Gpt gpt;
    static NDArray params;

    @BeforeAll
    static void model() {
        manager = TorchRuntime.engine().newBaseManager(Device.cpu());
        gpt = new Gpt(SHAPE, manager, DataType.FLOAT64);
        float[] init = ParameterInit.initialise(gpt.layout(), 3);
        double[] p = new double[init.length];
        Random r = new Random(4);
        for (int i = 0; i < p.length; i++) {
            p[i] = init[i] * 5 + 0.02 * r.nextGaussian();
        }
        params = manager.create(p, new Shape(p.length));
    }

    @AfterAll
    static void close() {
        gpt.close();
        manager.close();
    }

    static long[][] sequences(int n, long seed) {
        Random r = new Random(seed);
        long[][] s = new long[n][SHAPE.context() + 1];
        for (long[] row : s) {
            for (int i = 0; i < row.length; i++) {
                // a skewed distribution, so the gradient has a mean to measure beside its noise
                row[i] = r.nextDouble() < 0.5 ? i % 3 : r.nextInt(SHAPE.vocab());
            }
        }
        return s;
    }

    /** The gradient of the mean loss over these sequences, float64. */
    static double[] gradient(long[][] seqs) {
        int t = SHAPE.context();
        long[] x = new long[seqs.length * t];
        long[] y = new long[x.length];
        for (int i = 0; i < seqs.length; i++) {
            System.arraycopy(seqs[i], 0, x, i * t, t);
            System.arraycopy(seqs[i], 1, y, i * t, t);
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray leaf = params.duplicate();
            leaf.attach(sub);
            leaf.setRequiresGradient(true);
            JniUtils.setGradMode(true);
            NDArray loss = gpt.loss(leaf, sub.create(x, new Shape(seqs.length, t)), sub.create(y, new Shape(x.length, 1)));
            JniUtils.backward((PtNDArray) loss, (PtNDArray) sub.create(1.0), false, false);
            JniUtils.setGradMode(false);
            return leaf.getGradient().toDoubleArray();
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void theMicroBatchNormsAndTheEstimateEqualTheirDirectComputation() {
        int m = 3;
        int b = 2; // sequences per micro-batch
        long[][] seqs = sequences(m * b, 7);
        int t = SHAPE.context();
        // as a step accumulates them: one leaf, backward per micro-batch with the seed 1/M
        GradientNoise.Sums sums;
        try (NDManager sub = manager.newSubManager();
                GradientNoise noise = new GradientNoise(sub, m, new GradientNoise.Sums(0, 0))) {
            NDArray leaf = params.duplicate();
            leaf.attach(sub);
            leaf.setRequiresGradient(true);
            for (int k = 0; k < m; k++) {
                long[] x = new long[b * t];
                long[] y = new long[b * t];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(seqs[k * b + i], 0, x, i * t, t);
                    System.arraycopy(seqs[k * b + i], 1, y, i * t, t);
                }
                JniUtils.setGradMode(true);
                NDArray loss = gpt.loss(leaf, sub.create(x, new Shape(b, t)), sub.create(y, new Shape(b * t, 1)));
                JniUtils.backward((PtNDArray) loss, (PtNDArray) sub.create(1.0 / m), false, false);
                JniUtils.setGradMode(false);
                noise.afterBackward((PtNDArray) leaf.getGradient(), k);
            }
            PtNDArray grad = (PtNDArray) leaf.getGradient();
            noise.endStep(JniUtils.norm(grad, 2, new int[] {0}, false), null);
            sums = noise.sums();
        }
        // directly: each sequence's own gradient, then the micro-batch means and the step's mean
        double[][] perExample = new double[m * b][];
        for (int i = 0; i < m * b; i++) {
            perExample[i] = gradient(new long[][] {seqs[i]});
        }
        int n = perExample[0].length;
        double[][] micro = new double[m][n];
        double[] step = new double[n];
        for (int k = 0; k < m; k++) {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < n; j++) {
                    micro[k][j] += perExample[k * b + i][j] / b;
                    step[j] += perExample[k * b + i][j] / (m * b);
                }
            }
        }
        double sumMicro = 0;
        for (double[] g : micro) {
            sumMicro += dot(g, g);
        }
        // the device sums are float32 scalars: 1e-6 relative
        assertEquals(sumMicro / (m * m), sums.small(), 1e-6 * sumMicro / (m * m), "sum_m |g_m / M|^2");
        assertEquals(dot(step, step), sums.big(), 1e-6 * dot(step, step), "|G_B|^2");

        NoiseScale.Row row = new NoiseScale(m, (long) b * t, 0, null).update(sums.small(), sums.big(), 1);
        double spread = 0; // the unbiased sample covariance trace of the micro-batch gradients
        for (double[] g : micro) {
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                d[j] = g[j] - step[j];
            }
            spread += dot(d, d) / (m - 1);
        }
        double trace = (double) b * t * spread; // Var(g_m) = Sigma / (b T tokens)
        assertEquals(trace, row.trace(), 1e-5 * trace);
        assertEquals(dot(step, step) - trace / (m * b * t), row.g2(), 1e-5 * Math.abs(row.g2()) + 1e-9);
        assertEquals(row.trace() / row.g2(), row.bSimple(), 1e-9 * Math.abs(row.bSimple()));
    }

    @Test
    void overManyDrawnStepsTheEstimateAveragesToThePopulationsNoiseScale() {
        // a population of 80 sequences with their gradients; steps draw M micro-batches of b sequences from
        // it with replacement, so E|G_B|^2 = |G|^2 + tr(Sigma) / B holds exactly for the population's G, Sigma
        int pop = 80;
        long[][] seqs = sequences(pop, 11);
        double[][] g = new double[pop][];
        for (int i = 0; i < pop; i++) {
            g[i] = gradient(new long[][] {seqs[i]});
        }
        int n = g[0].length;
        double[] mean = new double[n];
        for (double[] gi : g) {
            for (int j = 0; j < n; j++) {
                mean[j] += gi[j] / pop;
            }
        }
        double traceSeq = 0; // population covariance (1/P) of one sequence's gradient
        for (double[] gi : g) {
            for (int j = 0; j < n; j++) {
                traceSeq += (gi[j] - mean[j]) * (gi[j] - mean[j]) / pop;
            }
        }
        double g2 = dot(mean, mean);
        int t = SHAPE.context();
        int m = 2;
        int b = 2;
        int steps = 4000;
        SplittableRandom rng = new SplittableRandom(5);
        double[] estTrace = new double[steps];
        double[] estG2 = new double[steps];
        for (int s = 0; s < steps; s++) {
            double[][] micro = new double[m][n];
            double[] big = new double[n];
            for (int k = 0; k < m; k++) {
                for (int i = 0; i < b; i++) {
                    double[] gi = g[rng.nextInt(pop)];
                    for (int j = 0; j < n; j++) {
                        micro[k][j] += gi[j] / b;
                        big[j] += gi[j] / (m * b);
                    }
                }
            }
            double small = 0;
            for (double[] mk : micro) {
                small += dot(mk, mk) / (m * m); // what GradientNoise sums: |A_k - A_(k-1)|^2 with the seed 1/M
            }
            NoiseScale.Row row = new NoiseScale(m, (long) b * t, 0, null).update(small, dot(big, big), 1);
            estTrace[s] = row.trace();
            estG2[s] = row.g2();
        }
        double traceTokens = traceSeq * t; // a sequence is t tokens: in tokens the covariance is t times larger
        assertWithin(traceTokens, estTrace, "tr(Sigma) per token");
        assertWithin(g2, estG2, "|G|^2");
        assertTrue(traceSeq / g2 > 1, "a noisy gradient: B_simple " + traceSeq / g2 + " sequences");
    }

    /** The mean of unbiased estimates lies within 4 standard errors of the truth. */
    private static void assertWithin(double truth, double[] estimates, String what) {
        double mean = java.util.Arrays.stream(estimates).average().orElseThrow();
        double var = java.util.Arrays.stream(estimates).map(v -> (v - mean) * (v - mean)).sum() / (estimates.length - 1);
        double se = Math.sqrt(var / estimates.length);
        assertEquals(truth, mean, 4 * se, what + ": mean of the estimates " + mean + " +- " + se + ", direct " + truth);
        assertTrue(se < 0.2 * Math.abs(truth), what + ": precise enough to mean something (se " + se + ")");
    }

    @Test
    void theMovingAveragesSmoothNumeratorAndDenominatorSeparately() {
        NoiseScale n = new NoiseScale(2, 10, 0.5, null);
        // M = 2, b = 10, B = 20: g2 = 2 |G_B|^2 - S, tr = 20 (S - |G_B|^2), S = 2 small / steps
        NoiseScale.Row first = n.update(3, 2, 1); // S = 6, |G_B|^2 = 2: g2 = -2, tr = 80
        assertEquals(-2, first.g2(), 1e-12);
        assertEquals(80, first.trace(), 1e-12);
        assertEquals(null, first.bSimple(), "no ratio while the averaged |G|^2 is not positive");
        NoiseScale.Row second = n.update(2, 12, 2); // per step S = 2, |G_B|^2 = 6: g2 = 10, tr = -80
        double w = 0.25; // 0.5^2 for the row's two steps
        double tr = w * 80 + (1 - w) * -80;
        double g = w * -2 + (1 - w) * 10;
        assertEquals(tr / g, second.bSimple(), 1e-12);
        NoiseScale resumed = new NoiseScale(2, 10, 0.5, n.state());
        assertEquals(n.update(5, 9, 3), resumed.update(5, 9, 3), "a checkpoint's state continues the averages");
    }
}
