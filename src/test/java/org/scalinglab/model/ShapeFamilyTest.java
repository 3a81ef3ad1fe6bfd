package org.scalinglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;

/** The FLOPs-per-token curve of a shape family: exact at its shapes, continued beyond them. */
class ShapeFamilyTest {
    @Test
    void aRulePassesThroughEveryIntegerDepthExactly() {
        ShapeFamily f = new ShapeFamily(256, 64, new ShapeFamily.Rule(8, 8, 4), List.of());
        for (ParamConvention p : ParamConvention.values()) {
            for (FlopConvention c : FlopConvention.values()) {
                double[][] curve = f.curve(p, c);
                for (int depth : new int[] {1, 2, 4, 8, 16, 64}) {
                    GptShape s = new GptShape(256, 64, 8 * depth, depth, depth, 4);
                    double n = ParameterCounts.closedForm(s).get(p);
                    double[] point = find(curve, n);
                    assertEquals(Flops.perToken(s).get(c), point[1], 1e-6 * point[1], s.label() + " " + p + " " + c);
                }
                for (int i = 1; i < curve.length; i++) {
                    assertTrue(curve[i][0] > curve[i - 1][0] && curve[i][1] > curve[i - 1][1]);
                }
                assertTrue(curve[curve.length - 1][0] > 1e12, "continued far beyond the ladder");
            }
        }
    }

    @Test
    void explicitShapesArePointsOfTheCurveAndTheEndsContinueTheirAspect() {
        List<ShapeFamily.Shape> shapes = List.of(new ShapeFamily.Shape(2, 32, 2, 4), new ShapeFamily.Shape(3, 48, 3, 4));
        ShapeFamily f = new ShapeFamily(256, 64, null, shapes);
        double[][] curve = f.curve(ParamConvention.NON_EMBEDDING, FlopConvention.CHINCHILLA);
        for (ShapeFamily.Shape s : shapes) {
            GptShape g = new GptShape(256, 64, s.dModel(), s.layers(), s.heads(), s.mlpRatio());
            double[] point = find(curve, ParameterCounts.closedForm(g).nonEmbedding());
            assertEquals(Flops.chinchilla(g), point[1], 1e-9 * point[1]);
        }
        // beyond the top: depth 6 at the top shape's 16 per layer, heads of 16
        GptShape six = new GptShape(256, 64, 96, 6, 6, 4);
        double[] p6 = find(curve, ParameterCounts.closedForm(six).nonEmbedding());
        assertEquals(Flops.chinchilla(six), p6[1], 1e-6 * p6[1]);
        assertTrue(f.describe().contains("2 explicit shapes"), f.describe());
    }

    /** The curve point at N (to a part in 1e9). */
    private static double[] find(double[][] curve, double n) {
        for (double[] p : curve) {
            if (Math.abs(p[0] - n) <= 1e-9 * n) {
                return p;
            }
        }
        throw new AssertionError("no curve point at N = " + n);
    }
}
