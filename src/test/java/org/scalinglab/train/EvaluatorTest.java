package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.HashSet;
import java.util.Set;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.RunConfig;
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
            try (Evaluator e = new Evaluator(data.val(), 8, windows, 4, s.context(), s.vocab(), 0, m)) {
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
    void everyMetricEqualsItsDirectComputationFromTheLogits(@TempDir Path dir) {
        // a briefly trained model, so that exact matches of a few tokens happen and argmax has no near ties
        RunConfig cfg = TrainerTest.config("""
                data: {source: markov, vocab_size: 32, split_block_tokens: 4096, markov: {order: 1, tokens: 100000}}
                model: {context: 20, d_model: 16, layers: 1, heads: 2}
                train: {steps: 120, eval_every: 120, continuation_windows: 0, keep_final_checkpoint: true}
                """);
        new Trainer(cfg, dir, TrainingListener.SILENT).run();
        Checkpoint.Loaded trained = Checkpoint.load(dir.resolve(Checkpoint.FILE));
        GptShape s = new GptShape(32, 20, 16, 1, 2, 4);
        try (TokenData data = TokenData.open(cfg.data());
                NDManager m = TorchRuntime.engine().newBaseManager(ai.djl.Device.cpu());
                Gpt gpt = new Gpt(s, m, DataType.FLOAT32)) {
            int windows = 23;
            int decoded = 7;
            int t = s.context();
            int v = s.vocab();
            try (TrainableParameters p = new TrainableParameters(m, gpt.layout(), trained.params(), DataType.FLOAT32);
                    Evaluator e = new Evaluator(data.val(), windows, windows, 5, t, v, decoded, m)) {
                Evaluator.Evaluation got = e.evaluate(gpt, p, true);
                WindowSampler.Tiles tiles = data.val().tiles(t, windows);
                double[] acc = new double[windows];
                double[] brier = new double[windows];
                double[][] em = new double[5][windows];
                long[][] xs = new long[windows][t];
                long[][] ys = new long[windows][t];
                for (int w = 0; w < windows; w++) {
                    data.val().fillAt(tiles, w, 1, xs[w], ys[w]);
                    float[] logits = gpt.logits(p.forEvaluation(), m.create(xs[w], new Shape(1, t))).toFloatArray();
                    boolean[] right = new boolean[t];
                    for (int i = 0; i < t; i++) {
                        double max = Double.NEGATIVE_INFINITY;
                        int arg = 0;
                        for (int c = 0; c < v; c++) {
                            if (logits[i * v + c] > max) {
                                max = logits[i * v + c];
                                arg = c;
                            }
                        }
                        double z = 0;
                        for (int c = 0; c < v; c++) {
                            z += Math.exp(logits[i * v + c] - max);
                        }
                        for (int c = 0; c < v; c++) {
                            double pc = Math.exp(logits[i * v + c] - max) / z;
                            brier[w] += (pc - (c == ys[w][i] ? 1 : 0)) * (pc - (c == ys[w][i] ? 1 : 0)) / t;
                        }
                        right[i] = arg == ys[w][i];
                        acc[w] += right[i] ? 1.0 / t : 0;
                    }
                    for (int c = 0; c < 5; c++) {
                        int k = Evaluator.CONTINUATION[c];
                        int starts = t - k + 1;
                        for (int st = 0; st < starts; st++) {
                            boolean all = true;
                            for (int j = 0; j < k; j++) {
                                all &= right[st + j];
                            }
                            em[c][w] += all ? 1.0 / starts : 0;
                        }
                    }
                }
                assertMetric(acc, got.metrics().get("val_acc"));
                assertMetric(brier, got.metrics().get("val_brier"));
                for (int c = 0; c < 5; c++) {
                    assertMetric(em[c], got.metrics().get("val_em_" + Evaluator.CONTINUATION[c]));
                }
                assertTrue(got.metrics().get("val_acc").value() > 0.3, "trained: " + got.metrics());
                assertTrue(got.metrics().get("val_em_4").value() > 0, "exact matches of 4 tokens: " + got.metrics());

                // edit distance: greedy decoding by full forward passes from each decoded window's prompt
                int k = 16;
                int prompt = t + 1 - k;
                double[][] edit = new double[5][decoded];
                for (int i = 0; i < decoded; i++) {
                    int w = (int) ((i + 0.5) * windows / decoded);
                    long[] seq = java.util.Arrays.copyOf(java.util.Arrays.copyOf(xs[w], prompt), t);
                    long[] cont = new long[k];
                    for (int j = 0; j < k; j++) {
                        float[] logits = gpt.logits(p.forEvaluation(), m.create(seq, new Shape(1, t))).toFloatArray();
                        int at = prompt - 1 + j;
                        int arg = 0;
                        for (int c = 1; c < v; c++) {
                            if (logits[at * v + c] > logits[at * v + arg]) {
                                arg = c;
                            }
                        }
                        cont[j] = arg;
                        if (at + 1 < t) {
                            seq[at + 1] = arg;
                        }
                    }
                    long[] ref = java.util.Arrays.copyOfRange(ys[w], prompt - 1, prompt - 1 + k);
                    for (int c = 0; c < 5; c++) {
                        int kk = Evaluator.CONTINUATION[c];
                        edit[c][i] = Evaluator.levenshtein(cont, ref, kk) / (double) kk;
                    }
                }
                for (int c = 0; c < 5; c++) {
                    assertMetric(edit[c], got.metrics().get("val_edit_" + Evaluator.CONTINUATION[c]));
                }
                assertTrue(got.decodeSeconds() > 0 && got.decodeSeconds() < got.seconds());
            }
        }
    }

    private static void assertMetric(double[] perWindow, Evaluator.Metric got) {
        double mean = java.util.Arrays.stream(perWindow).average().orElseThrow();
        double var = java.util.Arrays.stream(perWindow).map(x -> (x - mean) * (x - mean)).sum() / (perWindow.length - 1);
        assertEquals(mean, got.value(), 1e-5);
        assertEquals(Math.sqrt(var / perWindow.length), got.se(), 1e-5);
    }

    @Test
    void exactMatchOfPlantedPredictionsCountsRunsOfRightTokens() {
        // right, right, wrong, right x 4, wrong: runs from each position 2 1 0 4 3 2 1 0
        boolean[] right = {true, true, false, true, true, true, true, false};
        float[] lp = new float[8];
        float[] ss = new float[8];
        for (int i = 0; i < 8; i++) {
            lp[i] = (float) Math.log(right[i] ? 0.5 : 0.25);
            ss[i] = 0.5f;
        }
        Evaluator.WindowScores w = new Evaluator.WindowScores(1, 8);
        assertEquals(1, w.add(new org.scalinglab.model.Gpt.TokenScores(lp, ss, right), 0));
        assertEquals(6 / 8.0, w.acc[0], 1e-12);
        assertEquals(6 / 8.0, w.em[0][0], 1e-12); // k = 1 is accuracy
        assertEquals(4 / 7.0, w.em[1][0], 1e-12); // k = 2: starts 0, 3, 4, 5 of 0..6
        assertEquals(1 / 5.0, w.em[2][0], 1e-12); // k = 4: start 3 of 0..4
        assertEquals(0, w.em[3][0], 1e-12); // k = 8: the one start fails
        assertTrue(Double.isNaN(w.em[4][0]), "16 tokens do not fit a context of 8");
        // Brier per token: sum p^2 - 2 p(target) + 1 = 0.5 - 1 + 1 (right) or 0.5 - 0.5 + 1 (wrong)
        assertEquals((6 * 0.5 + 2 * 1.0) / 8, w.brier[0], 1e-7);
        assertEquals(-(6 * Math.log(0.5) + 2 * Math.log(0.25)) / 8, w.loss[0], 1e-6);
    }

    @Test
    void editDistanceOfKnownPairs() {
        assertEquals(0, Evaluator.levenshtein(new long[] {1, 2, 3, 4}, new long[] {1, 2, 3, 4}, 4));
        assertEquals(2, Evaluator.levenshtein(new long[] {1, 2, 3, 4}, new long[] {2, 3, 4, 5}, 4), "a shift: delete, insert");
        assertEquals(4, Evaluator.levenshtein(new long[] {1, 1, 1, 1}, new long[] {2, 2, 2, 2}, 4));
        assertEquals(1, Evaluator.levenshtein(new long[] {1, 9, 3, 4}, new long[] {1, 2, 3, 4}, 4));
        assertEquals(0, Evaluator.levenshtein(new long[] {1, 9}, new long[] {1, 2}, 1), "only the first k tokens");
    }

    @Test
    void summaryOfKnownValues() {
        Evaluator.Evaluation e = Evaluator.summarize(new float[] {1, 2, 3, 4}, 10);
        assertEquals(2.5, e.loss(), 1e-12);
        assertEquals(Math.sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3 / 4), e.se(), 1e-12);
        assertEquals(40, e.tokens());
    }
}
