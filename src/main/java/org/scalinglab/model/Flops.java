package org.scalinglab.model;

import org.scalinglab.config.TrainConfig.FlopsConvention;

/**
 * Training FLOPs per token, in the two conventions the literature uses. Both count one forward and
 * one backward pass (backward = 2 x forward), per token of a full-context sequence.
 */
public final class Flops {
    private Flops() {}

    /** Both conventions for one shape. */
    public record PerToken(double kaplan, double chinchilla) {
        public double get(FlopsConvention convention) {
            return convention == FlopsConvention.KAPLAN ? kaplan : chinchilla;
        }
    }

    public static PerToken perToken(GptShape shape) {
        return new PerToken(kaplan(shape), chinchilla(shape));
    }

    /**
     * Kaplan et al. (2020), Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn with N the
     * non-embedding parameters; training = 3 x forward.
     */
    public static double kaplan(GptShape s) {
        double n = ParameterCounts.closedForm(s).nonEmbedding();
        return 6.0 * n + 6.0 * s.layers() * (double) s.context() * s.dModel();
    }

    /**
     * Kaplan's count plus the output head, 6 d_model vocab: attention as 6 L T d, as Kaplan et al. count
     * it. Not MFU's numerator (that is {@link #palm}): kept to compare with throughput figures counted so.
     */
    public static double kaplanWithHead(GptShape s) {
        return kaplan(s) + 6.0 * s.dModel() * s.vocab();
    }

    /**
     * Model FLOPs per token as PaLM's appendix B counts them for MFU (Chowdhery et al. 2022), and nanoGPT's
     * {@code estimate_mfu}: 6 N + 12 L H Q T, with N the non-embedding parameters plus the (tied) output head,
     * H Q = d_model, T the context. Attention's score and value matmuls count in full (no causal halving),
     * forward and backward.
     */
    public static double palm(GptShape s) {
        double n = ParameterCounts.closedForm(s).nonEmbeddingWithHead();
        return 6.0 * n + 12.0 * s.layers() * (double) s.context() * s.dModel();
    }

    /**
     * Hoffmann et al. (2022), appendix F, per sequence of length T, divided by T: embeddings,
     * per layer (QKV, logits K.Q, softmax, softmax @ V, output projection, dense block), final
     * logits; backward = 2 x forward. Key size x heads = d_model here.
     */
    public static double chinchilla(GptShape s) {
        double t = s.context();
        double d = s.dModel();
        double v = s.vocab();
        double embeddings = 2 * t * v * d;
        double qkv = 2 * 3 * t * d * d;
        double logits = 2 * t * t * d;
        double softmax = 3.0 * s.heads() * t * t;
        double softmaxTimesValues = 2 * t * t * d;
        double outputProjection = 2 * t * d * d;
        double dense = 2 * t * (d * s.mlpWidth() + d * s.mlpWidth());
        double finalLogits = 2 * t * d * v;
        double forward = embeddings
                + s.layers() * (qkv + logits + softmax + softmaxTimesValues + outputProjection + dense)
                + finalLogits;
        return 3 * forward / t;
    }
}
