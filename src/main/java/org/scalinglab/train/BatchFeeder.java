package org.scalinglab.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.scalinglab.data.WindowSampler;
import org.scalinglab.engine.Tensors;

/**
 * Training batches on the device, in step order. Batches are drawn on a background thread while
 * the device works, and copied to the device a chunk of several steps at a time: DJL copies from
 * pageable host memory, which waits for the device, so one copy per chunk instead of per step
 * keeps the device queue full. Micro-batch m of step s is the sampler's window set (s, m), so a
 * resumed run sees exactly the batches an uninterrupted one would.
 */
final class BatchFeeder implements AutoCloseable {
    private static final long CHUNK_BYTES = 16L << 20;
    private static final int MAX_CHUNK_STEPS = 64;

    private final WindowSampler sampler;
    private final long seed;
    private final int batch;
    private final int context;
    private final int accum;
    private final long lastStep;
    private final int chunkSteps;
    private final NDManager device;
    private final ExecutorService worker;

    private long chunkFirstStep;
    private Future<long[][]> pending;
    private PtNDArray inputs;
    private PtNDArray targets;

    /** A micro-batch: inputs (B, T) and targets (B * T, 1), int64 views into the current chunk. */
    record Batch(PtNDArray inputs, PtNDArray targets) {}

    BatchFeeder(WindowSampler sampler, long seed, int batch, int context, int accum, NDManager device,
            long firstStep, long lastStep) {
        this.sampler = sampler;
        this.seed = seed;
        this.batch = batch;
        this.context = context;
        this.accum = accum;
        this.lastStep = lastStep;
        this.device = device;
        long bytesPerStep = 2L * Long.BYTES * batch * context * accum;
        this.chunkSteps = (int) Math.max(1, Math.min(MAX_CHUNK_STEPS, CHUNK_BYTES / bytesPerStep));
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-feeder");
            t.setDaemon(true);
            return t;
        });
        this.chunkFirstStep = firstStep;
        this.pending = prepare(firstStep);
    }

    /** Micro-batch {@code micro} of step {@code step}; steps must come in order. */
    Batch get(long step, int micro) {
        if (inputs == null || step >= chunkFirstStep + chunkSteps) {
            advanceTo(step);
        }
        long row = (step - chunkFirstStep) * accum + micro;
        PtNDManager m = inputs.getManager();
        return new Batch(JniUtils.getItem(inputs, new long[] {row}, m), JniUtils.getItem(targets, new long[] {row}, m));
    }

    private void advanceTo(long step) {
        if (inputs != null) {
            inputs.close();
            targets.close();
            chunkFirstStep += chunkSteps;
        }
        if (step != chunkFirstStep) {
            throw new IllegalStateException("batches requested out of order: step " + step);
        }
        long[][] host;
        try {
            host = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while drawing batches", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        int rows = host[0].length / (batch * context);
        inputs = Tensors.owned(device, host[0], new Shape(rows, batch, context));
        targets = Tensors.owned(device, host[1], new Shape(rows, (long) batch * context, 1));
        NDScope.unregister(inputs, targets); // the chunk outlives the step that loaded it
        long next = chunkFirstStep + chunkSteps;
        pending = next < lastStep ? prepare(next) : null;
    }

    private Future<long[][]> prepare(long first) {
        return worker.submit(() -> {
            long steps = Math.min(chunkSteps, lastStep - first);
            int window = batch * context;
            long[] x = new long[Math.toIntExact(steps * accum * window)];
            long[] y = new long[x.length];
            long[] bx = new long[window];
            long[] by = new long[window];
            for (long s = 0; s < steps; s++) {
                for (int m = 0; m < accum; m++) {
                    sampler.fill(seed, first + s, m, batch, context, bx, by);
                    int at = (int) ((s * accum + m) * window);
                    System.arraycopy(bx, 0, x, at, window);
                    System.arraycopy(by, 0, y, at, window);
                }
            }
            return new long[][] {x, y};
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (inputs != null) {
            inputs.close();
            targets.close();
        }
    }
}
