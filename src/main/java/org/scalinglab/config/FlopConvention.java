package org.scalinglab.config;

/**
 * Which FLOP count of our runs is C: Kaplan's 6 N_non-embedding + attention, Chinchilla's appendix F count
 * (embeddings and logits included), or appendix F as its Table A4 applies it (the layers only). One type for
 * the run config ({@code train.flops_convention}), the trainer, sweeps, fits, reports, forecasts and the CLI.
 * Maps to the {@code flops} keys of result.json and to metrics.csv's {@code flops_<convention>} column, or,
 * where metrics.csv has none (chinchilla_a4), to tokens x result.json's {@code flops_per_token.<convention>}.
 *
 * <p>YAML and JSON spell a constant as Jackson does by default, its name in lower case (StrictYaml and Json
 * set WRITE_ENUMS_TO_LOWERCASE and read case-insensitively), which is {@link #key()}; run ids hash that
 * spelling, so the constants' names must not change.
 */
public enum FlopConvention {
    KAPLAN("kaplan"),
    CHINCHILLA("chinchilla"),
    CHINCHILLA_A4("chinchilla-a4");

    /**
     * The one default of every command (run-defaults.yaml says the same; ConventionDefaultsTest holds them
     * together): Chinchilla's appendix F, the runs' full count.
     */
    public static final String DEFAULT_OPTION = "chinchilla";
    public static final FlopConvention DEFAULT = CHINCHILLA;

    private final String option;

    FlopConvention(String option) {
        this.option = option;
    }

    /** The key in result.json, fits.json and the YAML configs. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The command-line spelling. */
    public String option() {
        return option;
    }

    /** Either spelling. */
    public static FlopConvention parse(String s) {
        for (FlopConvention c : values()) {
            if (c.key().equalsIgnoreCase(s) || c.option.equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown FLOP convention '" + s
                + "' (expected kaplan, chinchilla or chinchilla-a4)");
    }

    /** The config spelling, which StrictYaml's hints list. */
    @Override
    public String toString() {
        return key();
    }
}
