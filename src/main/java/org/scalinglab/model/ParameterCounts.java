package org.scalinglab.model;

import org.scalinglab.config.ParamConvention;

/**
 * Parameter counts in the three conventions that scaling-law papers use. The output head is tied
 * to the token embedding, so it adds no parameters of its own; "with head" counts it as if it did,
 * as Porian et al. (2024) and Pearce and Song (2024) do when they count the head's compute.
 *
 * @param total every trainable number (token and position embeddings included)
 * @param nonEmbedding Kaplan's N: total without the token and position embeddings
 * @param nonEmbeddingWithHead Kaplan's N plus the vocab x d_model head
 */
public record ParameterCounts(long total, long nonEmbedding, long nonEmbeddingWithHead) {

    /** The closed forms, for checking what the built model holds. */
    public static ParameterCounts closedForm(GptShape s) {
        long d = s.dModel();
        long f = s.mlpWidth();
        long perLayer = 3 * d * d + 3 * d   // fused q, k, v projection
                + d * d + d                 // attention output projection
                + d * f + f                 // MLP up
                + f * d + d                 // MLP down
                + 4 * d;                    // two LayerNorms (gain and bias)
        long body = s.layers() * perLayer + 2 * d; // + final LayerNorm
        long embeddings = (long) s.vocab() * d + (long) s.context() * d;
        return new ParameterCounts(body + embeddings, body, body + (long) s.vocab() * d);
    }

    /** The non-embedding count for real-valued dimensions, as a shape family continues them. */
    static double nonEmbedding(double d, double layers, double mlpWidth) {
        return layers * (4 * d * d + 2 * d * mlpWidth + mlpWidth + 9 * d) + 2 * d;
    }

    /** N in a convention for real-valued dimensions (the tied head counted as V x d where it is counted). */
    static double of(ParamConvention convention, double v, double t, double d, double layers, double mlpWidth) {
        double body = nonEmbedding(d, layers, mlpWidth);
        return switch (convention) {
            case TOTAL -> body + v * d + t * d;
            case NON_EMBEDDING -> body;
            case NON_EMBEDDING_WITH_HEAD -> body + v * d;
        };
    }

    public long get(ParamConvention convention) {
        return switch (convention) {
            case TOTAL -> total;
            case NON_EMBEDDING -> nonEmbedding;
            case NON_EMBEDDING_WITH_HEAD -> nonEmbeddingWithHead;
        };
    }
}
