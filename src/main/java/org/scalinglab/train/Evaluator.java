package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.data.WindowSampler;
import org.scalinglab.engine.Tensors;
import org.scalinglab.model.Gpt;
import org.scalinglab.train.runfolder.MetricsRow;

/**
 * Validation on fixed windows of the validation split ({@link WindowSampler#tiles}: evenly spread,
 * non-overlapping, the same for every run on the same data), kept on the device. Each evaluation returns
 * the mean per-token loss and, each with its standard error over the windows' own means:
 *
 * <ul>
 *   <li>{@code val_acc}: per-token top-1 accuracy;
 *   <li>{@code val_brier}: the multi-class Brier score per token, sum_v (p_v - [v = target])^2, in [0, 2];
 *   <li>{@code val_em_k}, k in {@link #CONTINUATION}: exact match of the k-token greedy continuation of
 *       every prefix of a window. A greedy continuation equals the reference exactly when each of its k
 *       argmax predictions is right given the reference before it, so this is read off the same forward
 *       pass (consecutive correct predictions) at every start position with k targets after it;
 *   <li>{@code val_edit_k}: the token edit distance (Levenshtein) between the k-token greedy continuation
 *       and the reference, over k. Past the first wrong token the continuation runs on the model's own
 *       tokens, so this needs real decoding: it is measured on {@code continuation_windows} of the
 *       windows, evenly spread, each continued greedily for 16 tokens (the k-token continuations are its
 *       prefixes) from its first context - 15 tokens, by {@link Gpt#greedyContinuations} with a key-value
 *       cache.
 * </ul>
 */
final class Evaluator implements AutoCloseable {
    /** Caps the logits of one forward pass at this many numbers, so small models evaluate in big batches. */
    static final long LOGITS_PER_BATCH = 1L << 20;
    /** Continuation lengths of exact match and edit distance. */
    static final int[] CONTINUATION = MetricsRow.CONTINUATION;

    /** A metric's mean over windows and its standard error; NaN where it cannot be measured (k > context). */
    record Metric(double value, double se) {}

