package org.scalinglab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.engine.GpuInfo;
import org.scalinglab.model.GptShape;
import org.scalinglab.train.RunPlan;

/**
 * A run's peak memory, estimated before it trains, so that a plan whose shape cannot fit is refused
 * instead of failing hours later. Deliberately rough: float32 master weights, AdamW's two moments and
 * the gradient (16 bytes per parameter, 20 with float16 weights and gradients), the activations one
 * micro-batch keeps for the backward pass (per layer and token 16 d_model values and 1.5 attention
 * rows of the context per head: calibrated on the 48 GB that ../shared/DJL_NOTES.md reports for the
 * d768 x 12 layers, context 1024, batch 32 shape), the logits and their log-softmax in float32, plus
 * 10%, and the process itself: 512 MiB of CUDA context on a GPU, 400 MiB of JVM and libtorch on the CPU.
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
