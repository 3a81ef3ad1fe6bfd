package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;

class EnvelopeFitTest {
    static final ParametricLaw LAW = Planted.CHINCHILLA;

    @Test
    void recoversThePlantedAllocationFromTrainingCurves() {
        RunTable t = Planted.curves(LAW, 1e7, 1e10, 25, 1e21, 60, 0.001, 9);
        EnvelopeFit f = new EnvelopeFit();
        EnvelopeResult r = f.bootstrap(t, f.fit(t), new Bootstrap(100, 1, 0.95));
        assertEquals(LAW.a(), r.a(), 0.03);
        assertEquals(LAW.b(), r.b(), 0.03);
        double[] ci = r.ci().get("a");
        assertTrue(ci[0] <= r.a() && r.a() <= ci[1], java.util.Arrays.toString(ci));
        assertEquals(25, r.runsUsed());
        assertTrue(r.envelopePointsUsed() > 100);
    }

    @Test
    void pointsWonByTheSmallestOrLargestModelAreEdge() {
        // sizes all below the optimum over most of the range: the largest model wins at high compute
        RunTable t = Planted.curves(LAW, 1e6, 1e8, 12, 1e21, 40, 0, 1);
        EnvelopeResult r = new EnvelopeFit().fit(t);
        assertTrue(r.envelope().stream().anyMatch(EnvelopeResult.Point::edge));
        r.envelope().stream().filter(EnvelopeResult.Point::edge)
                .forEach(p -> assertTrue(p.params() == 1e6 || Math.abs(p.params() - 1e8) < 1, "edge at " + p.params()));
        assertFalse(r.envelope().stream().filter(p -> !p.edge()).anyMatch(p -> Math.abs(p.params() - 1e8) < 1));
    }

    @Test
    void withoutCurvesItIsAFitErrorThatSaysWhy() {
        RunTable t = Planted.isoFlop(LAW, Planted.budgets(1e18, 4, 3), 5, 1, 0, 1);
        assertFalse(EnvelopeFit.applicable(t));
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> new EnvelopeFit().fit(t));
        assertEquals(ExitCode.FIT, e.exitCode());
        assertTrue(e.getMessage().contains("training curves"));
    }
}
