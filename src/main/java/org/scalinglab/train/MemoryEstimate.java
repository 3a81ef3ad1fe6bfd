package org.scalinglab.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.engine.GpuInfo;
import org.scalinglab.model.GptShape;

/**
 * A run's peak memory, estimated before it trains, so that a plan whose shape cannot fit is refused
 * instead of failing hours later. Deliberately rough: float32 master weights, AdamW's two moments and
 * the gradient (16 bytes per parameter, 20 with float16 weights and gradients), the activations one
 * micro-batch keeps for the backward pass (per layer and token 16 d_model values and 1.5 attention
 * rows of the context per head: calibrated on the 48 GB that DJL 0.35.1 was measured to take for the
 * d768 x 12 layers, context 1024, batch 32 shape), the logits and their log-softmax in float32, plus
 * 10%, and the process itself: 512 MiB of CUDA context on a GPU, 400 MiB of JVM and libtorch on the CPU.
 *
 * <p>Besides the device, the JVM itself: its heap holds the initial parameters (built on the host,
 * one float32 array) and, while a checkpoint is written, a copy of one array; its direct memory
 * holds the three arrays of a checkpoint being resumed. {@link #check} refuses a run that cannot
 * fit before anything is allocated, and sweep workers get a heap of {@link #heapBytes}.
 */
public final class MemoryEstimate {
    private MemoryEstimate() {}

    public static double bytes(RunConfig config, RunPlan plan, boolean gpu) {
        GptShape s = plan.shape();
        boolean fp16 = config.train().precision() == Precision.FP16;
        double weights = plan.params().total() * (fp16 ? 20.0 : 16.0);
        double element = fp16 ? 2 : 4;
        double tokens = (double) config.train().batchSize() * s.context();
        double perLayer = (16.0 * s.dModel() + 1.5 * s.heads() * s.context()) * element;
        double activations = tokens * (s.layers() * perLayer + 2.0 * s.vocab() * 4);
        return 1.1 * (weights + activations) + (gpu ? 512.0 : 400.0) * (1 << 20);
    }

    private static final double MIB = 1 << 20;
    private static final double GIB = 1 << 30;

    /**
     * Java heap a run's process needs: 8 bytes per parameter (the initial float32 array, and the copy
     * of one array a checkpoint writes), the fixed validation batches and two chunks of training
     * batches (int64 inputs and targets), the synthetic language when it is the data (the stream,
     * its successor table and the power iteration's vectors), and 192 MiB for the JVM, DJL and the
     * rest (a tiny run trains in 48 MiB).
     */
    public static long heapBytes(RunConfig config, RunPlan plan) {
        GptShape s = plan.shape();
        double window = s.context() + 1.0;
        double evalBatches = (double) config.train().evalBatches() * config.train().batchSize() * window * 16;
        double step = (double) config.train().sequencesPerStep() * window * 16;
        double chunks = 2 * Math.max(32 * MIB, step);
        return (long) (8.0 * plan.params().total() + evalBatches + chunks + dataHeap(config.data()) + 192 * MIB);
    }

    private static double dataHeap(DataConfig d) {
        if (d.source() == DataSource.MARKOV) {
            double contexts = Math.pow(d.markov().vocab(), d.markov().order());
            return d.markov().tokens() + contexts * (d.markov().branching() + 16.0);
        }
        return d.source() == DataSource.EMBEDDED ? 16 * MIB : 0; // text and shards are memory-mapped
    }

    /** Direct memory to resume from a checkpoint: its three float32 arrays, read whole, plus 64 MiB. */
    public static long directBytes(RunPlan plan) {
        return (long) (12.0 * plan.params().total() + 64 * MIB);
    }

    /**
     * Refuses, with the numbers, a run whose estimated memory exceeds its device's (the GPU's, or
     * the machine's on the CPU), or whose host-side arrays exceed this JVM's heap or direct memory.
     */
    public static void check(RunConfig config, RunPlan plan, String device, long heapMax, long directMax) {
        String shape = plan.shape().label() + " (" + String.format(Locale.ROOT, "%,d", plan.params().total())
                + " parameters)";
        double need = bytes(config, plan, device.startsWith("gpu"));
        OptionalLong cap = capacity(device, 1);
        if (cap.isPresent() && need > cap.getAsLong()) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "run of shape %s needs about %.1f GiB on %s "
                    + "(estimate: weights, gradients and AdamW moments, and one micro-batch's activations) and %s",
                    shape, need / GIB, device, device.startsWith("gpu")
                            ? String.format(Locale.ROOT, "%s allows %.1f GiB (90%% of its memory)", device,
                                    cap.getAsLong() / GIB)
                            : String.format(Locale.ROOT, "the machine allows %.1f GiB (80%% of its memory)",
                                    cap.getAsLong() / GIB)),
                    "use a smaller model, or a smaller train.batch_size with train.grad_accum");
        }
        long heap = heapBytes(config, plan);
        if (heap > heapMax) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "run of shape %s needs about %.1f GiB of "
                    + "Java heap (its parameters are built on the host) and this JVM has %.1f GiB", shape,
                    heap / GIB, heapMax / GIB), String.format(Locale.ROOT, "start it with more heap, e.g. "
                    + "SCALINGLAB_JAVA_OPTS=-Xmx%dg, or use a smaller model", (long) Math.ceil(heap / GIB) + 1));
        }
        long direct = directBytes(plan);
        if (direct > directMax) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "run of shape %s needs about %.1f GiB of "
                    + "direct memory to resume from its checkpoint and this JVM allows %.1f GiB", shape, direct / GIB,
                    directMax / GIB), String.format(Locale.ROOT, "start it with -XX:MaxDirectMemorySize=%dg "
                    + "(in SCALINGLAB_JAVA_OPTS), or use a smaller model", (long) Math.ceil(direct / GIB) + 1));
        }
    }

    /** This JVM's direct-memory limit: -XX:MaxDirectMemorySize, else (its default) the heap's. */
    public static long maxDirectMemory() {
        try {
            String v = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxDirectMemorySize").getValue();
            long b = Long.parseLong(v);
            return b > 0 ? b : Runtime.getRuntime().maxMemory();
        } catch (RuntimeException e) {
            return Runtime.getRuntime().maxMemory();
        }
    }

    /** Bytes one run may use on a device shared by {@code runsAtOnce} runs; empty when unknown. */
    public static OptionalLong capacity(String device, int runsAtOnce) {
        if (device.startsWith("gpu")) {
            int index = device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4));
            long mib = GpuInfo.of(index).memoryMiB();
            return mib > 0 ? OptionalLong.of((long) (0.9 * mib * (1 << 20) / runsAtOnce)) : OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return OptionalLong.of((long) (0.8 * kib * 1024 / runsAtOnce));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return OptionalLong.empty();
    }
}
