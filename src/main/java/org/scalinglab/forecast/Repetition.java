package org.scalinglab.forecast;

/**
 * Data-constrained training (Muennighoff et al. 2023, eq. 5): D tokens drawn from U unique ones are worth
 * D' = U + U R* (1 - exp(-R / R*)) fresh tokens, R = D/U - 1 the repetitions beyond the first epoch and
 * R* the repetitions at which their value has decayed by 1/e (15.4, the paper's fit). Up to one epoch
 * nothing is repeated and D' = D. The paper's matching decay of excess parameters is not modelled.
 */
public record Repetition(double uniqueTokens, double rStar) {
    /** The paper's fitted R*_D. */
    public static final double R_STAR = 15.4;

    public Repetition {
        if (!(uniqueTokens > 0) || !(rStar > 0)) {
            throw new IllegalArgumentException("unique tokens and R* must be positive");
        }
    }

    /** D' for D tokens trained. */
    public double effectiveTokens(double d) {
        if (d <= uniqueTokens) {
            return d;
        }
        double r = d / uniqueTokens - 1;
        return uniqueTokens + uniqueTokens * rStar * (1 - Math.exp(-r / rStar));
    }

    public double epochs(double d) {
        return d / uniqueTokens;
    }

    /** The most fresh-data value any number of epochs reaches: U (1 + R*). */
    public double ceiling() {
        return uniqueTokens * (1 + rStar);
    }
}
