package org.scalinglab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.engine.TorchRuntime;

/** When a run has diverged, and what its message advises changing. */
final class Divergence {
    private Divergence() {}

    /**
     * Why the run has diverged, or null when it has not: the float16 loss scale collapsed, the training
     * loss is not finite or rose above train.divergence_factor x its start, or so did the validation loss.
     */
    static String reason(TrainConfig t, LossScaler scaler, double initialLoss, double trainLoss, Double val) {
        double limit = t.divergenceFactor() * initialLoss;
        if (scaler.collapsed()) {
            return "the float16 loss scale fell below " + LossScaler.MINIMUM + " (gradients overflow at every scale)";
        } else if (!Double.isFinite(trainLoss)) {
            return "the training loss became " + trainLoss;
        } else if (trainLoss > limit) {
            return String.format(Locale.ROOT, "the training loss %.3f rose above %.1f x its start (%.3f)",
                    trainLoss, t.divergenceFactor(), initialLoss);
        } else if (val != null && (!Double.isFinite(val) || val > limit)) {
            return "the validation loss became " + val;
        }
        return null;
    }

    /** What to change, leaving out what is already set so (clipping at 1.0, fp32). */
    static String advice(TrainConfig t, RunPlan plan) {
        List<String> tries = new ArrayList<>();
        tries.add("a lower train.optimizer.lr (now " + t.optimizer().lr() + ")");
        tries.add("a longer warmup (train.schedule.warmup_steps, now " + plan.warmupSteps() + " steps)");
        double clip = t.optimizer().gradClip();
        if (clip == 0 || clip > 1.0) {
            tries.add("train.optimizer.grad_clip 1.0 (now " + (clip == 0 ? "off" : clip) + ")");
        }
        if (t.precision() != Precision.FP32) {
            tries.add("train.precision fp32 (now " + TorchRuntime.name(t.precision()) + ")");
        }
        return String.join(", ", tries.subList(0, tries.size() - 1)) + " or " + tries.get(tries.size() - 1);
    }
}
