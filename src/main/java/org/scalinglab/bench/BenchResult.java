package org.scalinglab.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One benchmark row: a shape trained for a fixed number of steps in one precision, possibly as
 * one of several processes sharing the GPU ({@code processes} > 1: the numbers are the sum).
 *
 * @param tflops achieved model TFLOP/s, FLOPs counted as PaLM's MFU counts them ({@code Flops.palm})
 * @param mfu model FLOP utilisation: {@code tflops} over the device's dense peak for the precision
 * @param mfuKaplan the same with attention counted as Kaplan et al. do (6 L T d, {@code Flops.kaplanWithHead}),
 *        as scalinglab reported MFU before; lower by 9-12 % at the reference shapes
 * @param flopsPerToken training FLOPs per token, PaLM's count: 6 N (non-embedding and head) + 12 L T d
 * @param peakGiB device memory in use at the end of the run, above the process's baseline
 */
@JsonPropertyOrder({"shape", "precision", "processes", "tokens_per_s", "tflops", "mfu", "mfu_kaplan", "peak_gib",
    "ms_per_step", "host_forward_ms", "host_backward_ms", "host_optimizer_ms", "final_loss", "flops_per_token",
    "steps"})
public record BenchResult(String shape, String precision, int processes, double tokensPerS, double tflops,
        Double mfu, Double mfuKaplan, double peakGib, double msPerStep, double hostForwardMs, double hostBackwardMs,
        double hostOptimizerMs, double finalLoss, double flopsPerToken, int steps, String error,
        List<double[]> memoryTrace, long startMillis, long endMillis) {}
