package org.scalinglab.model;

import org.scalinglab.config.ModelConfig;

/** A GPT's dimensions; the vocabulary comes from the data, the rest from {@link ModelConfig}. */
public record GptShape(int vocab, int context, int dModel, int layers, int heads, int mlpRatio) {

    public static GptShape of(ModelConfig model, int vocab) {
        return new GptShape(vocab, model.context(), model.dModel(), model.layers(), model.heads(), model.mlpRatio());
    }

    public int headDim() {
        return dModel / heads;
    }

    public int mlpWidth() {
        return mlpRatio * dModel;
    }

    /** A short label such as {@code L4-d128-h4-T256}. */
    public String label() {
        return "L" + layers + "-d" + dModel + "-h" + heads + "-T" + context;
    }
}
