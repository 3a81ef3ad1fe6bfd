package org.scalinglab.fit.approach;

import java.util.Locale;

/**
 * How approach 2 draws each budget's IsoFLOP profile: which sizes and which curve through them (a least-squares
 * parabola of loss in ln N, or Akima's interpolation of ln loss in ln N, as Porian et al. 2024 do). The sizes are
 * a fixed count ({@code window}: the k sizes nearest in ln N to the lowest loss), every size ({@link #ALL}), or,
 * the default, a loss band ({@code band}): the sizes where the budget's profile lies within 5 % of its minimum,
 * at least 3 ({@link IsoFlopFit#band}; the bootstrap re-chooses them in every replicate).
 *
 * <p>Why a band and not a count (docs/validation.md, Approach 2's default profile, printed by the test-scope
 * Approach2Comparison). A count is too few sizes where sizes are dense and too many where the profile is wide
 * and asymmetric. On a planted Chinchilla law with 9 sizes 0.2 decades apart and 1 % noise, the window of 5
 * scatters a by 0.037 (rmse over 60 sweeps; 0.145 and a bias of +0.034 when the 4 budgets span only 8x), the
 * band by 0.019 (0.062). On sweeps whose centre drifts off the optimum, every size tilts a by +0.019 (90 %
 * intervals holding the true a in 27 % of sweeps) and the band by -0.0004 (100 %). On Porian et al.'s 15
 * configs, whose profiles are wide and lopsided, it is within 0.0295 of the exponent their repository reports
 * (the window of 5: 0.0287, every size: 0.073). Narrower bands agree a little better with Porian (3 %: 0.023) but
 * scatter more on dense planted sweeps (0.051); wider ones the reverse (6 %: 0.030 and 0.016; 8 %: 0.031).
 * The band is measured on a parabola fitted through the sizes near the lowest run, not on single runs: a band
 * on raw losses scatters a by 0.037 on the dense sweep. Akima's curve agrees with Porian best (it is their
 * estimator) but scatters several times as much on planted laws. A band rather than a width in ln N: it adapts
 * to each profile's curvature, so one setting serves sweeps with different spacings and budgets.
 *
 * @param window how many distinct sizes per budget, nearest the lowest loss; {@link #ALL} for every size (and
 *     for a band)
 * @param band the loss band, a fraction of the profile's minimum; 0 for a fixed window
 */
public record IsoFlopSettings(Curve curve, int window, double band) {
    public static final int ALL = 0;
    /** The window key of a loss band, {@code band<percent>} ({@code band} alone: {@link #DEFAULT_BAND}). */
    public static final String BAND = "band";
    public static final double DEFAULT_BAND = 0.05;
    /** The default window as the command line spells it: the loss band of 5 %. */
    public static final String DEFAULT_WINDOW = "band5";
    public static final String DEFAULT_CURVE = "parabola";

    public enum Curve {
        PARABOLA, AKIMA;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A fixed window of sizes (or {@link #ALL}). */
    public IsoFlopSettings(Curve curve, int window) {
        this(curve, window, 0);
    }

    /** The sizes within a loss band of the profile's minimum ({@code band} > 0; at least 3 sizes). */
    public static IsoFlopSettings band(Curve curve, double band) {
        return new IsoFlopSettings(curve, ALL, band);
    }

    public IsoFlopSettings {
        if (!(band >= 0 && band < 1)) {
            throw new IllegalArgumentException("the approach-2 loss band must be a fraction in (0, 1), got " + band);
        }
        if (window != ALL && window < IsoFlopFit.MIN_SIZES) {
            throw new IllegalArgumentException("the approach-2 window must hold at least " + IsoFlopFit.MIN_SIZES
                    + " sizes (or be 'all'), got " + window);
        }
    }

    public static IsoFlopSettings defaults() {
        return parse(DEFAULT_CURVE, DEFAULT_WINDOW);
    }

    /** From the command line and fits.json: {@code parabola|akima} and {@code <k>|all|band|band<percent>}. */
    public static IsoFlopSettings parse(String curve, String window) {
        Curve c;
        try {
            c = Curve.valueOf(curve.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown approach-2 profile '" + curve + "' (expected parabola or akima)");
        }
        String w = window.trim().toLowerCase(Locale.ROOT);
        if (w.equals(BAND)) {
            return band(c, DEFAULT_BAND);
        }
        if (w.startsWith(BAND)) {
            double pct;
            try {
                pct = Double.parseDouble(w.substring(BAND.length()));
            } catch (NumberFormatException e) {
                pct = Double.NaN;
            }
            if (!(pct > 0 && pct < 100)) {
                throw new IllegalArgumentException("--window band<percent> needs a percent in (0, 100), got '"
                        + window + "'");
            }
            // to the 4 decimals of its window key, so that the settings fits.json records read back the same
            return band(c, java.math.BigDecimal.valueOf(pct).setScale(4, java.math.RoundingMode.HALF_UP).doubleValue()
                    / 100);
        }
        if (w.equals("all")) {
            return new IsoFlopSettings(c, ALL);
        }
        try {
            return new IsoFlopSettings(c, Integer.parseInt(w));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--window must be a number of sizes, 'all' or 'band[<percent>]', got '"
                    + window + "'");
        }
    }

    /** The window as fits.json and the command line write it. */
    public String windowKey() {
        if (band > 0) {
            return BAND + percent(band);
        }
        return window == ALL ? "all" : Integer.toString(window);
    }

    private static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(fraction * 100).setScale(4, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    /** One line for tables and captions. */
    public String describe() {
        String sizes = band > 0
                ? String.format(Locale.ROOT, "the sizes within %s %% of each budget's minimum loss (at least %d)",
                        percent(band),
                        IsoFlopFit.MIN_SIZES)
                : window == ALL ? "every size of a budget" : "the " + window + " sizes nearest each budget's lowest loss";
        return (curve == Curve.PARABOLA ? "least-squares parabola of loss in ln N" : "Akima interpolation of ln loss in ln N")
                + " over " + sizes;
    }
}
