package org.scalinglab.fit;

/**
 * Which FLOP count of our runs is C: Kaplan's 6 N_non-embedding + attention, Chinchilla's appendix F count
 * (embeddings and logits included), or appendix F as its Table A4 applies it (the layers only). Maps to the
 * {@code flops} keys of result.json and to metrics.csv's {@code flops_<convention>} column, or, where
 * metrics.csv has none (chinchilla_a4), to tokens x result.json's {@code flops_per_token.<convention>}.
 */
public enum FlopConvention {
    KAPLAN("kaplan", "kaplan"),
    CHINCHILLA("chinchilla", "chinchilla"),
    CHINCHILLA_A4("chinchilla_a4", "chinchilla-a4");

    /** The one default, as for {@link ParamConvention#DEFAULT}: Chinchilla's appendix F, the runs' full count. */
    public static final String DEFAULT_OPTION = "chinchilla";
    public static final FlopConvention DEFAULT = CHINCHILLA;

    private final String key;
    private final String option;

    FlopConvention(String key, String option) {
        this.key = key;
        this.option = option;
    }

    /** The key in result.json, fits.json and the YAML configs. */
    public String key() {
        return key;
    }

    /** The command-line spelling. */
    public String option() {
        return option;
    }

    /** Either spelling. */
    public static FlopConvention parse(String s) {
        for (FlopConvention c : values()) {
            if (c.key.equalsIgnoreCase(s) || c.option.equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown FLOP convention '" + s
                + "' (expected kaplan, chinchilla or chinchilla-a4)");
    }

    /** The fit's name of a run config's convention. */
    public static FlopConvention of(org.scalinglab.config.TrainConfig.FlopsConvention c) {
        return valueOf(c.name());
    }

    /** The same convention as the run config names it. */
    public org.scalinglab.config.TrainConfig.FlopsConvention trainConvention() {
        return org.scalinglab.config.TrainConfig.FlopsConvention.valueOf(name());
    }

    @Override
    public String toString() {
        return key;
    }
}
