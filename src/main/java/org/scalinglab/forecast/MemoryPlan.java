package org.scalinglab.forecast;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.scalinglab.engine.PeakFlops;

/**
 * Training memory per GPU of a suggested shape, as a rough plan (what a framework adds is not counted):
 * <ul>
 *   <li>model states: mixed-precision AdamW holds 16 bytes per parameter (16-bit weights and gradients,
 *       float32 master weights and both moments: Rajbhandari et al. 2020), sharded over the k GPUs (ZeRO-3 /
 *       FSDP full sharding) when there are several;
 *   <li>activations of one micro-batch of b sequences of T tokens, without tensor parallelism, in 16-bit
 *       (twice that in fp32 or tf32), per Korthikanti et al. 2022 (eq. 2 and section 5): T b d L (34 + 5 a T / d)
 *       bytes kept with no recomputation; T b d L 34 with selective recomputation (the attention scores are
 *       not kept, as with fused attention; the default); T b d L 2 with full recomputation (only each layer's
 *       input); plus the float32 logits and their gradient, 8 T b V bytes.
 * </ul>
 * It fits when the total is at most 90 % of the GPU's memory (as {@code plan} allows a device).
 */
@JsonPropertyOrder({"bytes_per_param", "states_gib", "sharded_over", "states_gib_per_gpu", "micro_batch", "context",
    "recompute", "activations_gib", "total_gib_per_gpu", "gpu_memory_gib", "usable_gib", "fits", "method"})
public record MemoryPlan(double bytesPerParam, double statesGib, int shardedOver, double statesGibPerGpu,
        int microBatch, int context, Recompute recompute, double activationsGib, double totalGibPerGpu, double gpuMemoryGib,
        double usableGib, boolean fits, String method) {
    public static final double BYTES_PER_PARAM = 16;
    public static final double USABLE = 0.9;
    private static final double GIB = 1L << 30;

    /** What the backward pass recomputes instead of keeping (Korthikanti et al. 2022). */
    public enum Recompute {
        NONE, SELECTIVE, FULL;

        public static Recompute parse(String s) {
            for (Recompute r : values()) {
                if (r.name().equalsIgnoreCase(s.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown recomputation '" + s + "' (expected none, selective or full)");
        }

        /** 16-bit bytes kept per layer and token, over d_model. */
        double bytesPerLayerToken(double heads, double t, double d) {
            return switch (this) {
                case NONE -> 34 + 5 * heads * t / d;
                case SELECTIVE -> 34;
                case FULL -> 2;
            };
        }
    }

    public static MemoryPlan of(ShapeRule.Shape s, int gpus, int microBatch, Recompute recompute,
            PeakFlops.Format format, double gpuGib) {
        double states = BYTES_PER_PARAM * s.paramsTotal();
        double t = s.context();
        double perLayer = t * microBatch * s.dModel() * recompute.bytesPerLayerToken(s.heads(), t, s.dModel());
        double wide = format == PeakFlops.Format.FP32 || format == PeakFlops.Format.TF32 ? 2 : 1;
        double activations = wide * s.layers() * perLayer + 8 * t * microBatch * s.vocab();
        double perGpu = states / gpus + activations;
        return new MemoryPlan(BYTES_PER_PARAM, states / GIB, gpus, states / gpus / GIB, microBatch, s.context(),
                recompute, activations / GIB, perGpu / GIB, gpuGib, USABLE * gpuGib, perGpu <= USABLE * gpuGib * GIB,
                (gpus > 1 ? "16 bytes per parameter (mixed-precision AdamW) sharded over " + gpus + " GPUs (ZeRO-3/FSDP)"
                        : "16 bytes per parameter (mixed-precision AdamW) on one GPU")
                        + ", plus the activations of one micro-batch (Korthikanti et al. 2022, "
                        + recompute.name().toLowerCase(java.util.Locale.ROOT) + " recomputation"
                        + (wide > 1 ? ", 32-bit" : ", 16-bit") + ") and float32 logits; fits if at most 90 % of the GPU");
    }
}
