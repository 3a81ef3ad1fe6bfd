package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;

class IsoFlopFitTest {
    static final ParametricLaw LAW = Planted.CHINCHILLA;

    @Test
    void recoversThePlantedAllocation() {
        RunTable t = Planted.isoFlop(LAW, Planted.budgets(1e18, 4, 6), 9, 1.5, 0.002, 1);
        IsoFlopFit f = new IsoFlopFit();
        IsoFlopResult r = f.bootstrap(t, f.fit(t), new Bootstrap(200, 2, 0.95));
        assertEquals(6, r.budgetsUsed());
        // the default window (5 of the 9 sizes) scatters a by about 0.01 on this design; this seed is 2.7 sd off
        assertEquals(LAW.a(), r.a(), 0.03);
        assertEquals(LAW.b(), r.b(), 0.03);
        assertEquals("parabola", r.curve());
        assertEquals("5", r.window());
        double[] ci = r.ci().get("a");
        assertTrue(ci[0] < r.a() && r.a() < ci[1], "interval around the estimate");
        assertTrue(ci[1] - ci[0] < 0.1, "interval width");
        for (IsoFlopResult.Budget b : r.budgets()) {
            assertEquals(LAW.optimalParams(b.flops()), b.nOpt(), 0.25 * b.nOpt(), "N_opt at " + b.flops());
            assertEquals(9, b.points().size());
            assertEquals(5, b.fittedSizes(), "the window");
            assertTrue(b.ci().get("N_opt")[0] < b.nOpt() && b.nOpt() < b.ci().get("N_opt")[1]);
        }
        assertTrue(r.lossOptLaw().exponent() < 0, "loss falls with compute");
    }

    @Test
    void flagsMinimaAtTheEdgeAndLeavesThemOut() {
        List<RunPoint> pts = new ArrayList<>(Planted.isoFlop(LAW, Planted.budgets(1e18, 4, 4), 7, 1.5, 0, 1).points());
        // at 1e21 sample only sizes far below the optimum: the parabola's vertex lies beyond the largest
        double c = 1e21;
        double nOpt = LAW.optimalParams(c);
        for (int k = 0; k < 5; k++) {
            double n = nOpt / 100 * Math.pow(2, k);
            pts.add(new RunPoint("small" + k, n, c / (6 * n), c, LAW.loss(n, c / (6 * n)), c, null));
        }
        // at 3e21 a profile that bulges upwards: no minimum
        double c2 = 3e21;
        for (int k = 0; k < 5; k++) {
            double n = LAW.optimalParams(c2) * Math.pow(2, k - 2);
            pts.add(new RunPoint("bulge" + k, n, c2 / (6 * n), c2, 2.5 - 0.01 * (k - 2) * (k - 2), c2, null));
        }
        IsoFlopResult r = new IsoFlopFit().fit(RunTable.of(pts));
        IsoFlopResult.Budget far = r.budgets().stream().filter(b -> b.flops() == c).findFirst().orElseThrow();
        IsoFlopResult akima = new IsoFlopFit(new IsoFlopSettings(IsoFlopSettings.Curve.AKIMA, IsoFlopSettings.ALL))
                .fit(RunTable.of(pts));
        assertTrue(far.edge());
        assertFalse(far.used());
        assertTrue(far.reason().contains("beyond the largest N"), far.reason());
        IsoFlopResult.Budget bulge = r.budgets().stream().filter(b -> b.flops() == c2).findFirst().orElseThrow();
        assertTrue(bulge.edge());
        assertTrue(bulge.reason().contains("opens downwards"), bulge.reason());
        assertEquals(4, r.budgetsUsed());
        assertEquals(LAW.a(), r.a(), 0.03, "the edge budgets do not bend the power law");
        // an interpolation has no vertex beyond the data: both profiles end at a sampled edge
        assertEquals(4, akima.budgetsUsed());
        for (double flops : new double[] {c, c2}) {
            IsoFlopResult.Budget b = akima.budgets().stream().filter(x -> x.flops() == flops).findFirst().orElseThrow();
            assertTrue(b.edge() && b.reason().contains("fitted"), b.reason());
        }
    }

