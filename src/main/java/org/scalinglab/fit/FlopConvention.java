package org.scalinglab.fit;

/**
 * Which FLOP count of our runs is C: Kaplan's 6 N_non-embedding D, or Chinchilla's count that includes
 * embeddings and attention. Maps to the {@code flops} keys of result.json and the
 * {@code flops_<convention>} column of metrics.csv.
 */
public enum FlopConvention {
    KAPLAN("kaplan"),
    CHINCHILLA("chinchilla");

    private final String key;

    FlopConvention(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static FlopConvention parse(String s) {
        for (FlopConvention c : values()) {
            if (c.key.equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown FLOP convention '" + s + "' (expected kaplan or chinchilla)");
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
