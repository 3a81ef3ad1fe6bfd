package org.scalinglab.fit.uncertainty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.IsoFlopFit;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.StartGrid;

/**
 * Bootstrap intervals cover the planted value close to the nominal rate over repeated simulations. Kept
 * cheap: few, small simulated sweeps; the rates are deterministic given the seeds.
 */
class CoverageTest {
    @Test
    void approach2IntervalsCoverThePlantedExponent() {
        // loss exactly parabolic in ln N around N* = 0.3 C^0.5, so the parabola is the true model
        double a = 0.5;
        double[] budgets = Planted.budgets(1e18, 4, 5);
        int sims = 150;
        int covered = 0;
        Random rng = new Random(2024);
        for (int s = 0; s < sims; s++) {
            List<RunPoint> pts = new ArrayList<>();
            for (double c : budgets) {
                double centre = Math.log(0.3 * Math.pow(c, a));
                for (int k = 0; k < 15; k++) {
                    double u = centre - 1.5 + 3.0 * k / 14;
                    double loss = 3 * Math.pow(c, -0.02) + 0.05 * Math.pow(u - centre, 2) + 0.004 * rng.nextGaussian();
                    double n = Math.exp(u);
                    pts.add(new RunPoint("s" + s, n, c / (6 * n), c, loss, c, null));
                }
            }
            RunTable t = RunTable.of(pts);
            IsoFlopFit f = new IsoFlopFit();
            double[] ci = f.bootstrap(t, f.fit(t), new Bootstrap(200, s, 0.9)).ci().get("a");
            if (ci[0] <= a && a <= ci[1]) {
                covered++;
            }
        }
        double rate = covered / (double) sims;
        // 0.96 with these seeds and the default loss band (5 %), as with a window of 5; 0.887 with one parabola over every size,
        // whose pairs-bootstrap percentile intervals run a little narrow with 15 points
        assertTrue(rate >= 0.8 && rate <= 0.97, "90% intervals covered a in " + rate + " of simulations");
    }

    @Test
    void approach3IntervalsCoverThePlantedExponent() {
        ParametricLaw law = Planted.CHINCHILLA;
        StartGrid small = new StartGrid(new double[] {0.3, 1}, new double[] {0.3, 1}, new double[] {0, 1},
                new double[] {5, 15}, new double[] {5, 15});
        ParametricFit pf = ParametricFit.chinchilla().withGrid(small).withExtraRefitStarts(1);
        int sims = 40;
        int coveredA = 0;
        for (int s = 0; s < sims; s++) {
            RunTable t = Planted.isoFlop(law, Planted.budgets(1e18, 4, 5), 7, 1.5, 0.005, 100 + s);
            ParametricResult r = pf.bootstrap(t, pf.fit(t), new Bootstrap(100, s, 0.9));
            double[] ci = r.ci().get("a");
            if (ci[0] <= law.a() && law.a() <= ci[1]) {
                coveredA++;
            }
        }
        double rate = coveredA / (double) sims; // 0.925 with these seeds
        assertTrue(rate >= 0.75, "90% intervals covered a in " + rate + " of simulations");
    }
}
