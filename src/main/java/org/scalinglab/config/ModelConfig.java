package org.scalinglab.config;

/** The GPT's shape; the vocabulary comes from the data. */
public record ModelConfig(int context, int dModel, int layers, int heads, int mlpRatio) {}
