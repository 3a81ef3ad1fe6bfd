package org.scalinglab.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One benchmark row: a shape trained for a fixed number of steps in one precision, possibly as
 * one of several processes sharing the GPU ({@code processes} > 1: the numbers are the sum).
 *
 * @param flopsPerToken training FLOPs per token as the reference bench counts them (6N + attention + head)
 * @param peakGiB device memory in use at the end of the run, above the process's baseline
 */
@JsonPropertyOrder({"shape", "precision", "processes", "tokens_per_s", "tflops", "mfu", "peak_gib", "ms_per_step",
    "host_forward_ms", "host_backward_ms", "host_optimizer_ms", "final_loss", "flops_per_token", "steps"})
public record BenchResult(String shape, String precision, int processes, double tokensPerS, double tflops,
        Double mfu, double peakGib, double msPerStep, double hostForwardMs, double hostBackwardMs,
        double hostOptimizerMs, double finalLoss, double flopsPerToken, int steps, String error,
        List<double[]> memoryTrace, long startMillis, long endMillis) {}
