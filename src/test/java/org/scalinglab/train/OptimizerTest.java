package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.TrainConfig.OptimizerConfig;
import org.scalinglab.engine.TorchRuntime;

/** AdamW, clipping and loss scaling against the formulas of torch.optim.AdamW and GradScaler. */
class OptimizerTest {
    static NDManager manager;
    static Scalars scalars;

    @BeforeAll
    static void engine() {
        manager = TorchRuntime.engine().newBaseManager(Device.cpu());
        scalars = new Scalars(manager);
    }

    @AfterAll
    static void close() {
        scalars.close();
        manager.close();
    }

    @Test
    void twoAdamWStepsMatchTorchsFormula() {
        OptimizerConfig c = new OptimizerConfig(0.1, 0.9, 0.95, 1e-8, 0.5, 1.0);
        float[] start = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        float[] g = {0.5f, -1, 2, 0, 1e-3f, -0.25f, 3, -3, 0.1f, 1};
        int decayed = 4; // the first four numbers are "2-D weights"
        PtNDArray p = (PtNDArray) manager.create(start, new Shape(10));
        PtNDArray prefix = JniUtils.slice(p, 0, 0, decayed, 1);
        double[] expected = new double[10];
        double[] m = new double[10];
        double[] v = new double[10];
        for (int i = 0; i < 10; i++) {
            expected[i] = start[i];
        }
        try (AdamW adam = new AdamW(c, manager, 10, scalars, null, null)) {
            for (int t = 1; t <= 2; t++) {
                double lr = t == 1 ? 0.1 : 0.05;
                PtNDArray grad = (PtNDArray) manager.create(g, new Shape(10));
                adam.step(p, prefix, grad, lr, t, scalars);
                for (int i = 0; i < 10; i++) {
                    if (i < decayed) {
                        expected[i] *= 1 - lr * c.weightDecay();
                    }
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i];
                    double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.95, t)) + 1e-8;
                    expected[i] -= lr / (1 - Math.pow(0.9, t)) * m[i] / denom;
                }
            }
            float[] got = p.toFloatArray();
            for (int i = 0; i < 10; i++) {
                assertEquals(expected[i], got[i], 1e-6, "parameter " + i);
            }
        }
    }

    @Test
    void clippingScalesToTheMaximumNormAndReportsTheNormBefore() {
        PtNDArray grad = (PtNDArray) manager.create(new float[] {3, 4}, new Shape(2));
        float norm = GlobalNormClip.clip(grad, 1.0, scalars).getFloat();
        assertEquals(5, norm, 1e-6);
        assertArrayEquals(new float[] {0.6f, 0.8f}, grad.toFloatArray(), 1e-6f);
        PtNDArray small = (PtNDArray) manager.create(new float[] {0.3f, 0.4f}, new Shape(2));
        GlobalNormClip.clip(small, 1.0, scalars);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small.toFloatArray(), 1e-7f, "a small gradient is untouched");
    }

    @Test
    void lossScalerBacksOffOnOverflowAndGrowsAfterCleanSteps() {
        LossScaler s = new LossScaler(true);
        assertEquals(65536, s.scale());
        assertTrue(s.update(false));
        assertEquals(32768, s.scale());
        for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) {
            assertFalse(s.update(true));
        }
        assertTrue(s.update(true));
        assertEquals(65536, s.scale());
        LossScaler off = new LossScaler(false);
        assertFalse(off.update(false));
        assertEquals(1, off.scale());
    }
}
