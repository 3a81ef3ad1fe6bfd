package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.scalinglab.data.WindowSampler;
import org.scalinglab.engine.Tensors;
import org.scalinglab.model.Gpt;

/**
 * Validation loss on fixed windows of the validation split ({@link WindowSampler#tiles}: evenly spread,
 * non-overlapping, the same for every run on the same data), kept on the device. Each evaluation
 * returns the mean per-token loss and its standard error over the windows' own mean losses.
 */
final class Evaluator implements AutoCloseable {
    /** Caps the logits of one forward pass at this many numbers, so small models evaluate in big batches. */
    static final long LOGITS_PER_BATCH = 1L << 20;

    /** One evaluation: mean loss (nats per token), its standard error, and the windows and tokens it read. */
    record Evaluation(double loss, double se, int windows, long tokens) {}

    private final WindowSet during;
    private final WindowSet last;

    /**
     * @param windows windows of every evaluation during the run
     * @param finalWindows windows of the evaluation at the last step (the loss a fit reads)
     * @param minRows rows per forward pass at least (the training micro-batch, which is known to fit)
     */
    Evaluator(WindowSampler val, int windows, int finalWindows, int minRows, int context, int vocab,
            NDManager device) {
        int rows = (int) Math.max(minRows, Math.min(4096, LOGITS_PER_BATCH / ((long) context * vocab)));
        this.during = new WindowSet(val, windows, rows, context, device);
        this.last = finalWindows == windows ? during : new WindowSet(val, finalWindows, rows, context, device);
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

    /** A fixed set of windows on the device, in batches. */
    private static final class WindowSet implements AutoCloseable {
        private final PtNDArray[] inputs;
        private final PtNDArray[] targets;
        private final int windows;
        private final int context;

        WindowSet(WindowSampler val, int count, int rows, int context, NDManager device) {
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
        }

        /**
         * Reads each batch's window losses as it goes (a device sync per batch, cheap next to the
         * forward pass): an op's result kept open holds on to the intermediates libtorch made for it,
         * about 2 MB a batch for a tiny model, so collecting the results on the device first grew the
         * process by gigabytes over a large validation set.
         */
        Evaluation evaluate(Gpt model, TrainableParameters params) {
            try (NDScope scope = new NDScope()) {
                JniUtils.setGradMode(false);
                PtNDArray p = params.forEvaluation();
                float[] losses = new float[windows];
                int filled = 0;
                for (int b = 0; b < inputs.length; b++) {
                    try (PtNDArray perWindow = (PtNDArray) model.windowLosses(p, inputs[b], targets[b])) {
                        float[] v = perWindow.toFloatArray();
                        System.arraycopy(v, 0, losses, filled, v.length);
                        filled += v.length;
                    }
                }
                return summarize(losses, context);
            }
        }

        @Override
        public void close() {
            for (int b = 0; b < inputs.length; b++) {
                inputs[b].close();
                targets[b].close();
            }
        }
    }

    /** Mean and standard error of the mean over windows of equal length (so the mean is per token too). */
    static Evaluation summarize(float[] windowLosses, int context) {
        int n = windowLosses.length;
        double sum = 0;
        for (float v : windowLosses) {
            sum += v;
        }
        double mean = sum / n;
        double ss = 0;
        for (float v : windowLosses) {
            ss += (v - mean) * (v - mean);
        }
        double se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Double.NaN;
        return new Evaluation(mean, se, n, (long) n * context);
    }
}
