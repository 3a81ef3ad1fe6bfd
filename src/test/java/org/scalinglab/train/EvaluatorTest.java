package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.DataConfig.MarkovConfig;
import org.scalinglab.data.TokenData;
import org.scalinglab.data.WindowSampler;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.model.Gpt;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterInit;

/** The validation loss and its standard error, against a window-by-window computation. */
class EvaluatorTest {
    static final DataConfig DATA = new DataConfig(DataSource.MARKOV, null, 32, 0.05, 4096,
            new MarkovConfig(32, 2, 4, 1.0, 0.0, 0.01, 200_000, 7));

    @Test
    void meanAndStandardErrorEqualADirectComputationOverTheWindows() {
        GptShape s = new GptShape(32, 16, 16, 2, 2, 4);
        try (TokenData data = TokenData.open(DATA);
                NDManager m = TorchRuntime.engine().newBaseManager(ai.djl.Device.cpu());
                Gpt gpt = new Gpt(s, m, DataType.FLOAT32);
                TrainableParameters p = new TrainableParameters(m, gpt.layout(),
                        FloatBuffer.wrap(ParameterInit.initialise(gpt.layout(), 3)), DataType.FLOAT32)) {
            int windows = 37; // not a multiple of the rows per forward pass
            try (Evaluator e = new Evaluator(data.val(), 8, windows, 4, s.context(), s.vocab(), m)) {
                Evaluator.Evaluation got = e.evaluate(gpt, p, true);
                WindowSampler.Tiles tiles = data.val().tiles(s.context(), windows);
                assertEquals(windows, got.windows());
                assertEquals((long) windows * s.context(), got.tokens());
                double[] direct = new double[windows];
                long[] x = new long[s.context()];
                long[] y = new long[s.context()];
                for (int i = 0; i < windows; i++) {
                    data.val().fillAt(tiles, i, 1, x, y);
                    direct[i] = gpt.loss(p.forEvaluation(), m.create(x, new Shape(1, s.context())),
                            m.create(y, new Shape(s.context(), 1))).getFloat();
                }
                double mean = java.util.Arrays.stream(direct).average().orElseThrow();
                double var = java.util.Arrays.stream(direct).map(v -> (v - mean) * (v - mean)).sum() / (windows - 1);
                assertEquals(mean, got.loss(), 1e-5);
                assertEquals(Math.sqrt(var / windows), got.se(), 1e-6);
                assertTrue(got.se() > 0);
                assertEquals(8, e.evaluate(gpt, p, false).windows(), "evaluations during the run use fewer windows");
            }
        }
    }

    @Test
    void theValidationWindowsAreSpreadOverTheSplitAndNeverOverlap() {
        try (TokenData data = TokenData.open(DATA)) {
            int context = 16;
            WindowSampler.Tiles all = data.val().tiles(context, Integer.MAX_VALUE);
            assertTrue(all.count() >= data.valTokens() / (context + 1) * 0.9, all.count() + " tiles");
            Set<String> targets = new HashSet<>();
            for (int i = 0; i < all.count(); i++) {
                for (int k = 1; k <= context; k++) {
                    assertTrue(targets.add(all.segment()[i] + ":" + (all.start()[i] + k)), "a target token twice");
                }
            }
            WindowSampler.Tiles some = data.val().tiles(context, 10);
            assertEquals(10, some.count());
            assertTrue(some.segment()[9] > some.segment()[0], "spread over the segments, not the first ten tiles");
        }
    }

    @Test
    void summaryOfKnownValues() {
        Evaluator.Evaluation e = Evaluator.summarize(new float[] {1, 2, 3, 4}, 10);
        assertEquals(2.5, e.loss(), 1e-12);
        assertEquals(Math.sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3 / 4), e.se(), 1e-12);
        assertEquals(40, e.tokens());
    }
}
