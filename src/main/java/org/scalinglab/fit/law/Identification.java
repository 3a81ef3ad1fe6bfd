package org.scalinglab.fit.law;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.text.Numbers;

/**
 * Whether the data pin down a law's exponents, and if not why. A law whose exponents they do not pin
 * down can still fit the runs it saw (a flat direction of the objective lets E, A and alpha trade off),
 * but its allocation and its extrapolation are whatever the optimiser happened to stop at, so it is
 * never recommended.
 *
 * <p>The rule, on each exponent's bootstrap interval at the fit's level (and its central value):
 * <ul>
 * <li>finite: a non-finite end means refits ran off;</li>
 * <li>above {@value #LOW}: an exponent near 0 makes its term a constant that E absorbs, so the
 *     term, and with it the split of compute between N and D, is not identified;</li>
 * <li>below {@value #HIGH}: no language-model law has come near it (Kaplan 0.076 and 0.095,
 *     Chinchilla 0.34 and 0.28, Epoch's replication 0.35 and 0.37); an exponent there means the
 *     term is fitting noise over a narrow range;</li>
 * <li>upper / lower at most {@value #MAX_RATIO}: with alpha and beta each free within a factor of
 *     3 the allocation exponent beta / (alpha + beta) can be anything from 0.25 to 0.75 when they
 *     are alike, which is no conclusion about how to spend compute.</li>
 * </ul>
 * A fit that ended on a bound of its parameters (a bounded fit's {@code bounds_hit}) is unidentified
 * too: the bound, not the data, chose that value.
 */
public record Identification(boolean identified, List<String> why) {
    public static final double LOW = 0.01;
    public static final double HIGH = 2;
    public static final double MAX_RATIO = 3;

    /** A published law: fitted by its authors on data we do not have, taken as it is. */
    public static final Identification PUBLISHED = new Identification(true, List.of());

    /**
     * @param exponents exponent name to its central value
     * @param ci the fit's bootstrap intervals (null or missing entries: no bootstrap)
     * @param boundsHit the parameters that ended on a bound; empty for an unbounded fit
     */
    public static Identification of(Map<String, Double> exponents, Map<String, double[]> ci, List<String> boundsHit) {
        List<String> why = new ArrayList<>();
        exponents.forEach((name, central) -> {
            double[] iv = ci == null ? null : ci.get(name);
            if (iv == null || iv.length != 2) {
                why.add(name + " has no bootstrap interval (identification needs one: refit with --bootstrap > 0)");
                return;
            }
            String shown = String.format(Locale.ROOT, "%s %s [%s, %s]", name, Numbers.sig4(central),
                    Numbers.sig4(iv[0]), Numbers.sig4(iv[1]));
            if (!Double.isFinite(central) || !Double.isFinite(iv[0]) || !Double.isFinite(iv[1])) {
                why.add(shown + ": not finite");
            } else if (Math.min(central, iv[0]) <= LOW) {
                why.add(shown + ": reaches " + LOW + " or below");
            } else if (Math.max(central, iv[1]) >= HIGH) {
                why.add(shown + ": reaches " + Numbers.sig4(HIGH) + " or above");
            } else if (iv[1] / iv[0] > MAX_RATIO) {
                why.add(shown + ": spans more than a factor of " + Numbers.sig4(MAX_RATIO));
            }
        });
        for (String b : boundsHit) {
            why.add(b + " ended on its bound");
        }
        return new Identification(why.isEmpty(), List.copyOf(why));
    }

    /** "identified", or "unidentified: " and the reasons. */
    public String describe() {
        return identified ? "identified" : "unidentified: " + String.join("; ", why);
    }
}
