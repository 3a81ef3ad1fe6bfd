package org.scalinglab.fit.phenomena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The smoothly broken power law on planted laws: the gradient, recovery of the break, and the comparison. */
class BrokenPowerLawTest {
    static final BrokenPowerLaw.Law PLANTED = new BrokenPowerLaw.Law(1.6, 40, 0.12, 0.45, 3e5, 0.15, true);

    static double[][] planted(BrokenPowerLaw.Law law, int n, double noise, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.pow(10, 3 + 5.0 * i / (n - 1)); // 1e3 .. 1e8, the break in the middle
            y[i] = law.at(x[i]) * Math.exp(noise * r.nextGaussian());
        }
        return new double[][] {x, y};
    }

    @Test
    void theGradientMatchesFiniteDifferences() {
        double[][] d = planted(PLANTED, 20, 0.01, 1);
        for (boolean broken : new boolean[] {false, true}) {
            BrokenPowerLaw.Objective o = new BrokenPowerLaw.Objective(d[0], d[1], broken);
            double[] p = broken ? new double[] {0.1, 0.3, 0.2, 0.5, 0.7, -0.4} : new double[] {0.1, 0.3, 0.2};
            double[] g = new double[p.length];
            o.valueAndGradient(p, g);
            for (int i = 0; i < p.length; i++) {
                double h = 1e-6;
                double[] a = p.clone();
                double[] b = p.clone();
                a[i] += h;
                b[i] -= h;
                double fd = (o.valueAndGradient(a, new double[p.length]) - o.valueAndGradient(b, new double[p.length]))
                        / (2 * h);
                assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), "parameter " + i + (broken ? " broken" : ""));
            }
        }
    }

    @Test
    void theBreakOfAPlantedBrokenLawIsRecoveredAndBeatsThePlainLawHeldOut() {
        double[][] d = planted(PLANTED, 40, 0.003, 2);
        BrokenPowerLaw.Fit fit = BrokenPowerLaw.fit(d[0], d[1], true);
        assertNotNull(fit);
        BrokenPowerLaw.Law l = fit.law();
        assertEquals(Math.log10(PLANTED.d()), Math.log10(l.d()), 0.25, "break at " + l.d());
        assertEquals(PLANTED.c0(), l.c0(), 0.05, "exponent below the break");
        assertEquals(PLANTED.c0() + PLANTED.c1(), l.c0() + l.c1(), 0.1, "exponent above the break");
        assertEquals(0.003, fit.rmsLogResidual(), 0.001, "residuals at the planted noise");
        List<BrokenPowerLaw.Origin> rolling = BrokenPowerLaw.rolling(d[0], d[1]);
        assertEquals(5, rolling.size());
        double plain = rolling.stream().mapToDouble(BrokenPowerLaw.Origin::plainError).average().orElseThrow();
        double broken = rolling.stream().mapToDouble(BrokenPowerLaw.Origin::brokenError).average().orElseThrow();
        assertTrue(broken < 0.5 * plain, "held out: broken " + broken + " against plain " + plain);
    }

    @Test
    void onAPlantedPlainLawTheBrokenLawGainsNothingHeldOut() {
        BrokenPowerLaw.Law plainLaw = new BrokenPowerLaw.Law(1.6, 40, 0.25, 0, Double.NaN, Double.NaN, false);
        double[][] d = planted(plainLaw, 40, 0.003, 3);
        BrokenPowerLaw.Fit plain = BrokenPowerLaw.fit(d[0], d[1], false);
        assertEquals(0.25, plain.law().c0(), 0.03);
        assertEquals(1.6, plain.law().a(), 0.1);
        List<BrokenPowerLaw.Origin> rolling = BrokenPowerLaw.rolling(d[0], d[1]);
        double p = rolling.stream().mapToDouble(BrokenPowerLaw.Origin::plainError).average().orElseThrow();
        double b = rolling.stream().mapToDouble(BrokenPowerLaw.Origin::brokenError).average().orElseThrow();
        assertTrue(p < 0.006, "the plain law extrapolates its own data to the noise: " + p);
        assertTrue(b > 0.9 * p, "no spurious gain from a break: broken " + b + ", plain " + p);
    }

    @Test
    void tooFewPointsAreNotFitted() {
        double[][] d = planted(PLANTED, 6, 0.003, 4);
        assertEquals(null, BrokenPowerLaw.fit(d[0], d[1], true));
        assertNotNull(BrokenPowerLaw.fit(d[0], d[1], false));
        assertFalse(BrokenPowerLaw.rolling(d[0], d[1]).iterator().hasNext(), "no origin leaves 7 points");
    }
}
