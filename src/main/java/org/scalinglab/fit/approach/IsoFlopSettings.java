package org.scalinglab.fit.approach;

import java.util.Locale;

/**
 * How approach 2 draws each budget's IsoFLOP profile: which sizes (the {@code window} sizes nearest in
 * ln N to the lowest loss, or all of them) and which curve through them (a least-squares parabola of loss
 * in ln N, or Akima's interpolation of ln loss in ln N, as Porian et al. 2024 do). The default is the
 * parabola window that agrees best with Porian et al.'s own exponents over their 15 configs; Akima's curve
 * agrees better (it is their estimator) but scatters several times as much on planted laws (docs/validation.md,
 * Approach 2's default profile).
 *
 * @param window how many distinct sizes per budget, nearest the lowest loss; {@link #ALL} for every size
 */
public record IsoFlopSettings(Curve curve, int window) {
    public static final int ALL = 0;
    public static final int DEFAULT_WINDOW = 5;
    public static final String DEFAULT_CURVE = "parabola";

    public enum Curve {
        PARABOLA, AKIMA;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public IsoFlopSettings {
        if (window != ALL && window < IsoFlopFit.MIN_SIZES) {
            throw new IllegalArgumentException("the approach-2 window must hold at least " + IsoFlopFit.MIN_SIZES
                    + " sizes (or be 'all'), got " + window);
        }
    }

    public static IsoFlopSettings defaults() {
        return parse(DEFAULT_CURVE, Integer.toString(DEFAULT_WINDOW));
    }

    /** From the command line: {@code parabola|akima} and {@code <k>|all}. */
    public static IsoFlopSettings parse(String curve, String window) {
        Curve c;
        try {
            c = Curve.valueOf(curve.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown approach-2 profile '" + curve + "' (expected parabola or akima)");
        }
        String w = window.trim();
        if (w.equalsIgnoreCase("all")) {
            return new IsoFlopSettings(c, ALL);
        }
        try {
            return new IsoFlopSettings(c, Integer.parseInt(w));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--window must be a number of sizes or 'all', got '" + window + "'");
        }
    }

    /** The window as fits.json and the command line write it. */
    public String windowKey() {
        return window == ALL ? "all" : Integer.toString(window);
    }

    /** One line for tables and captions. */
    public String describe() {
        String sizes = window == ALL ? "every size of a budget" : "the " + window + " sizes nearest each budget's lowest loss";
        return (curve == Curve.PARABOLA ? "least-squares parabola of loss in ln N" : "Akima interpolation of ln loss in ln N")
                + " over " + sizes;
    }
}