    @Test
    void theWindowTakesTheSizesNearestTheLowestLoss() {
        double[] lnN = {1, 2, 3, 4, 5, 6, 7, 3};
        double[] loss = {5, 4, 2.9, 3.1, 3.5, 4, 5, 2.9};
        // lowest at ln N = 3 (two runs); the 4 sizes nearest it are 3, 2 and 4, then 1 (tied with 5: the smaller)
        assertArrayEquals(new boolean[] {true, true, true, true, false, false, false, true},
                IsoFlopFit.window(lnN, loss, 4));
        // at the edge the window shifts inwards rather than shrinking
        double[] falling = {7, 6, 5, 4, 3, 2, 1};
        assertArrayEquals(new boolean[] {false, false, false, false, true, true, true},
                IsoFlopFit.window(new double[] {1, 2, 3, 4, 5, 6, 7}, falling, 3));
        assertArrayEquals(new boolean[] {true, true, true}, IsoFlopFit.window(new double[] {1, 2, 3},
                new double[] {3, 2, 3}, 5), "fewer sizes than the window: all of them");
    }

    @Test
    void aWindowKeepsTheExponentWhenTheDesignDriftsOffTheOptimum() {
        // 12 sizes over 2.4 decades whose centre drifts from 0.7 decade below the optimum to 0.7 above across the
        // budgets (a sweep planned with the wrong exponent): the far side of each profile is asymmetric, so one
        // parabola over every size tilts a; one over the 5 sizes nearest the minimum does not
        IsoFlopFit all = new IsoFlopFit(new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL));
        IsoFlopFit window = new IsoFlopFit();
        double errAll = 0;
        double errWindow = 0;
        int sims = 20;
        for (int s = 0; s < sims; s++) {
            RunTable t = Planted.isoFlopDrifting(LAW, Planted.budgets(1e18, 4, 6), 12, 2.4, 0.003, 0.7, s);
            errAll += (all.fit(t).a() - LAW.a()) / sims;
            errWindow += (window.fit(t).a() - LAW.a()) / sims;
        }
        // measured: +0.019 and -0.002
        assertTrue(errAll > 0.01, "every size: mean error " + errAll);
        assertTrue(Math.abs(errWindow) < 0.005, "window of 5: mean error " + errWindow);
    }

    @Test
    void edgeBudgetsAreReFlaggedInEveryBootstrapReplicate() {
        List<RunPoint> pts = new ArrayList<>(Planted.isoFlop(LAW, Planted.budgets(1e18, 4, 3), 7, 1.5, 0.002, 4).points());
        double c = 1e21;
        double nOpt = LAW.optimalParams(c);
        for (int k = 0; k < 5; k++) {
            double n = nOpt / 50 * Math.pow(2, k);
            pts.add(new RunPoint("small" + k, n, c / (6 * n), c, LAW.loss(n, c / (6 * n)), c, null));
        }
        IsoFlopFit f = new IsoFlopFit();
        RunTable t = RunTable.of(pts);
        IsoFlopResult r = f.bootstrap(t, f.fit(t), new Bootstrap(100, 3, 0.9));
        double[] ci = r.budgets().get(3).ci().get("N_opt");
        assertTrue(Double.isNaN(ci[0]), "an edge budget never enters a replicate");
        assertEquals(100, r.bootstrap().succeeded());
    }

    @Test
    void tooFewUsableBudgetsIsAFitError() {
        RunTable t = Planted.isoFlop(LAW, new double[] {1e19}, 7, 1.5, 0, 1);
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> new IsoFlopFit().fit(t));
        assertEquals(ExitCode.FIT, e.exitCode());
        assertTrue(e.getMessage().contains("at least 2 budgets"), e.getMessage());
    }

    @Test
    void budgetsWithUnderThreeSizesAreLeftOutWithTheReason() {
        List<RunPoint> pts = new ArrayList<>(Planted.isoFlop(LAW, Planted.budgets(1e18, 4, 3), 7, 1.5, 0, 1).points());
        pts.add(new RunPoint("lone1", 1e8, 1e10, 6e18 * 100, 2.5, 6e20, null));
        pts.add(new RunPoint("lone2", 2e8, 5e9, 6e18 * 100, 2.4, 6e20, null));
        IsoFlopResult r = new IsoFlopFit().fit(RunTable.of(pts));
        IsoFlopResult.Budget lone = r.budgets().get(3);
        assertFalse(lone.used());
        assertFalse(lone.edge());
        assertTrue(lone.reason().contains("fewer than 3"));
        assertEquals(3, r.budgetsUsed());
    }
}
