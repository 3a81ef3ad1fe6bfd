package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.model.ShapeFamily;

/** Allocation of a budget under C(N, D) = D x F(N), on planted laws. */
class ComputeOptimalTest {
    /** A byte-level family like the quickstart's: d_model = 8 x depth, heads of 8, context 64. */
    static final FlopsCurve FAMILY = new FlopsCurve("total", "chinchilla", "test family",
            new ShapeFamily(256, 64, new ShapeFamily.Rule(8, 8, 4), List.of())
                    .curve(ParamConvention.TOTAL, FlopConvention.CHINCHILLA));

    @Test
    void underSixNItIsChinchillasClosedForm() {
        ParametricLaw law = Planted.CHINCHILLA;
        FlopsCurve sixN = FlopsCurve.sixN("total", "kaplan");
        for (double c : new double[] {1e15, 1e19, 5.76e23}) {
            double[] o = ComputeOptimal.allocate(law::loss, sixN, c);
            assertEquals(law.optimalParams(c), o[0], 1e-6 * o[0], "N_opt at " + c);
            assertEquals(law.optimalTokens(c), o[1], 1e-6 * o[1], "D_opt at " + c);
        }
    }

    @Test
    void alongAShapeFamilyItSpendsTheBudgetAndBeatsEveryOtherSizeOnItsIsoFlopLine() {
        ParametricLaw law = new ParametricLaw(1.1, 60, 900, 0.4, 0.35); // a small-model law
        for (double c : new double[] {2.5e11, 1e13, 1e15}) {
            double[] o = ComputeOptimal.allocate(law::loss, FAMILY, c);
            assertEquals(c, FAMILY.flops(o[0], o[1]), 1e-9 * c, "C(N_opt, D_opt) is the budget");
            double best = law.loss(o[0], o[1]);
            // brute force along the iso-FLOP line: 20,001 sizes over 6 decades around N_opt
            double bruteN = Double.NaN;
            double brute = Double.POSITIVE_INFINITY;
            for (int k = -10_000; k <= 10_000; k++) {
                double n = o[0] * Math.pow(10, k * 3e-4);
                double l = law.loss(n, FAMILY.tokens(n, c));
                if (l < brute) {
                    brute = l;
                    bruteN = n;
                }
            }
            assertTrue(best <= brute + 1e-12, "no size on the line does better: " + best + " vs " + brute);
            assertEquals(bruteN, o[0], 1e-3 * o[0], "the brute-force minimum sits at N_opt");
            // the first-order condition, d L / d ln N = 0 along the line (to the kinks of the interpolated F)
            double h = 1e-3;
            double up = law.loss(o[0] * Math.exp(h), FAMILY.tokens(o[0] * Math.exp(h), c));
            double down = law.loss(o[0] * Math.exp(-h), FAMILY.tokens(o[0] * Math.exp(-h), c));
            assertEquals(0, (up - down) / (2 * h), 1e-4 * best, "flat along the iso-FLOP line at N_opt");
        }
    }

    @Test
    void sixNMisplacesTheOptimumOfSmallModels() {
        // small models spend most of their FLOPs on embeddings and logits, which 6N leaves out
        ParametricLaw law = new ParametricLaw(1.1, 60, 900, 0.4, 0.35);
        double c = 1e12;
        double[] real = ComputeOptimal.allocate(law::loss, FAMILY, c);
        double[] naive = ComputeOptimal.allocate(law::loss, FlopsCurve.sixN("total", "chinchilla"), c);
        assertTrue(naive[1] / real[1] > 1.3, "6ND buys " + naive[1] + " tokens, the real count " + real[1]);
    }

    @Test
    void curveInterpolatesBetweenItsPointsAndExtrapolatesTheEnds() {
        FlopsCurve c = new FlopsCurve("total", "chinchilla", "t", new double[][] {{10, 100}, {1000, 1000}});
        assertEquals(100, c.perToken(10), 1e-9);
        assertEquals(Math.sqrt(100 * 1000.0), c.perToken(100), 1e-9, "log-log midpoint");
        assertEquals(10_000, c.perToken(100_000), 1e-6, "end slope continued");
        assertEquals(2e6, c.flops(1000, 2000), 1e-6);
        assertEquals(2000, c.tokens(1000, 2e6), 1e-9);
    }
}
