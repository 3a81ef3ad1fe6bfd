package org.scalinglab.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.DataConfig.MarkovConfig;
import org.scalinglab.config.TrainConfig.OptimizerConfig;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.config.TrainConfig.ScheduleConfig;

/** Checks the ranges and relations that types alone cannot; each failure names its key. */
final class ConfigValidator {
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu(:\\d+)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ConfigValidator() {}

    static void validate(RunConfig c) {
        require(c.name() != null && NAME.matcher(c.name()).matches(), "name",
                "must be letters, digits, '.', '_' or '-' (it names a folder)");
        require(c.device() != null && DEVICE.matcher(c.device()).matches(), "device", "must be auto, cpu, gpu or gpu:N");
        require(c.threads() >= 0, "threads", "must be >= 0");
        validateData(c.data());
        validateModel(c.model());
        validateTrain(c.train());
        validateSize(c);
    }

    /**
     * The most parameters a run can hold: they are built on the host in one float32 Java array, and
     * a checkpoint reads each of its three arrays into one buffer of at most 2^31 - 1 bytes.
     */
    static final long MAX_PARAMS = Integer.MAX_VALUE / Float.BYTES;

    /** Sizes whose counts would overflow the int and long arithmetic (and arrays) of a run. */
    private static void validateSize(RunConfig c) {
        ModelConfig m = c.model();
        double d = m.dModel();
        double f = (double) m.mlpRatio() * m.dModel();
        double params = m.layers() * (4 * d * d + 2 * d * f + 9 * d + f) + 2 * d
                + ((double) c.data().vocabSize() + m.context()) * d; // docs/training.md: total parameters
        if (params > MAX_PARAMS) {
            throw ScalingLabException.config(String.format(java.util.Locale.ROOT, "config key 'model': d_model %d x "
                    + "%d layers (mlp_ratio %d, vocabulary %d, context %d) make %.3g parameters, more than the %,d a run "
                    + "can hold (one float32 array of at most 2 GiB)", m.dModel(), m.layers(), m.mlpRatio(),
                    c.data().vocabSize(), m.context(), params, MAX_PARAMS),
                    "use a smaller model.d_model, fewer model.layers or a smaller model.mlp_ratio");
        }
        TrainConfig t = c.train();
        double window = m.context() + 1.0;
        double perStep = (double) t.batchSize() * t.gradAccum() * window;
        double eval = (double) t.batchSize() * t.evalBatches() * window;
        if (perStep > Integer.MAX_VALUE || eval > Integer.MAX_VALUE) {
            throw ScalingLabException.config(String.format(java.util.Locale.ROOT, "config key 'train.batch_size': "
                    + "%d sequences of %d tokens x %s make %.3g tokens, more than one array can hold (%,d)",
                    t.batchSize(), m.context() + 1, perStep >= eval ? "train.grad_accum " + t.gradAccum()
                            : "train.eval_batches " + t.evalBatches(), Math.max(perStep, eval), Integer.MAX_VALUE),
                    "use a smaller train.batch_size");
        }
    }

    private static void validateData(DataConfig d) {
        require(d.source() != null, "data.source", "is required");
        require(d.vocabSize() >= 2 && d.vocabSize() <= 1 << 20, "data.vocab_size", "must be in [2, 1048576]");
        require(d.valFraction() > 0 && d.valFraction() < 0.5, "data.val_fraction", "must be in (0, 0.5)");
        require(d.splitBlockTokens() >= 64, "data.split_block_tokens", "must be >= 64");
        boolean needsPath = d.source() == DataSource.TEXT || d.source() == DataSource.NANOGPT
                || d.source() == DataSource.LLMC;
        require(!needsPath || (d.path() != null && !d.path().isBlank()), "data.path",
                "is required when data.source is " + d.source().name().toLowerCase(java.util.Locale.ROOT));
        if (d.source() == DataSource.TEXT || d.source() == DataSource.EMBEDDED) {
            require(d.vocabSize() == 256, "data.vocab_size", "must be 256 for byte-level text");
        }
        MarkovConfig m = d.markov();
        require(m != null, "data.markov", "is required");
        require(m.vocab() >= 2 && m.vocab() <= 256, "data.markov.vocab", "must be in [2, 256]");
        require(m.order() >= 1 && m.order() <= 4, "data.markov.order", "must be in [1, 4]");
        require(Math.pow(m.vocab(), m.order()) <= 1 << 22, "data.markov",
                "vocab^order contexts must be at most 4194304");
        require(m.branching() >= 1 && m.branching() <= m.vocab(), "data.markov.branching", "must be in [1, vocab]");
        require(m.zipfExponent() >= 0, "data.markov.zipf_exponent", "must be >= 0");
        require(m.popularityExponent() >= 0 && m.popularityExponent() <= 4, "data.markov.popularity_exponent",
                "must be in [0, 4]");
        require(m.uniformMix() > 0 && m.uniformMix() < 1, "data.markov.uniform_mix",
                "must be in (0, 1): it keeps the chain ergodic, so its entropy rate is well defined");
        require(m.tokens() >= 10_000, "data.markov.tokens", "must be >= 10000");
        if (d.source() == DataSource.MARKOV) {
            require(d.vocabSize() == m.vocab(), "data.vocab_size", "must equal data.markov.vocab for the markov source");
        }
    }

