package org.scalinglab.fit;

import java.util.Locale;

/**
 * Which parameter count of our runs is N. The choice moves fitted exponents (Pearce and Song 2024;
 * Porian et al. 2024), so it is an explicit setting recorded in fits.json.
 */
public enum ParamConvention {
    TOTAL("total", "total"),
    NON_EMBEDDING("non-embedding", "non_embedding"),
    NON_EMBEDDING_WITH_HEAD("non-embedding-with-head", "non_embedding_with_head");

    /**
     * The one default of train, plan, fit, validate, report and run (run-defaults.yaml says the same;
     * a test holds them together): total parameters, chosen by measurement (docs/studies.md, "One convention").
     */
    public static final String DEFAULT_OPTION = "total";
    public static final ParamConvention DEFAULT = TOTAL;

    private final String option;
    private final String jsonKey;

    ParamConvention(String option, String jsonKey) {
        this.option = option;
        this.jsonKey = jsonKey;
    }

    /** The command-line spelling, also used in fits.json. */
    public String option() {
        return option;
    }

    /** The key under {@code params} in result.json. */
    public String jsonKey() {
        return jsonKey;
    }

    public static ParamConvention parse(String s) {
        for (ParamConvention c : values()) {
            if (c.option.equalsIgnoreCase(s) || c.jsonKey.equalsIgnoreCase(s) || c.name().equalsIgnoreCase(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown parameter convention '" + s
                + "' (expected total, non-embedding or non-embedding-with-head)");
    }

    /** The fit's name of a run config's convention. */
    public static ParamConvention of(org.scalinglab.config.TrainConfig.ParamsConvention c) {
        return valueOf(c.name());
    }

    /** The same convention as the run config names it. */
    public org.scalinglab.config.TrainConfig.ParamsConvention trainConvention() {
        return org.scalinglab.config.TrainConfig.ParamsConvention.valueOf(name());
    }

    @Override
    public String toString() {
        return option.toLowerCase(Locale.ROOT);
    }
}
