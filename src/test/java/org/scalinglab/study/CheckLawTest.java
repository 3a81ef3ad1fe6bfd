package org.scalinglab.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.fit.run.FitRunner;
import org.scalinglab.sweep.StudyDesignTest;
import org.scalinglab.sweep.SweepConfig;

/** The law whose allocation centres a study's check: by default the fit's recommended law. */
class CheckLawTest {
    static final StartGrid SMALL = new StartGrid(new double[] {0.5, 1}, new double[] {0.5, 1}, new double[] {0, 1},
            new double[] {0, 10}, new double[] {0, 10});

    static Study study(String... sets) {
        SweepConfig c = StudyDesignTest.config(StudyDesignTest.ISOFLOP + "check: {compute_factor: 4}\n", sets);
        return new Study(c, Path.of("."), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void theCheckCentresOnTheRecommendedLawByDefault() {
        assertEquals("recommended", StudyDesignTest.config(StudyDesignTest.ISOFLOP).check().approach());
        RunTable t = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.005, 4);
        FitRunner runner = new FitRunner(FitSettings.defaults().withBootstrap(20))
                .withParametricFit(ParametricFit.chinchilla().withGrid(SMALL));
        FitReport ranked = runner.run(t);
        // the planted form is approach 3's: D.2's fit or the bounded one, whichever backtests better
        assertTrue(java.util.Set.of("approach3", "approach3_bounded").contains(ranked.recommended()),
                ranked.ranking().describe());
        assertEquals(ranked.recommended(), study().checkLaw(ranked).key());
        assertEquals("kaplan", study("check.approach=kaplan").checkLaw(ranked).key(), "a law by name still chooses");

        // a fit with no recommendation still gets its check, on approach 3
        FitReport unranked = runner.withoutRanking().run(t);
        assertNull(unranked.recommended());
        assertEquals("approach3", study().checkLaw(unranked).key());
    }
}