    /** Metrics as metrics.csv's cells: each name and its {@code _se}; null where not measured. */
    static Map<String, Double> metricCells(Map<String, Metric> metrics) {
        Map<String, Double> cells = new LinkedHashMap<>();
        metrics.forEach((k, m) -> {
            cells.put(k, finite(m.value()));
            cells.put(k + "_se", finite(m.se()));
        });
        return cells;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * One evaluation: mean loss (nats per token), its standard error, the windows and tokens it read, the
     * other metrics by name, and its wall time (of which decoding the continuations took {@code decodeSeconds}).
     */
    record Evaluation(double loss, double se, int windows, long tokens, Map<String, Metric> metrics, double seconds,
            double decodeSeconds) {}

    private final WindowSet during;
    private final WindowSet last;

    /**
     * @param windows windows of every evaluation during the run
     * @param finalWindows windows of the evaluation at the last step (the loss a fit reads)
     * @param minRows rows per forward pass at least (the training micro-batch, which is known to fit)
     * @param continuationWindows windows decoded greedily for the edit distance (0: none)
     */
    Evaluator(WindowSampler val, int windows, int finalWindows, int minRows, int context, int vocab,
            int continuationWindows, NDManager device) {
        int rows = (int) Math.max(minRows, Math.min(4096, LOGITS_PER_BATCH / ((long) context * vocab)));
        this.during = new WindowSet(val, windows, rows, context, continuationWindows, device);
        this.last = finalWindows == windows ? during
                : new WindowSet(val, finalWindows, rows, context, continuationWindows, device);
    }

    Evaluation evaluate(Gpt model, TrainableParameters params, boolean finalStep) {
        return (finalStep ? last : during).evaluate(model, params);
    }

    @Override
    public void close() {
        during.close();
        if (last != during) {
            last.close();
        }
    }

    /** The longest continuation measured: 16 tokens, or fewer when the context is shorter. */
    static int longest(int context) {
        return Math.min(CONTINUATION[CONTINUATION.length - 1], context);
    }

    /** A fixed set of windows on the device, in batches, and the prompts of the ones decoded. */
    private static final class WindowSet implements AutoCloseable {
        private final PtNDArray[] inputs;
        private final PtNDArray[] targets;
        private final int windows;
        private final int context;
        private final PtNDArray prompts;
        private final long[][] references;

        WindowSet(WindowSampler val, int count, int rows, int context, int decoded, NDManager device) {
            WindowSampler.Tiles tiles = val.tiles(context, count);
            this.windows = tiles.count();
            this.context = context;
            int batches = (windows + rows - 1) / rows;
            inputs = new PtNDArray[batches];
            targets = new PtNDArray[batches];
            for (int b = 0; b < batches; b++) {
                int n = Math.min(rows, windows - b * rows);
                long[] x = new long[n * context];
                long[] y = new long[x.length];
                val.fillAt(tiles, b * rows, n, x, y);
                inputs[b] = Tensors.owned(device, x, new Shape(n, context));
                targets[b] = Tensors.owned(device, y, new Shape((long) n * context, 1));
            }
            int s = Math.min(decoded, windows);
            int k = longest(context);
            int p = context + 1 - k; // the continuation ends at the window's last target
            references = new long[s][k];
            if (s == 0) {
                prompts = null;
                return;
            }
            long[] prompt = new long[s * p];
            long[] x = new long[context];
            long[] y = new long[context];
            for (int i = 0; i < s; i++) {
                data(val, tiles, (int) ((i + 0.5) * windows / s), x, y);
                System.arraycopy(x, 0, prompt, i * p, p);
                System.arraycopy(y, p - 1, references[i], 0, k);
            }
            prompts = Tensors.owned(device, prompt, new Shape(s, p));
        }

        private static void data(WindowSampler val, WindowSampler.Tiles tiles, int index, long[] x, long[] y) {
            val.fillAt(tiles, index, 1, x, y);
        }

        /**
         * Reads each batch's per-token scores as it goes (a device sync per batch, cheap next to the
         * forward pass): an op's result kept open holds on to the intermediates libtorch made for it,
         * about 2 MB a batch for a tiny model, so collecting the results on the device first grew the
         * process by gigabytes over a large validation set.
         */
        Evaluation evaluate(Gpt model, TrainableParameters params) {
            long t0 = System.nanoTime();
            try (NDScope scope = new NDScope()) {
                JniUtils.setGradMode(false);
                PtNDArray p = params.forEvaluation();
                WindowScores scores = new WindowScores(windows, context);
                int filled = 0;
                for (int b = 0; b < inputs.length; b++) {
                    Gpt.TokenScores t = model.tokenScores(p, inputs[b], targets[b]);
                    filled = scores.add(t, filled);
                }
                long t1 = System.nanoTime();
                long[][] continued = prompts == null ? new long[0][]
                        : model.greedyContinuations(p, prompts, references.length == 0 ? 1 : references[0].length);
                long t2 = System.nanoTime();
                Map<String, Metric> metrics = scores.metrics();
                metrics.putAll(editDistances(continued, references, context));
                Metric loss = meanAndSe(scores.loss);
                return new Evaluation(loss.value(), loss.se(), windows, (long) windows * context, metrics,
                        (t2 - t0) / 1e9, (t2 - t1) / 1e9);
            }
        }

        @Override
        public void close() {
            for (int b = 0; b < inputs.length; b++) {
                inputs[b].close();
                targets[b].close();
            }
            if (prompts != null) {
                prompts.close();
            }
        }
    }

    /** Per-window means of the teacher-forced metrics, filled a batch at a time. */
    static final class WindowScores {
        final double[] loss;
        final double[] acc;
        final double[] brier;
        final double[][] em;
        private final int context;

        WindowScores(int windows, int context) {
            this.context = context;
            loss = new double[windows];
            acc = new double[windows];
            brier = new double[windows];
            em = new double[CONTINUATION.length][windows];
        }

        /** Adds the windows of one batch from {@code from}; returns the next free window. */
        int add(Gpt.TokenScores t, int from) {
            int n = t.logProb().length / context;
            int[] run = new int[context];
            for (int r = 0; r < n; r++) {
                int w = from + r;
                int o = r * context;
                double l = 0;
                double a = 0;
                double br = 0;
                for (int i = 0; i < context; i++) {
                    double lp = t.logProb()[o + i];
                    l -= lp;
                    a += t.correct()[o + i] ? 1 : 0;
                    br += t.sumSquares()[o + i] - 2 * Math.exp(lp) + 1;
                }
                loss[w] = l / context;
                acc[w] = a / context;
                brier[w] = br / context;
                // run[i]: consecutive correct predictions from position i on
                for (int i = context - 1; i >= 0; i--) {
                    run[i] = t.correct()[o + i] ? 1 + (i + 1 < context ? run[i + 1] : 0) : 0;
                }
                for (int c = 0; c < CONTINUATION.length; c++) {
                    int k = CONTINUATION[c];
                    if (k > context) {
                        em[c][w] = Double.NaN;
                        continue;
                    }
                    int starts = context - k + 1;
                    int hits = 0;
                    for (int i = 0; i < starts; i++) {
                        hits += run[i] >= k ? 1 : 0;
                    }
                    em[c][w] = hits / (double) starts;
                }
            }
            return from + n;
        }

        Map<String, Metric> metrics() {
            Map<String, Metric> m = new LinkedHashMap<>();
            m.put("val_acc", meanAndSe(acc));
            m.put("val_brier", meanAndSe(brier));
            for (int c = 0; c < CONTINUATION.length; c++) {
                m.put("val_em_" + CONTINUATION[c], meanAndSe(em[c]));
            }
            return m;
        }
    }

    /** val_edit_k for every k: NaN where no window was decoded or k exceeds what was. */
    static Map<String, Metric> editDistances(long[][] continued, long[][] references, int context) {
        Map<String, Metric> m = new LinkedHashMap<>();
        for (int k : CONTINUATION) {
            if (continued.length == 0 || k > longest(context)) {
                m.put("val_edit_" + k, new Metric(Double.NaN, Double.NaN));
                continue;
            }
            double[] d = new double[continued.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = levenshtein(continued[i], references[i], k) / (double) k;
            }
            m.put("val_edit_" + k, meanAndSe(d));
        }
        return m;
    }

    /** Edit distance (insertions, deletions, substitutions, each 1) between the first k tokens of a and b. */
    static int levenshtein(long[] a, long[] b, int k) {
        int[] prev = new int[k + 1];
        int[] cur = new int[k + 1];
        for (int j = 0; j <= k; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= k; i++) {
            cur[0] = i;
            for (int j = 1; j <= k; j++) {
                int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[k];
    }

    /** Mean and standard error of the mean over windows (of equal length, so the mean is per token too). */
    static Metric meanAndSe(double[] v) {
        int n = v.length;
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new Metric(mean, n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN);
    }

    /** Mean and standard error of window losses, as an evaluation without the other metrics. */
    static Evaluation summarize(float[] windowLosses, int context) {
        double[] v = new double[windowLosses.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = windowLosses[i];
        }
        Metric m = meanAndSe(v);
        return new Evaluation(m.value(), m.se(), v.length, (long) v.length * context, Map.of(), 0, 0);
    }
}
