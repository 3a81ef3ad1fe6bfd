package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.HuberLogLoss;
import org.scalinglab.fit.optim.Lbfgs;
import org.scalinglab.fit.optim.StartGrid;

class ParametricFitTest {
    static RunTable table;
    static ParametricResult fit;

    @BeforeAll
    static void plantAndFit() {
        // 6 budgets x 8 sizes over 1.5 decades, 0.2 % multiplicative noise
        table = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 6), 8, 1.5, 0.002, 42);
        fit = ParametricFit.chinchilla().fit(table);
    }

    @Test
    void recoversThePlantedLawFromTheGrid() {
        ParametricLaw p = Planted.CHINCHILLA;
        // tolerances about twice the bootstrap spread at this noise
        assertEquals(p.E(), fit.E(), 0.03, "E");
        assertEquals(p.alpha(), fit.alpha(), 0.02, "alpha");
        assertEquals(p.beta(), fit.beta(), 0.02, "beta");
        assertEquals(p.a(), fit.a(), 0.015, "a");
        assertTrue(fit.diagnostics().converged());
        assertTrue(fit.diagnostics().startsAtBest() > 100, "many starts reach the best: " + fit.diagnostics());
        assertEquals(table.size(), fit.residuals().size());
    }

    @Test
    void farStartsReachTheGridOptimum() {
        HuberLogLoss f = HuberLogLoss.of(table.params(), table.tokens(), table.losses(), 1e-3);
        double[] best = fit.law().logParameters();
        for (double[] s : new double[][] {{0, 0, -1, 0.5, 0.5}, {25, 25, 1, 2, 2}, {25, 0, 1, 1.5, 0}}) {
            Lbfgs.Result r = Lbfgs.standard().minimize(f, s);
            assertEquals(fit.objective(), r.value(), 1e-9 * fit.objective(), () -> "from " + java.util.Arrays.toString(s));
            assertArrayEquals(best, r.x(), 1e-3);
        }
    }

    @Test
    void answerDoesNotDependOnThreads() {
        StartGrid small = new StartGrid(new double[] {0, 1}, new double[] {0, 1}, new double[] {-1, 1},
                new double[] {0, 10, 20}, new double[] {0, 10, 20});
        ParametricResult one = ParametricFit.chinchilla().withGrid(small).withThreads(1).fit(table);
        ParametricResult two = ParametricFit.chinchilla().withGrid(small).withThreads(3).fit(table);
        assertEquals(one.objective(), two.objective(), 0);
        assertEquals(one.diagnostics().bestStartIndex(), two.diagnostics().bestStartIndex());
        assertArrayEquals(one.law().logParameters(), two.law().logParameters(), 0);
    }

    /** The bootstrap's shortcut (refit from the optimum and a few grid starts) finds the full grid's optimum. */
    @Test
    void bootstrapRefitStartsMatchTheFullGrid() {
        ParametricFit pf = ParametricFit.chinchilla();
        // a smaller design (4 budgets x 6 sizes, 1 % noise) so that three full-grid refits stay cheap
        RunTable small = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 8, 4), 6, 1.5, 0.01, 3);
        ParametricResult smallFit = pf.fit(small);
        int[][] counts = new Bootstrap(3, 11, 0.95).resampleCounts(small.size());
        for (int[] c : counts) {
            double[] w = java.util.Arrays.stream(c).asDoubleStream().toArray();
            Lbfgs.Result quick = pf.refit(small, w, smallFit.refitStarts());
            ParametricResult full = pf.fit(small.select(Bootstrap.indices(c)));
            assertEquals(full.objective(), quick.value(), 1e-7 * full.objective());
            assertArrayEquals(full.law().logParameters(), quick.x(), 1e-3);
        }
    }

    @Test
    void bootstrapIsSeededAndCoversThePlantedValues() {
        ParametricFit pf = ParametricFit.chinchilla();
        ParametricResult a = pf.bootstrap(table, fit, new Bootstrap(60, 5, 0.95));
        ParametricResult b = pf.bootstrap(table, fit, new Bootstrap(60, 5, 0.95));
        ParametricResult c = pf.bootstrap(table, fit, new Bootstrap(60, 6, 0.95));
        assertArrayEquals(a.ci().get("alpha"), b.ci().get("alpha"), 0);
        assertTrue(a.ci().get("alpha")[0] != c.ci().get("alpha")[0]);
        assertEquals(60, a.bootstrap().succeeded());
        for (String k : List.of("E", "alpha", "beta", "a")) {
            double[] ci = a.ci().get(k);
            assertTrue(ci[0] < ci[1], k);
        }
        double[] ciA = a.ci().get("a");
        assertTrue(ciA[0] - 0.02 < Planted.CHINCHILLA.a() && Planted.CHINCHILLA.a() < ciA[1] + 0.02,
                "a interval " + java.util.Arrays.toString(ciA));
    }

    @Test
    void refusesTooFewRuns() {
        RunTable tiny = table.select(new int[] {0, 1, 2, 3, 4});
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> ParametricFit.chinchilla().fit(tiny));
        assertEquals(ExitCode.FIT, e.exitCode());
        assertTrue(e.getMessage().contains("at least 6"));
    }
}
