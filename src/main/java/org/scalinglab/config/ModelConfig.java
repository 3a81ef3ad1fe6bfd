package org.scalinglab.config;

/**
 * The GPT's shape, and how its attention is computed; the vocabulary comes from the data.
 *
 * @param attentionBlock query rows per block of block-causal attention (0: the whole context at once);
 *     the same function, but its own rounding, so it is part of the run's identity
 */
public record ModelConfig(int context, int dModel, int layers, int heads, int mlpRatio, int attentionBlock) {
    /** The default of {@code model.attention_block} (run-defaults.yaml). */
    public static final int DEFAULT_ATTENTION_BLOCK = 256;
}
