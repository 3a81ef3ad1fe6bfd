package org.scalinglab.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.approach.EnvelopeFit;
import org.scalinglab.fit.approach.IsoFlopFit;
import org.scalinglab.fit.approach.KaplanFit;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.TrainingCurve;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.fit.run.FitRunner;

/**
 * Data that cannot support a law (too few distinct N, D or budgets) or whose best fit is outside
 * the physical range (a non-positive exponent) is exit code 9 with the reason, in every approach;
 * the audit's 20 identical rows used to give exit 0, alpha -0.05 and a Kaplan law.
 */
class DegenerateFitTest {
    private static final ParametricFit SMALL = ParametricFit.chinchilla().withGrid(new StartGrid(
            new double[] {-0.5, 0.3, 0.6}, new double[] {0.3, 0.6}, new double[] {0, 1}, new double[] {0, 10},
            new double[] {0, 10}));

    static String refused(Supplier<?> fit) {
        ScalingLabException e = assertThrows(ScalingLabException.class, fit::get);
        assertEquals(ExitCode.FIT, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    static RunTable identicalRows() {
        List<RunPoint> pts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pts.add(new RunPoint("r" + i, 1e6, 2e7, 1.2e14, 3.1, Double.NaN, null));
        }
        return RunTable.of(pts);
    }

    /** A grid whose loss rises with N: E + A N^0.3 + B / D^0.3. */
    static RunTable lossRisesWithN() {
        List<RunPoint> pts = new ArrayList<>();
        for (double n : new double[] {1e6, 3e6, 1e7, 3e7, 1e8}) {
            for (double d : new double[] {1e8, 1e9, 1e10}) {
                double loss = 1.5 + 0.01 * Math.pow(n, 0.3) + 300 / Math.pow(d, 0.3);
                pts.add(new RunPoint("n" + n + "d" + d, n, d, 6 * n * d, loss, Double.NaN, null));
            }
        }
        return RunTable.of(pts);
    }

    @Test
    void twentyIdenticalRowsAreNoLawInAnyApproach() {
        RunTable t = identicalRows();
        String m = refused(() -> SMALL.fit(t));
        assertTrue(m.contains("at least 3 distinct N and 3 distinct D") && m.contains("got 1 distinct N"), m);
        assertTrue(refused(() -> new KaplanFit(false).fit(t)).contains("got 1 distinct N and 1 distinct D"));
        assertTrue(refused(() -> new IsoFlopFit().fit(t)).contains("at least 2 budgets"));
        String all = refused(() -> new FitRunner(FitSettings.defaults().withBootstrap(0)).withParametricFit(SMALL)
                .run(t));
        assertTrue(all.startsWith("no approach could be fitted"), all);
    }

    @Test
    void aNonPositiveExponentIsRefusedAsOutsideThePhysicalRange() {
        RunTable t = lossRisesWithN();
        String m3 = refused(() -> SMALL.fit(t));
        assertTrue(m3.contains("outside the physical range"), m3);
        String mk = refused(() -> new KaplanFit(false).fit(t));
        assertTrue(mk.contains("alpha_N = -") && mk.contains("outside the physical range"), mk);
    }

    /** A loss that steps down once past the smallest size and is flat in N above it. */
    static RunTable lossStepsInN() {
        List<RunPoint> pts = new ArrayList<>();
        for (double n : new double[] {1e4, 1.1e4, 3e4, 1e5, 3e5}) {
            for (double d : new double[] {1e6, 3e6, 1e7}) {
                double loss = 1.5 + (n < 1.05e4 ? 0.4 : 0) + 300 / Math.pow(d, 0.4);
                pts.add(new RunPoint("n" + n + "d" + d, n, d, 6 * n * d, loss, Double.NaN, null));
            }
        }
        return RunTable.of(pts);
    }

    @Test
    void aCoefficientThatOverflowsIsAStepNotALaw() {
        String m = refused(() -> ParametricFit.chinchilla().fit(lossStepsInN()));
        assertTrue(m.contains("is a step in N or D, not a power law"), m);
    }

    /** IsoFLOP minima whose N_opt shrinks as compute grows, or whose best loss rises with it. */
    static RunTable isoFlop(double nExponent, double lossSlope) {
        List<RunPoint> pts = new ArrayList<>();
        for (double c : new double[] {1e15, 1e16, 1e17, 1e18}) {
            double centre = 1e7 * Math.pow(c / 1e15, nExponent);
            for (int j = -2; j <= 2; j++) {
                double n = centre * Math.pow(2, j);
                double loss = 3 + lossSlope * Math.log10(c / 1e15) + 0.05 * j * j * Math.log(2) * Math.log(2);
                pts.add(new RunPoint("c" + c + "j" + j, n, c / (6 * n), c, loss, c, null));
            }
        }
        return RunTable.of(pts);
    }

    @Test
    void approach2RefusesMinimaThatShrinkWithComputeOrALossThatRises() {
        assertEquals(0.5, new IsoFlopFit().fit(isoFlop(0.5, -0.1)).a(), 1e-6, "the sane case fits");
        String a = refused(() -> new IsoFlopFit().fit(isoFlop(-0.5, -0.1)));
        assertTrue(a.contains("a = -0.5") && a.contains("outside the physical range"), a);
        String g = refused(() -> new IsoFlopFit().fit(isoFlop(0.5, 0.1)));
        assertTrue(g.contains("loss_opt(C) has exponent") && g.contains("outside the physical range"), g);
    }

    /** Four sizes whose interior envelope moves from the larger to the smaller model as compute grows. */
    @Test
    void approach1RefusesAnEnvelopeWhoseOptimumShrinksWithCompute() {
        List<RunPoint> pts = new ArrayList<>();
        double[] sizes = {1e6, 2e6, 4e6, 8e6};
        for (double n : sizes) {
            double[] fl = new double[31];
            double[] tk = new double[31];
            double[] ls = new double[31];
            for (int k = 0; k <= 30; k++) {
                double c = 1e12 * Math.pow(10, k / 10.0);
                double x = Math.log10(c / 1e12);
                fl[k] = c;
                tk[k] = c / (6 * n);
                ls[k] = n == 4e6 ? 3.0 - 0.1 * x : n == 2e6 ? 3.05 - 0.2 * x : 5.0 - 0.1 * x;
            }
            pts.add(new RunPoint("n" + n, n, tk[30], fl[30], ls[30], Double.NaN, new TrainingCurve(fl, tk, ls)));
        }
        String m = refused(() -> new EnvelopeFit().fit(RunTable.of(pts)));
        assertTrue(m.contains("approach 1's power laws have a = -") && m.contains("outside the physical range"), m);
    }
}
