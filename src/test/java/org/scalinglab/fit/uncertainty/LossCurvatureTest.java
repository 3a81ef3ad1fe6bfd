package org.scalinglab.fit.uncertainty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.LossCurvature;
import org.scalinglab.fit.output.ReportText;

/** The loss-curvature check: convex ln L(ln D) passes, concave is flagged, and the numbers are the direct ones. */
class LossCurvatureTest {
    static final ParametricLaw LAW = Planted.CHINCHILLA;

    static RunPoint run(double n, double d, double loss, Double se) {
        return new RunPoint("n" + n + "d" + d, n, d, 6 * n * d, loss, Double.NaN, null, se);
    }

    /** Sizes 1e6..1e8 at D 1e8..1e10 on the planted law: convex at every size, so none is flagged. */
    @Test
    void lossesOnAnyLawHereAreNeverFlagged() {
        List<RunPoint> pts = new ArrayList<>();
        for (double n : new double[] {1e6, 1e7, 1e8}) {
            for (double d : new double[] {1e8, 4e8, 1.6e9, 6.4e9}) {
                pts.add(run(n, d, LAW.loss(n, d), 0.002));
            }
        }
        LossCurvature c = LossCurvature.of(RunTable.of(pts));
        assertEquals(3, c.sizes().size());
        for (LossCurvature.Size s : c.sizes()) {
            assertTrue(s.curvature() > 0, "E + A/N^alpha + B/D^beta is convex in ln D: " + s.curvature());
            assertFalse(s.accelerating());
        }
        assertNull(c.unsupportedFromN());
        assertFalse(c.unsupported(1e9));
    }

    /** The quickstart's L5 losses (2.530, 2.289, 1.916 at D doubling, se 0.007) fall faster: flagged from there up. */
    @Test
    void aSizeWhoseLossesFallFasterIsFlaggedAndSoIsEveryLargerN() {
        List<RunPoint> pts = new ArrayList<>();
        double[] d = {173056, 346112, 692224};
        double[] convex = {2.398, 2.031, 1.725};
        double[] concave = {2.530, 2.289, 1.916};
        for (int i = 0; i < 3; i++) {
            pts.add(run(61120, d[i] * 1.8, convex[i], 0.007));
            pts.add(run(111480, d[i], concave[i], 0.007));
        }
        LossCurvature c = LossCurvature.of(RunTable.of(pts));
        assertFalse(c.sizes().get(0).accelerating());
        LossCurvature.Size s = c.sizes().get(1);
        assertTrue(s.accelerating());
        assertEquals(111480, c.unsupportedFromN());
        assertTrue(c.unsupported(111480) && c.unsupported(2e5) && !c.unsupported(61120));
        assertEquals(Math.log(2.530 / 2.289) / Math.log(2), s.slopes()[0], 1e-12);
        assertEquals(Math.log(2.289 / 1.916) / Math.log(2), s.slopes()[1], 1e-12);
        assertTrue(s.slopes()[1] > s.slopes()[0]);
        assertTrue(c.describe().contains("from N = 1.115e5"), c.describe());
    }

    /** Three equally spaced ln D: the curvature is the second difference over 2h^2, its se sqrt(6) sigma / 2h^2. */
    @Test
    void curvatureAndStandardErrorAgainstTheDirectComputation() {
        double h = Math.log(2);
        double[] loss = {2.0, 1.9, 1.7};
        double se = 0.01;
        List<RunPoint> pts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // a relative standard error of se / loss: weight (loss / se)^2 on ln L
            pts.add(run(1e5, 1e6 * Math.pow(2, i), loss[i], se * loss[i]));
        }
        LossCurvature.Size s = LossCurvature.of(RunTable.of(pts)).sizes().get(0);
        double second = Math.log(loss[2]) - 2 * Math.log(loss[1]) + Math.log(loss[0]);
        assertEquals(second / (2 * h * h), s.curvature(), 1e-12);
        assertEquals(Math.sqrt(6) * se / (2 * h * h), s.curvatureSe(), 1e-12);
        assertEquals(s.curvature() / s.curvatureSe(), s.z(), 1e-12);
    }

    /** Without standard errors three token counts cannot be tested; four can, from the scatter. */
    @Test
    void withoutStandardErrorsTheScatterNeedsAFourthTokenCount() {
        List<RunPoint> pts = new ArrayList<>();
        double[] loss = {2.5, 2.3, 1.9, 1.4};
        for (int i = 0; i < 3; i++) {
            pts.add(run(1e5, 1e6 * Math.pow(2, i), loss[i], null));
        }
        LossCurvature three = LossCurvature.of(RunTable.of(pts));
        assertNull(three.sizes().get(0).z());
        assertFalse(three.sizes().get(0).accelerating());
        pts.add(run(1e5, 8e6, loss[3] * 1.001, null));
        LossCurvature four = LossCurvature.of(RunTable.of(pts));
        assertNotNull(four.sizes().get(0).curvatureSe());
        assertTrue(four.sizes().get(0).curvature() < 0);
    }

    /** Fewer than three token counts per size: nothing to check. */
    @Test
    void noSizeAtThreeTokenCountsGivesNoCheck() {
        assertNull(LossCurvature.of(RunTable.of(List.of(run(1e5, 1e6, 2, 0.01), run(1e5, 2e6, 1.9, 0.01),
                run(2e5, 1e6, 1.95, 0.01)))));
    }

    /** A check marks its runs at or above the flagged N and summarises the others apart. */
    @Test
    void theCheckMarksRunsBeyondTheSupportAndSummarisesTheRest() {
        PredictorTest.fit();
        FitReport r = PredictorTest.report;
        double budget = 1e22;
        RunTable check = Planted.isoFlop(LAW, new double[] {budget}, 5, 1.5, 0.003, 11);
        double[] n = check.points().stream().mapToDouble(RunPoint::params).sorted().toArray();
        FitReport flagged = r.withLossCurvature(new LossCurvature(LossCurvature.TEST, List.of(), n[3]));
        RunTable design = Planted.isoFlop(LAW, Planted.budgets(1e18, 4, 5), 7, 1.5, 0.003, 3);
        CheckValidation.Report c = CheckValidation.evaluate(flagged, design, check, budget, 10, "approach3", n[2]);
        assertEquals(n[3], c.unsupportedFromN());
        for (CheckValidation.Run run : c.runs()) {
            assertEquals(run.params() >= n[3], run.beyondSupport(), "N " + run.params());
        }
        assertEquals(3, c.summaryWithinSupport().get("approach3").n());
        assertEquals(5, c.summary().get("approach3").n());
        assertTrue(ReportText.check(c).contains("within the support"));
        FitReport none = r.withLossCurvature(null);
        CheckValidation.Report plain = CheckValidation.evaluate(none, design, check, budget, 10, "approach3", n[2]);
        assertNull(plain.summaryWithinSupport());
        assertTrue(plain.runs().stream().allMatch(x -> x.beyondSupport() == null), "no curvature, no verdict");
    }

    /** Predictions at or above the flagged N say so; smaller ones do not. */
    @Test
    void predictionsAboveTheFlaggedSizeSaySo() {
        PredictorTest.fit();
        FitReport r = PredictorTest.report;
        LossCurvature c = new LossCurvature(LossCurvature.TEST, List.of(), 1e8);
        FitReport flagged = r.withLossCurvature(c);
        Predictor p = new Predictor(flagged);
        assertTrue(p.atSize(2e8, 4e9).get(0).note().contains("not supported by the data"));
        assertFalse(p.atSize(5e7, 4e9).get(0).note().contains("not supported"));
    }
}
