package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;

class KaplanFitTest {
    /** Kaplan et al. 2020, eq. 1.5's published constants. */
    static final KaplanJointLaw KAPLAN = new KaplanJointLaw(0.076, 0.095, 8.8e13, 5.4e13, 0, null);

    static RunTable grid(java.util.function.DoubleBinaryOperator loss, double noise, long seed) {
        Random rng = new Random(seed);
        List<RunPoint> pts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                double n = 1e6 * Math.pow(10, i * 3.0 / 7);
                double d = 1e8 * Math.pow(10, j * 3.0 / 7);
                pts.add(new RunPoint("n" + i + "d" + j, n, d, 6 * n * d,
                        loss.applyAsDouble(n, d) * Math.exp(noise * rng.nextGaussian()), Double.NaN, null));
            }
        }
        return RunTable.of(pts);
    }

    @Test
    void recoversThePlantedJointLawFromFarStarts() {
        RunTable t = grid(KAPLAN::loss, 0.002, 5);
        KaplanFit f = new KaplanFit(false);
        KaplanResult r = f.bootstrap(t, f.fit(t), new Bootstrap(50, 1, 0.95));
        KaplanJointLaw j = r.joint();
        assertEquals(0.076, j.alphaN(), 0.005);
        assertEquals(0.095, j.alphaD(), 0.005);
        assertEquals(Math.log(8.8e13), Math.log(j.nC()), 1.0, "N_c within a factor e");
        assertEquals(Math.log(5.4e13), Math.log(j.dC()), 1.0, "D_c within a factor e");
        assertTrue(j.diagnostics().converged());
        double[] ci = r.ci().get("joint_alpha_N");
        assertTrue(ci[0] < j.alphaN() && j.alphaN() < ci[1]);
        // the closed-form allocation minimises the law along C = 6ND
        double c = 1e21;
        double n = j.optimalParams(c);
        assertTrue(j.loss(n, c / (6 * n)) < j.loss(n * 1.1, c / (6 * n * 1.1)));
        assertTrue(j.loss(n, c / (6 * n)) < j.loss(n / 1.1, c / (6 * n / 1.1)));
    }

    @Test
    void recoversSingleVariableLaws() {
        // loss limited by N alone: every run lies on the N frontier
        RunTable t = grid((n, d) -> Math.pow(8.8e13 / n, 0.076), 0.001, 6);
        KaplanResult r = new KaplanFit(false).fit(t);
        assertEquals(0.076, r.alphaN(), 0.003);
        assertEquals(Math.log(8.8e13), Math.log(r.nC()), 1.0);
        RunTable td = grid((n, d) -> Math.pow(5.4e13 / d, 0.095), 0.001, 7);
        KaplanResult rd = new KaplanFit(false).fit(td);
        assertEquals(0.095, rd.alphaD(), 0.003);
    }

    @Test
    void recoversAnIrreducibleOffset() {
        RunTable t = grid((n, d) -> 1.7 + Math.pow(1e8 / n, 0.35), 0.001, 8);
        KaplanResult r = new KaplanFit(true).fit(t);
        KaplanLaw l = r.laws().get("N");
        assertEquals(1.7, l.offset(), 0.05);
        assertEquals(0.35, l.alpha(), 0.03);
        assertTrue(r.irreducible());
    }

    @Test
    void frontierKeepsOnlyRecordLows() {
        List<RunPoint> pts = List.of(new RunPoint("a", 1, 1, 1, 3.0, Double.NaN, null),
                new RunPoint("b", 2, 1, 1, 3.5, Double.NaN, null), new RunPoint("c", 3, 1, 1, 2.5, Double.NaN, null),
                new RunPoint("d", 3, 1, 1, 2.7, Double.NaN, null));
        List<double[]> f = KaplanFit.frontier(RunTable.of(pts), "N");
        assertEquals(2, f.size());
        assertEquals(2.5, f.get(1)[1]);
    }
}
