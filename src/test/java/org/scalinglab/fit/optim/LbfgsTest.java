package org.scalinglab.fit.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunTable;

class LbfgsTest {
    /** Rosenbrock's banana in n dimensions: minimum 0 at (1, ..., 1). */
    static final DifferentiableFunction ROSENBROCK = (x, g) -> {
        double f = 0;
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * a * x[i] - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    };

    @Test
    void rosenbrockFromFarStartsReachesTheMinimum() {
        double[][] starts = {{-1.2, 1}, {-3, -4}, {5, 5}, {0, 0}, {2.5, -2}};
        for (double[] s : starts) {
            Lbfgs.Result r = Lbfgs.standard().minimize(ROSENBROCK, s);
            assertTrue(r.converged(), () -> "from " + java.util.Arrays.toString(s) + ": " + r);
            assertArrayEquals(new double[] {1, 1}, r.x(), 1e-8);
            assertTrue(r.value() < 1e-18, "value " + r.value());
        }
    }

    @Test
    void rosenbrockInTenDimensions() {
        double[] s = new double[10];
        for (int i = 0; i < s.length; i++) {
            s[i] = i % 2 == 0 ? -1.2 : 1;
        }
        Lbfgs.Result r = Lbfgs.standard().minimize(ROSENBROCK, s);
        assertTrue(r.converged(), r.toString());
        for (double v : r.x()) {
            assertEquals(1, v, 1e-8);
        }
    }

    @Test
    void quadraticConvergesInAFewIterations() {
        double[] h = {1, 10, 100, 1000};
        DifferentiableFunction q = (x, g) -> {
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                g[i] = h[i] * (x[i] - i);
                f += 0.5 * h[i] * (x[i] - i) * (x[i] - i);
            }
            return f;
        };
        Lbfgs.Result r = Lbfgs.standard().minimize(q, new double[] {10, 10, 10, 10});
        assertTrue(r.converged());
        assertArrayEquals(new double[] {0, 1, 2, 3}, r.x(), 1e-9);
        assertTrue(r.iterations() < 30, "iterations " + r.iterations());
    }

    @Test
    void reportsANonFiniteStart() {
        Lbfgs.Result r = Lbfgs.standard().minimize((x, g) -> Double.NaN, new double[] {0});
        assertFalse(r.converged());
        assertEquals(Lbfgs.StopReason.NON_FINITE_START, r.stopReason());
    }

    @Test
    void stopsAtMaxIterationsAndSaysSo() {
        Lbfgs.Result r = Lbfgs.standard().withMaxIterations(3).minimize(ROSENBROCK, new double[] {-1.2, 1});
        assertFalse(r.converged());
        assertEquals(Lbfgs.StopReason.MAX_ITERATIONS, r.stopReason());
        assertEquals(3, r.iterations());
    }

    @Test
    void huberObjectiveFromDifferentStartsReachesTheSameOptimum() {
        RunTable t = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 3, 5), 8, 1.2, 0.01, 7);
        HuberLogLoss f = HuberLogLoss.of(t.params(), t.tokens(), t.losses(), 1e-3);
        double[][] starts = {{6, 6, 0.5, 0.3, 0.3}, {0, 0, -1, 0, 0}, {25, 25, 1, 2, 2}, {10, 3, 0, 1, 0.5},
            {5, 7, 0.4, 0.4, 0.25}};
        Lbfgs.Result ref = null;
        for (double[] s : starts) {
            Lbfgs.Result r = Lbfgs.standard().minimize(f, s);
            if (ref == null) {
                ref = r;
            }
            assertTrue(r.converged(), () -> java.util.Arrays.toString(s) + " -> " + r);
            assertEquals(ref.value(), r.value(), 1e-9 * ref.value(), "objective from " + java.util.Arrays.toString(s));
            assertArrayEquals(ref.x(), r.x(), 1e-4, "optimum from " + java.util.Arrays.toString(s));
        }
    }
}
