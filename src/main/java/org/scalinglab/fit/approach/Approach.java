package org.scalinglab.fit.approach;

import java.util.List;

/**
 * Which fits to run: {@code kaplan}, {@code 1}, {@code 2}, {@code 3}, {@code 3b} or {@code all}.
 * {@code 3b} is approach 3 fitted in a box with compute weights (OLMo-core's ladder fit); {@code all}
 * fits it beside approach 3 (and the ranking chooses between them), never alone.
 */
public enum Approach {
    KAPLAN("kaplan", "kaplan"),
    ENVELOPE("1", "approach1"),
    ISOFLOP("2", "approach2"),
    PARAMETRIC("3", "approach3"),
    PARAMETRIC_BOUNDED("3b", "approach3_bounded"),
    ALL("all", "all");

    private final String option;
    private final String key;

    Approach(String option, String key) {
        this.option = option;
        this.key = key;
    }

    public String option() {
        return option;
    }

    /** The key of this approach's section in fits.json. */
    public String key() {
        return key;
    }

    public List<Approach> expand() {
        return this == ALL ? List.of(PARAMETRIC, ISOFLOP, ENVELOPE, KAPLAN) : List.of(this);
    }

    public static Approach parse(String s) {
        for (Approach a : values()) {
            if (a.option.equalsIgnoreCase(s) || a.key.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown approach '" + s + "' (expected kaplan, 1, 2, 3, 3b or all)");
    }

    @Override
    public String toString() {
        return option;
    }
}
