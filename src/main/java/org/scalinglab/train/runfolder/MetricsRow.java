package org.scalinglab.train.runfolder;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One row of {@code metrics.csv}. Empty cells (null) mean "not measured at this row": validation
 * loss between evaluations, MFU on a device whose peak is unknown.
 *
 * @param step optimizer steps completed
 * @param tokens training tokens consumed so far
 * @param trainLoss mean training loss over the steps since the previous row
 * @param valLoss mean loss over the fixed validation windows, when evaluated at this step
 * @param valLossSe its standard error over the windows' mean losses
 * @param gradNorm mean global gradient norm (before clipping) over the same steps
 * @param tokensPerS training throughput over the same steps (evaluation time excluded)
 * @param mfu model FLOP utilisation: tokens/s x PaLM's FLOPs per token (6 N with head + 12 L T d) / the device's peak
 * @param memMb device memory in use (GPU) or resident set (CPU), MiB
 * @param elapsedS wall seconds since the run first started, resumptions included
 */
@JsonPropertyOrder({"step", "tokens", "flops_kaplan", "flops_chinchilla", "train_loss", "val_loss", "val_loss_se", "lr", "grad_norm",
    "loss_scale", "tokens_per_s", "mfu", "mem_mb", "elapsed_s"})
public record MetricsRow(long step, long tokens, double flopsKaplan, double flopsChinchilla, Double trainLoss,
        Double valLoss, Double valLossSe, double lr, Double gradNorm, double lossScale, Double tokensPerS, Double mfu, Double memMb,
        double elapsedS) {}
