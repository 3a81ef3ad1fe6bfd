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
        return kaplan(s.context(), s.dModel(), s.layers(), s.mlpWidth());
    }

    /**
     * Kaplan's count plus the output head, 6 d_model vocab: what ../shared/bench's PyTorch reference
     * (and PaLM's MFU, appendix B) counts, so benchmark MFU compares like with like.
     */
    public static double kaplanWithHead(GptShape s) {
        return kaplan(s) + 6.0 * s.dModel() * s.vocab();
    }

    /**
     * Hoffmann et al. (2022), appendix F, per sequence of length T, divided by T: embeddings,
     * per layer (QKV, logits K.Q, softmax, softmax @ V, output projection, dense block), final
     * logits; backward = 2 x forward. Key size x heads = d_model here.
     */
    public static double chinchilla(GptShape s) {
        return chinchilla(s.vocab(), s.context(), s.dModel(), s.layers(), s.heads(), s.mlpWidth());
    }

    /** FLOPs per token in a convention, for real-valued dimensions (as a shape family continues them). */
    static double perToken(FlopsConvention c, double v, double t, double d, double layers, double heads,
            double mlpWidth) {
        return switch (c) {
            case KAPLAN -> kaplan(t, d, layers, mlpWidth);
            case CHINCHILLA -> chinchilla(v, t, d, layers, heads, mlpWidth);
        };
    }

    /** {@link #chinchilla(GptShape)} for real-valued dimensions. */
    static double chinchilla(double v, double t, double d, double layers, double heads, double mlpWidth) {
        double embeddings = 2 * t * v * d;
        double qkv = 2 * 3 * t * d * d;
        double logits = 2 * t * t * d;
        double softmax = 3.0 * heads * t * t;
        double softmaxTimesValues = 2 * t * t * d;
        double outputProjection = 2 * t * d * d;
        double dense = 2 * t * (d * mlpWidth + d * mlpWidth);
        double finalLogits = 2 * t * d * v;
        double forward = embeddings + layers * (qkv + logits + softmax + softmaxTimesValues + outputProjection + dense)
                + finalLogits;
        return 3 * forward / t;
    }

    /** {@link #kaplan(GptShape)} for real-valued dimensions. */
    static double kaplan(double t, double d, double layers, double mlpWidth) {
        return 6.0 * ParameterCounts.nonEmbedding(d, layers, mlpWidth) + 6.0 * layers * t * d;
    }
}
