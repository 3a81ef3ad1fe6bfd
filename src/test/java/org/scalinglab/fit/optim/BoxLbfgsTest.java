package org.scalinglab.fit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Box-constrained L-BFGS on problems whose constrained minimum is known in closed form. */
class BoxLbfgsTest {
    /** Sum of w_i (x_i - c_i)^2, ill-conditioned (w from 1 to 1e4): the box's minimum is c clamped to it. */
    @Test
    void aQuadraticEndsOnItsBoundsExactly() {
        double[] c = {-3, 0.5, 7, 2, -0.25};
        double[] w = {1, 10, 100, 1e3, 1e4};
        DifferentiableFunction f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < x.length; i++) {
                v += w[i] * (x[i] - c[i]) * (x[i] - c[i]);
                g[i] = 2 * w[i] * (x[i] - c[i]);
            }
            return v;
        };
        double[] lo = {-1, -1, -1, -1, 0};
        double[] hi = {1, 1, 1, 1, 1};
        Lbfgs.Result r = BoxLbfgs.standard().minimize(f, new double[] {0.9, -0.9, 0, 0.3, 0.7}, lo, hi);
        assertTrue(r.converged(), r.toString());
        // the optimum's coordinates on a bound are the bound itself, not a value near it
        assertEquals(-1, r.x()[0], 0);
        assertEquals(1, r.x()[2], 0);
        assertEquals(1, r.x()[3], 0);
        assertEquals(0, r.x()[4], 0);
        assertEquals(0.5, r.x()[1], 1e-9);
    }

    /** Rosenbrock with x1 <= 0.5: the minimum is on the bound, at (0.5, 0.25), value 0.25. */
    @Test
    void rosenbrockWithItsMinimumCutOff() {
        double[] lo = {-2, -2};
        double[] hi = {0.5, 2};
        for (double[] s : new double[][] {{-1.2, 1}, {0, 0}, {-2, 2}, {3, -3}}) {
            Lbfgs.Result r = BoxLbfgs.standard().minimize(LbfgsTest.ROSENBROCK, s, lo, hi);
            assertTrue(r.converged(), () -> Arrays.toString(s) + ": " + r);
            assertEquals(0.5, r.x()[0], 0);
            assertEquals(0.25, r.x()[1], 1e-8);
            assertEquals(0.25, r.value(), 1e-12);
        }
    }

    /** A box that holds the unconstrained minimum changes nothing. */
    @Test
    void aLooseBoxGivesTheUnconstrainedMinimum() {
        double[] lo = {-5, -5, -5, -5};
        double[] hi = {5, 5, 5, 5};
        Lbfgs.Result r = BoxLbfgs.standard().minimize(LbfgsTest.ROSENBROCK, new double[] {-1.2, 1, -1.2, 1}, lo, hi);
        assertTrue(r.converged(), r.toString());
        assertArrayEquals(new double[] {1, 1, 1, 1}, r.x(), 1e-8);
    }

    @Test
    void aStartOutsideTheBoxIsProjectedAndAnEmptyBoxRefused() {
        DifferentiableFunction f = (x, g) -> {
            g[0] = 2 * x[0];
            return x[0] * x[0];
        };
        Lbfgs.Result r = BoxLbfgs.standard().minimize(f, new double[] {-10}, new double[] {1}, new double[] {2});
        assertEquals(1, r.x()[0], 0);
        assertTrue(r.converged());
        assertThrows(IllegalArgumentException.class,
                () -> BoxLbfgs.standard().minimize(f, new double[] {0}, new double[] {1}, new double[] {0}));
    }
}
