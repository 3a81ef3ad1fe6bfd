package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.IsoFlopFit;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;

/** The profiles the report draws are approach 2's, or fitted with its rule when approach 2 is missing. */
class IsoFlopProfilesTest {
    static final RunTable TABLE = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 9, 1.5, 0.002, 1);

    @Test
    void withoutApproach2TheProfilesAreFittedWithItsRule() {
        IsoFlopProfiles p = IsoFlopProfiles.of(null, TABLE);
        assertNull(p.approach2());
        assertEquals(IsoFlopSettings.defaults(), p.settings());
        List<IsoFlopResult.Budget> fitted = new IsoFlopFit().profiles(TABLE);
        assertEquals(fitted.size(), p.budgets().size());
        for (int g = 0; g < fitted.size(); g++) {
            assertEquals(fitted.get(g).nOpt(), p.budgets().get(g).nOpt());
            assertEquals(fitted.get(g).used(), p.budgets().get(g).used());
        }
        assertEquals(3, p.withCurve());
    }

    @Test
    void approach2sOwnBudgetsAndWindowsWhenItWasFitted() {
        IsoFlopResult r = new IsoFlopFit().fit(TABLE);
        FitReport fit = new FitReport(FitReport.SCHEMA, null, null, null, null, null, Double.NaN, null, r, null, null, null,
                null, null);
        IsoFlopProfiles p = IsoFlopProfiles.of(fit, null);
        assertSame(r, p.approach2());
        assertEquals("parabola", p.settings().curve().key());
        assertEquals(IsoFlopSettings.DEFAULT_BAND, p.settings().band());
        for (IsoFlopResult.Budget b : p.budgets()) {
            // 9 sizes per budget, the parabola through those in the loss band
            assertEquals(9, b.points().size());
            assertEquals(b.fittedSizes(), b.fittedPoints().size());
            assertTrue(b.fittedSizes() >= 3 && b.fittedSizes() <= 9, "the band's sizes: " + b.fittedSizes());
            // the window's ends are exp(ln N): its outermost runs count as inside despite the rounding
            double[] range = b.curveNRange();
            assertTrue(b.fittedPoints().stream().allMatch(q -> Math.abs(Math.log(q.params() / range[0])) < 1e-6
                    || Math.abs(Math.log(q.params() / range[1])) < 1e-6
                    || (q.params() > range[0] && q.params() < range[1])));
        }
    }
}
