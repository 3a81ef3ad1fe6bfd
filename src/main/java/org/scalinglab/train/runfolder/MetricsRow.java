package org.scalinglab.train.runfolder;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
 * @param extra the columns after {@code elapsed_s} ({@link #EXTRA_COLUMNS}) that this row has: the other
 *     validation metrics with their standard errors (measured by train/Evaluator), the evaluation's seconds,
 *     and the gradient noise scale (train/NoiseScale)
 */
@JsonPropertyOrder({"step", "tokens", "flops_kaplan", "flops_chinchilla", "train_loss", "val_loss", "val_loss_se", "lr", "grad_norm",
    "loss_scale", "tokens_per_s", "mfu", "mem_mb", "elapsed_s"})
public record MetricsRow(long step, long tokens, double flopsKaplan, double flopsChinchilla, Double trainLoss,
        Double valLoss, Double valLossSe, double lr, Double gradNorm, double lossScale, Double tokensPerS, Double mfu, Double memMb,
        double elapsedS, @JsonIgnore Map<String, Double> extra) {

    /** Continuation lengths k of the exact-match and edit-distance metrics. */
    public static final int[] CONTINUATION = {1, 2, 4, 8, 16};
    /** The metrics of every evaluation besides the loss, in column order (each followed by its {@code _se}). */
    public static final List<String> METRICS = metricNames();

    /**
     * The columns after {@code elapsed_s}, in order: each of {@link #METRICS} and its {@code _se};
     * {@code eval_s} and {@code decode_s}, the evaluation's wall seconds and the part spent decoding
     * continuations; {@code gns_g2} and {@code gns_trace}, the row's unbiased estimates of |G|^2 and
     * tr(Sigma) (per token); {@code b_simple}, the smoothed noise scale in tokens.
     */
    public static final List<String> EXTRA_COLUMNS = extraColumns();

    public MetricsRow {
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(extra);
    }

    private static List<String> extraColumns() {
        List<String> c = new ArrayList<>();
        for (String m : METRICS) {
            c.add(m);
            c.add(m + "_se");
        }
        c.addAll(List.of("eval_s", "decode_s", "gns_g2", "gns_trace", "b_simple"));
        return Collections.unmodifiableList(c);
    }

    private static List<String> metricNames() {
        List<String> n = new ArrayList<>(List.of("val_acc", "val_brier"));
        for (int k : CONTINUATION) {
            n.add("val_em_" + k);
        }
        for (int k : CONTINUATION) {
            n.add("val_edit_" + k);
        }
        return Collections.unmodifiableList(n);
    }
}
