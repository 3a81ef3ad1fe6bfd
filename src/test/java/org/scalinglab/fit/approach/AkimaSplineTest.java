package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Against scipy 1.17.1's {@code Akima1DInterpolator} (default method "akima"). The reference values came
 * from: {@code a = Akima1DInterpolator(x, y); a(u); a.derivative()(x)} with the knots below, and the
 * minimum from a grid of 3,400,001 points over [0, 3.4].
 */
class AkimaSplineTest {
    static final double[] X = {0.0, 0.7, 1.5, 2.1, 3.0, 3.4};
    static final double[] Y = {2.0, 1.4, 1.1, 1.25, 1.2, 1.9};

    @Test
    void matchesScipyValuesAndSlopes() {
        AkimaSpline s = AkimaSpline.through(X, Y);
        assertArrayEquals(new double[] {-1.098214285714286, -0.6471774193548385, 0.007556675062972418,
            0.17142857142857132, 0.20577485380116936, 2.6527777777777777}, s.slopes(), 1e-12);
        double[] u = {0.35, 1.0, 1.5, 1.8, 2.5, 3.2};
        double[] scipy = {1.6605342741935483, 1.2287056924539896, 1.1, 1.16270960777258, 1.2299900987035488,
            1.42764985380117};
        for (int i = 0; i < u.length; i++) {
            assertEquals(scipy[i], s.value(u[i]), 1e-12, "at " + u[i]);
        }
        assertTrue(Double.isNaN(s.value(3.5)), "no extrapolation beyond the knots");
    }

    @Test
    void theMinimumIsTheLowestStationaryPoint() {
        AkimaSpline.Minimum m = AkimaSpline.through(X, Y).minimum();
        assertEquals(1.493852, m.x(), 2e-6);
        assertEquals(1.099976791414671, m.value(), 1e-12);
        assertFalse(m.atEnd());
    }

    @Test
    void aMonotoneProfileHasItsMinimumAtAnEnd() {
        AkimaSpline.Minimum m = AkimaSpline.through(new double[] {0, 1, 2, 3}, new double[] {3, 2.5, 2.2, 2.1})
                .minimum();
        assertTrue(m.atEnd());
        assertEquals(3, m.x());
    }

    @Test
    void collinearSecantsTakeScipysFillSlope() {
        // scipy: slopes [1, 1, 0, -1, -1]; at the peak both weights vanish and the fill value applies
        AkimaSpline s = AkimaSpline.through(new double[] {0, 1, 2, 3, 4}, new double[] {0, 1, 2, 1, 0});
        assertArrayEquals(new double[] {1, 1, 0, -1, -1}, s.slopes(), 1e-15);
    }
}
