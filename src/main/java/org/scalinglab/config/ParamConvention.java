package org.scalinglab.config;

import java.util.Locale;

/**
 * Which parameter count of our runs is N. The choice moves fitted exponents (Pearce and Song 2024;
 * Porian et al. 2024), so it is an explicit setting, recorded in fits.json. One type for the run config
 * ({@code train.params_convention}), the trainer, sweeps, fits, reports, forecasts and the CLI.
 *
 * <p>YAML and JSON spell a constant as Jackson does by default, its name in lower case, which is
 * {@link #jsonKey()}; run ids hash that spelling, so the constants' names must not change.
 */
public enum ParamConvention {
    TOTAL("total"),
    NON_EMBEDDING("non-embedding"),
    NON_EMBEDDING_WITH_HEAD("non-embedding-with-head");

    /**
     * The one default of train, plan, fit, validate, report and run (run-defaults.yaml says the same;
     * ConventionDefaultsTest holds them together): total parameters, chosen by measurement
     * (docs/studies.md, "One convention").
     */
    public static final String DEFAULT_OPTION = "total";
    public static final ParamConvention DEFAULT = TOTAL;

    private final String option;

    ParamConvention(String option) {
        this.option = option;
    }

    /** The command-line spelling, also used in fits.json. */
    public String option() {
        return option;
    }

    /** The key under {@code params} in result.json, and the YAML configs' spelling. */
    public String jsonKey() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Either spelling, or the constant's name. */
    public static ParamConvention parse(String s) {
        for (ParamConvention c : values()) {
            if (c.option.equalsIgnoreCase(s) || c.jsonKey().equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown parameter convention '" + s
                + "' (expected total, non-embedding or non-embedding-with-head)");
    }

    /** The config spelling, which StrictYaml's hints list (the command-line one is {@link #option()}). */
    @Override
    public String toString() {
        return jsonKey();
    }
}
