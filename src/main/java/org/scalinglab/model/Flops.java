package org.scalinglab.model;

import org.scalinglab.config.FlopConvention;

/**
 * Training FLOPs per token, in the conventions the literature uses. Each counts one forward and one
 * backward pass (backward = 2 x forward), per token of a full-context sequence. The counts take
 * real-valued dimensions underneath, so that a shape family ({@link ShapeFamily}) continues them
 * between and beyond its integer shapes.
 */
public final class Flops {
    private Flops() {}

    /** Every convention for one shape. */
    public record PerToken(double kaplan, double chinchilla, double chinchillaA4) {
        public double get(FlopConvention convention) {
            return switch (convention) {
                case KAPLAN -> kaplan;
                case CHINCHILLA -> chinchilla;
                case CHINCHILLA_A4 -> chinchillaA4;
            };
        }
    }

    public static PerToken perToken(GptShape shape) {
        return new PerToken(kaplan(shape), chinchilla(shape), chinchillaA4(shape));
    }

    /** FLOPs per token in a convention, for real-valued dimensions (as a shape family continues them). */
    static double perToken(FlopConvention c, double v, double t, double d, double layers, double heads,
            double mlpWidth) {
        return switch (c) {
            case KAPLAN -> kaplan(t, d, layers, mlpWidth);
            case CHINCHILLA -> chinchilla(v, t, d, layers, heads, mlpWidth);
            case CHINCHILLA_A4 -> 3 * layers * layerForwardPerSequence(t, d, heads, mlpWidth) / t;
        };
    }

    /**
     * Kaplan et al. (2020), Table 1: C_forward = 2N + 2 n_layer n_ctx d_attn with N the
     * non-embedding parameters; training = 3 x forward.
     */
    public static double kaplan(GptShape s) {
        return kaplan(s.context(), s.dModel(), s.layers(), s.mlpWidth());
    }

    private static double kaplan(double t, double d, double layers, double mlpWidth) {
        return 6.0 * ParameterCounts.nonEmbedding(d, layers, mlpWidth) + 6.0 * layers * t * d;
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
        return chinchilla(s.vocab(), s.context(), s.dModel(), s.layers(), s.heads(), s.mlpWidth());
    }

    private static double chinchilla(double v, double t, double d, double layers, double heads, double mlpWidth) {
        double embeddings = 2 * t * v * d;
        double finalLogits = 2 * t * d * v;
        return 3 * (embeddings + layers * layerForwardPerSequence(t, d, heads, mlpWidth) + finalLogits) / t;
    }

    /**
     * Appendix F's count as Hoffmann et al.'s Table A4 applies it: the transformer layers only, without the
     * embedding and final-logit terms (2 T V d each), which is what reproduces the table's ratios to 6ND
     * (1.03-1.10, 0.99 for the 6.8B model); nanoGPT's scaling_laws notebook does the same, citing the
     * authors ("a typo in the paper"). For Table A4's models it is 1.03-1.54x below {@link #chinchilla}.
     */
    public static double chinchillaA4(GptShape s) {
        return perToken(FlopConvention.CHINCHILLA_A4, s.vocab(), s.context(), s.dModel(), s.layers(), s.heads(),
                s.mlpWidth());
    }

    /** Appendix F, one layer's forward pass over a sequence: QKV, K.Q logits, softmax, softmax @ V, projection, MLP. */
    private static double layerForwardPerSequence(double t, double d, double heads, double mlpWidth) {
        double qkv = 2 * 3 * t * d * d;
        double logits = 2 * t * t * d;
        double softmax = 3.0 * heads * t * t;
        double softmaxTimesValues = 2 * t * t * d;
        double outputProjection = 2 * t * d * d;
        double dense = 2 * t * (d * mlpWidth + d * mlpWidth);
        return qkv + logits + softmax + softmaxTimesValues + outputProjection + dense;
    }
}
