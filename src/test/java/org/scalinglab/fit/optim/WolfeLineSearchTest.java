package org.scalinglab.fit.optim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WolfeLineSearchTest {
    @Test
    void acceptedStepsSatisfyTheWolfeConditions() {
        // phi(t) = (t - 3)^2 + sin(4t) along d = 1 from x = 0: several local features
        DifferentiableFunction f = (x, g) -> {
            g[0] = 2 * (x[0] - 3) + 4 * Math.cos(4 * x[0]);
            return (x[0] - 3) * (x[0] - 3) + Math.sin(4 * x[0]);
        };
        double[] g0 = new double[1];
        double f0 = f.valueAndGradient(new double[] {0}, g0);
        WolfeLineSearch ls = new WolfeLineSearch(1e-4, 0.9, 50, 0);
        for (double alpha0 : new double[] {1e-3, 0.1, 1, 10, 100}) {
            double[] d = {-g0[0]};
            WolfeLineSearch.Step s = ls.search(f, new double[] {0}, f0, g0, d, alpha0);
            assertTrue(s.accepted(), "alpha0 " + alpha0);
            double slope0 = g0[0] * d[0];
            assertTrue(s.value() <= f0 + 1e-4 * s.alpha() * slope0, "sufficient decrease from alpha0 " + alpha0);
            assertTrue(s.gradient()[0] * d[0] >= 0.9 * slope0, "curvature from alpha0 " + alpha0);
        }
    }

    @Test
    void refusesAnAscentDirection() {
        DifferentiableFunction f = (x, g) -> {
            g[0] = 2 * x[0];
            return x[0] * x[0];
        };
        double[] g0 = {2};
        WolfeLineSearch.Step s = WolfeLineSearch.standard().search(f, new double[] {1}, 1, g0, new double[] {1}, 1);
        assertFalse(s.accepted());
    }

    @Test
    void backsOffFromOverflow() {
        DifferentiableFunction f = (x, g) -> {
            g[0] = x[0] > 50 ? Double.NaN : 2 * (x[0] - 1);
            return x[0] > 50 ? Double.POSITIVE_INFINITY : (x[0] - 1) * (x[0] - 1);
        };
        double[] g0 = {-2};
        WolfeLineSearch.Step s = WolfeLineSearch.standard().search(f, new double[] {0}, 1, g0, new double[] {2}, 1000);
        assertTrue(s.accepted());
        assertTrue(s.value() < 1);
    }
}
