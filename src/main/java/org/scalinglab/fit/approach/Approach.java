package org.scalinglab.fit.approach;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The approaches, and the one place that maps their names to them: the option a user types
 * ({@code kaplan}, {@code 1}, {@code 2}, {@code 3}, {@code 3b} or {@code all}), the key of the approach's
 * section in fits.json (and of its law everywhere: ranking, validation, report), the word a law option
 * also accepts ({@code parametric}, {@code bounded}, {@code isoflop}, {@code envelope}) and the label a
 * person reads. {@code 3b} is approach 3 fitted in a box with compute weights (OLMo-core's ladder fit);
 * {@code all} fits it beside approach 3 (and the ranking chooses between them), never alone.
 */
public enum Approach {
    KAPLAN("kaplan", "kaplan", null, "Kaplan joint"),
    ENVELOPE("1", "approach1", "envelope", "approach 1"),
    ISOFLOP("2", "approach2", "isoflop", "approach 2"),
    PARAMETRIC("3", "approach3", "parametric", "approach 3"),
    PARAMETRIC_BOUNDED("3b", "approach3_bounded", "bounded", "approach 3, bounded"),
    ALL("all", "all", null, "all");

    /** The laws' sections in fits.json's order (which is also predict's and the report's). */
    public static final List<Approach> SECTIONS = List.of(PARAMETRIC, PARAMETRIC_BOUNDED, ISOFLOP, ENVELOPE, KAPLAN);

    private final String option;
    private final String key;
    private final String alias;
    private final String label;

    Approach(String option, String key, String alias, String label) {
        this.option = option;
        this.key = key;
        this.alias = alias;
        this.label = label;
    }

    /** What a user types, and how fits.json's settings write it. */
    @JsonValue
    public String option() {
        return option;
    }

    /** The key of this approach's section in fits.json, and of its law. */
    public String key() {
        return key;
    }

    /** How a person reads it: "approach 3", "Kaplan joint". */
    public String label() {
        return label;
    }

    public List<Approach> expand() {
        return this == ALL ? List.of(PARAMETRIC, ISOFLOP, ENVELOPE, KAPLAN) : List.of(this);
    }

    /** The approach an option names, by its option or its key. */
    @JsonCreator
    public static Approach parse(String s) {
        for (Approach a : values()) {
            if (a.option.equalsIgnoreCase(s) || a.key.equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown approach '" + s + "' (expected kaplan, 1, 2, 3, 3b or all)");
    }

    /** The approach whose law has this fits.json key; empty for any other name. */
    public static Optional<Approach> ofKey(String key) {
        for (Approach a : SECTIONS) {
            if (a.key.equals(key)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * A law's fits.json key from what a user may type: its option ({@code 3}), its key ({@code approach3}) or
     * its word ({@code parametric}), in any case; any other name comes back lower-cased, as typed.
     */
    public static String lawKey(String name) {
        String s = name.toLowerCase(Locale.ROOT).trim();
        for (Approach a : SECTIONS) {
            if (a.option.equals(s) || s.equals(a.alias)) {
                return a.key;
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return option;
    }
}
