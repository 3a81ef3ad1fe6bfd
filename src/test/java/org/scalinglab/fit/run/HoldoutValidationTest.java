package org.scalinglab.fit.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.fit.uncertainty.ValidationReport;

class HoldoutValidationTest {
    static final StartGrid SMALL = new StartGrid(new double[] {0.5, 1}, new double[] {0.5, 1}, new double[] {0, 1},
            new double[] {0, 10}, new double[] {0, 10});

    static HoldoutValidation validation(String holdout) {
        return new HoldoutValidation(Approach.PARAMETRIC, holdout, FitSettings.defaults().withBootstrap(60))
                .withParametricFit(ParametricFit.chinchilla().withGrid(SMALL));
    }

    @Test
    void predictsTheTopBudgetOfAPlantedLaw() {
        RunTable t = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 5), 7, 1.5, 0.003, 5);
        ValidationReport v = validation("top-budget").validate(t);
        assertEquals(7, v.split().testRuns());
        assertEquals(28, v.split().trainRuns());
        assertTrue(v.split().testMinC() > v.split().trainMaxC());
        assertTrue(v.summary().meanAbsRelError() < 0.01, "mean |rel error| " + v.summary().meanAbsRelError());
        assertTrue(v.summary().coverage() >= 5 / 7.0, "coverage " + v.summary().coverage());
        for (ValidationReport.RunError e : v.runs()) {
            assertEquals(Math.abs(e.predicted() - e.measured()), e.absError(), 1e-12);
            assertTrue(e.low() < e.predicted() && e.predicted() < e.high());
        }
        // origins: fit on budgets 1..k, test k+1, for k = 2..4 (one budget alone cannot identify the law)
        assertEquals(3, v.rolling().size());
        assertTrue(v.rolling().stream().allMatch(o -> o.summary() != null));
    }

    @Test
    void aFractionHoldsOutTheMostCompute() {
        RunTable t = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 5, 1.5, 0.003, 6);
        ValidationReport v = validation("0.25").validate(t);
        assertEquals(5, v.split().testRuns());
        assertEquals(15, v.split().trainRuns());
    }

    @Test
    void badSettingsAreUsageErrors() {
        ScalingLabException h = assertThrows(ScalingLabException.class, () -> validation("most"));
        assertEquals(ExitCode.USAGE, h.exitCode());
        ScalingLabException a = assertThrows(ScalingLabException.class,
                () -> new HoldoutValidation(Approach.ISOFLOP, "top-budget", FitSettings.defaults()));
        assertEquals(ExitCode.USAGE, a.exitCode());
    }
}