    private static void validateModel(ModelConfig m) {
        require(m.context() >= 2, "model.context", "must be >= 2");
        require(m.dModel() >= 1, "model.d_model", "must be >= 1");
        require(m.layers() >= 1, "model.layers", "must be >= 1");
        require(m.heads() >= 1, "model.heads", "must be >= 1");
        require(m.dModel() % m.heads() == 0, "model.heads", "must divide model.d_model (" + m.dModel() + ")");
        require(m.mlpRatio() >= 1, "model.mlp_ratio", "must be >= 1");
        require(m.attentionBlock() >= 0, "model.attention_block", "must be >= 0 (0 attends to the whole context at once)");
    }

    private static void validateTrain(TrainConfig t) {
        require(t.batchSize() >= 1, "train.batch_size", "must be >= 1");
        require(t.gradAccum() >= 1, "train.grad_accum", "must be >= 1");
        List<String> lengths = new ArrayList<>();
        if (t.steps() != null) {
            lengths.add("train.steps");
            require(t.steps() >= 1, "train.steps", "must be >= 1");
        }
        if (t.tokens() != null) {
            lengths.add("train.tokens");
            require(t.tokens() > 0, "train.tokens", "must be > 0");
        }
        if (t.flops() != null) {
            lengths.add("train.flops");
            require(t.flops() > 0, "train.flops", "must be > 0");
        }
        if (t.tokensPerParam() != null) {
            lengths.add("train.tokens_per_param");
            require(t.tokensPerParam() > 0, "train.tokens_per_param", "must be > 0");
        }
        if (lengths.size() != 1) {
            throw ScalingLabException.config(
                    lengths.isEmpty() ? "the run length is not set"
                            : "the run length is set twice: " + String.join(" and ", lengths),
                    "set exactly one of train.steps, train.tokens, train.flops, train.tokens_per_param");
        }
        require(t.precision() != null, "train.precision", "is required");
        if (t.precision() == Precision.BF16) {
            throw ScalingLabException.config(
                    "train.precision bf16 is not available: DJL's PyTorch JNI has no bfloat16 type "
                            + "(casting to it aborts the JVM)",
                    "use fp16 (mixed precision with loss scaling) or tf32 on a CUDA GPU");
        }
        OptimizerConfig o = t.optimizer();
        require(o.lr() > 0 && Double.isFinite(o.lr()), "train.optimizer.lr", "must be > 0");
        require(o.beta1() >= 0 && o.beta1() < 1, "train.optimizer.beta1", "must be in [0, 1)");
        require(o.beta2() >= 0 && o.beta2() < 1, "train.optimizer.beta2", "must be in [0, 1)");
        // Adam's eps is added to sqrt(v): past 1 it swamps the gradient's scale, and nothing trains
        require(o.eps() > 0 && o.eps() <= 1, "train.optimizer.eps", "must be in (0, 1] (typically 1e-8)");
        // decoupled decay multiplies each weight by 1 - lr x weight_decay per step; values in use are 0 to 1,
        // and 1e300 only makes the run diverge (a bound on lr x weight_decay would refuse the divergence tests'
        // deliberately huge lr)
        require(o.weightDecay() >= 0 && o.weightDecay() <= 10, "train.optimizer.weight_decay",
                "must be in [0, 10] (typically 0.1)");
        require(o.gradClip() >= 0 && Double.isFinite(o.gradClip()), "train.optimizer.grad_clip",
                "must be a finite number >= 0 (0 disables clipping)");
        ScheduleConfig s = t.schedule();
        require(s.kind() != null, "train.schedule.kind", "is required");
        require(s.warmupSteps() >= 0, "train.schedule.warmup_steps", "must be >= 0");
        require(s.warmupFraction() >= 0 && s.warmupFraction() < 1, "train.schedule.warmup_fraction", "must be in [0, 1)");
        require(s.minLrFraction() >= 0 && s.minLrFraction() <= 1, "train.schedule.min_lr_fraction", "must be in [0, 1]");
        require(s.cooldownFraction() > 0 && s.cooldownFraction() <= 1, "train.schedule.cooldown_fraction",
                "must be in (0, 1]");
        require(t.evalEvery() >= 1, "train.eval_every", "must be >= 1");
        require(t.evalPerDecade() == null || t.evalPerDecade() >= 1 && t.evalPerDecade() <= 100,
                "train.eval_per_decade", "must be in [1, 100], or null for eval_every alone");
        require(t.evalBatches() >= 1, "train.eval_batches", "must be >= 1");
        require(t.finalEvalBatches() == null || t.finalEvalBatches() >= 1, "train.final_eval_batches",
                "must be >= 1, or null for eval_batches");
        require(t.continuationWindows() >= 0, "train.continuation_windows", "must be >= 0");
        require(t.noiseScaleEma() >= 0 && t.noiseScaleEma() < 1, "train.noise_scale_ema", "must be in [0, 1)");
        require(t.logEvery() >= 1, "train.log_every", "must be >= 1");
        require(t.checkpointEvery() >= 0, "train.checkpoint_every", "must be >= 0");
        // losses start near ln(vocab) and only fall: a factor past 100 would never fire, detection off
        require(t.divergenceFactor() > 1 && t.divergenceFactor() <= 100, "train.divergence_factor",
                "must be in (1, 100] (typically 2)");
        require(t.steps() == null || t.steps() <= TrainConfig.MAX_STEPS, "train.steps",
                "must be at most " + TrainConfig.MAX_STEPS);
    }

    private static void require(boolean ok, String key, String rule) {
        if (!ok) {
            throw ScalingLabException.config("config key '" + key + "' " + rule, null);
        }
    }
}
