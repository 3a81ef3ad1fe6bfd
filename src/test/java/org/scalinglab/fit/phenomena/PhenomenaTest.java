package org.scalinglab.fit.phenomena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.uncertainty.ValidationReport;

/** The phenomena fits on run records planted from known laws (no training). */
class PhenomenaTest {
    static final ParametricLaw LAW = new ParametricLaw(1.2, 30, 60, 0.35, 0.3);
    /** Planted: accuracy = 0.55 sigmoid(-6 (L - 2.3)) + 0.05. */
    static final MetricSigmoid.Law ACC = new MetricSigmoid.Law(0.55, -6, 2.3, 0.05, 0, 0);
    static final double B_STAR = 4e4;
    static final double ALPHA_B = 0.3;

    /**
     * A grid: sizes log-spaced from 1e3 to 1e5 (the smallest four 1-layer) at three token counts, each run
     * evaluated at 12 log-spaced points, with accuracy, exact match and noise scale rows from the planted laws.
     */
    static List<RunMetrics> grid(long seed, double metricNoise) {
        Random r = new Random(seed);
        List<RunMetrics> runs = new ArrayList<>();
        int sizes = 9;
        for (double dFinal : new double[] {2e6, 6e6, 1.8e7}) {
            for (int i = 0; i < sizes; i++) {
                double n = 1e3 * Math.pow(100, i / (double) (sizes - 1));
                List<RunMetrics.Eval> evals = new ArrayList<>();
                List<RunMetrics.Noise> noise = new ArrayList<>();
                for (int k = 1; k <= 12; k++) {
                    double d = dFinal * Math.pow(0.01, 1 - k / 12.0);
                    double loss = LAW.loss(n, d) * Math.exp(0.002 * r.nextGaussian());
                    Map<String, double[]> m = new LinkedHashMap<>();
                    double acc = ACC.at(loss) + metricNoise * r.nextGaussian();
                    m.put("val_acc", new double[] {acc, metricNoise});
                    m.put("val_em_16", new double[] {Math.pow(acc, 6), 0.001});
                    evals.add(new RunMetrics.Eval(k * 100L, d, 6 * n * d, loss, m));
                    noise.add(new RunMetrics.Noise(k * 100L, d, loss, B_STAR * Math.pow(loss, -1 / ALPHA_B)
                            * Math.exp(0.05 * r.nextGaussian())));
                }
                runs.add(new RunMetrics("g" + runs.size(), "runs/g" + runs.size(), n, dFinal, 6 * n * dFinal,
                        Double.NaN, i < 4 ? 1 : 2, 1024, 1200, evals.get(11).loss(), evals, noise));
            }
        }
        return runs;
    }

    static Phenomena phenomena(int bootstrap) {
        return new Phenomena(bootstrap, 7, 0.95, ParamConvention.TOTAL, FlopConvention.CHINCHILLA);
    }

    @Test
    void theCriticalBatchLawIsRecoveredWithAnIntervalAroundIt() {
        Phenomena.Report r = phenomena(100).run(grid(1, 0.002), null);
        Phenomena.CriticalBatch cb = r.criticalBatch();
        assertNull(cb.reason());
        assertEquals(27, cb.runs());
        assertEquals(ALPHA_B, cb.alphaB(), 0.02);
        assertEquals(B_STAR, cb.bStar(), 0.15 * B_STAR);
        List<Double> ci = cb.ci().get("alpha_B");
        assertTrue(ci.get(0) <= ALPHA_B && ALPHA_B <= ci.get(1), "interval " + ci);
        assertEquals(1 - Math.pow(2, -ALPHA_B), cb.lossDropPerDoubling(), 0.02);
        Phenomena.RunNoise run = cb.perRun().get(0);
        assertEquals(1024 / cb.at(run.finalLoss()), run.batchOverCritical(), 1e-9);
    }

    @Test
    void theSigmoidOfTheMetricAgainstTheLossPredictsTheHeldOutBudget() {
        Phenomena.Report r = phenomena(50).run(grid(2, 0.003), null);
        Phenomena.MetricFit acc = r.metric("val_acc");
        assertNotNull(acc.sigmoid());
        assertEquals(ACC.l0(), acc.sigmoid().l0(), 0.05);
        assertEquals(ACC.a(), acc.sigmoid().a(), 0.05);
        assertEquals(0.003, acc.sigmoid().rms(), 0.001, "residuals at the planted noise");
        Phenomena.Holdout h = acc.holdout();
        assertNotNull(h);
        assertEquals(1.8e7, h.budget(), 1, "the grid's largest token count is held out");
        assertEquals(18, h.trainRuns());
        assertEquals(9, h.runs().size());
        assertTrue(h.meanAbsErrorFromLoss() < 0.006, "predicted from the measured loss: " + h.meanAbsErrorFromLoss());
        assertTrue(h.withinTwoSe() >= 7, h.withinTwoSe() + " of 9 within 2 standard errors");
        assertNull(h.meanAbsErrorFromForecast(), "no validation given");
        assertTrue(r.metric(Phenomena.LOSS).sigmoid() == null, "the loss is not a function of itself");
        assertNotNull(r.emergence() == null ? "" : r.emergence());
    }

    @Test
    void aForecastLossBecomesAForecastMetric() {
        List<RunMetrics> runs = grid(3, 0.003);
        List<ValidationReport.RunError> forecasts = new ArrayList<>();
        for (RunMetrics m : runs) {
            if (m.tokens() > 1e7) { // a forecast 1 % above the measured loss, with a band of +-2 %
                double f = 1.01 * m.finalLoss();
                forecasts.add(new ValidationReport.RunError(m.id(), m.params(), m.tokens(), m.flops(), m.finalLoss(), f,
                        0.98 * f, 1.02 * f, 0, 0, true));
            }
        }
        ValidationReport v = new ValidationReport(ValidationReport.SCHEMA, null, "3", "top-budget", 0.95, null, null,
                null, forecasts, List.of(), null, null, null, null);
        Phenomena.Holdout h = phenomena(0).run(runs, v).metric("val_acc").holdout();
        for (Phenomena.HoldoutRun run : h.runs()) {
            assertEquals(h.law().at(1.01 * run.loss()), run.fromForecast(), 1e-12);
            assertTrue(run.forecastLow() < run.fromForecast() && run.fromForecast() < run.forecastHigh());
        }
        assertNotNull(h.meanAbsErrorFromForecast());
    }

    @Test
    void aBreakPlantedInLossAgainstNIsFoundAndPlacedInsideItsInterval() {
        BrokenPowerLaw.Law planted = BrokenPowerLawTest.PLANTED; // break at N = 3e5
        Random r = new Random(4);
        List<RunMetrics> runs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            double n = Math.pow(10, 3 + 5.0 * i / 15);
            double loss = planted.at(n) * Math.exp(0.003 * r.nextGaussian());
            List<RunMetrics.Eval> e = List.of(new RunMetrics.Eval(100, 1e7, 6 * n * 1e7, loss, Map.of()));
            runs.add(new RunMetrics("b" + i, "runs/b" + i, n, 1e7, 6 * n * 1e7, Double.NaN, n < 3e5 ? 1 : 2, 1024, 100,
                    loss, e, List.of()));
        }
        Phenomena.Report rep = phenomena(60).run(runs, null);
        Phenomena.Curve c = rep.broken().stream().filter(x -> x.kind().equals("budget")).findFirst().orElseThrow();
        assertEquals(16, c.n());
        assertTrue(c.brokenWins(), "held out: broken " + c.brokenError() + ", plain " + c.plainError());
        assertEquals(Math.log10(3e5), Math.log10(c.breakAt()), 0.3);
        List<Double> ci = c.brokenCi().get("d");
        assertTrue(ci.get(0) <= 3e5 && 3e5 <= ci.get(1), "interval of the break " + ci);
        assertTrue(c.note().contains("inside the data"), c.note());
        assertTrue(rep.criticalBatch().reason().contains("grad_accum"), rep.criticalBatch().reason());
    }

    @Test
    void oneLayerRunsOffTheTrendOfDeeperOnesAreMeasuredAsSuch() {
        // deeper runs on a plain law; 1-layer runs 3 % above it, as Kaplan et al. saw them off the trend
        BrokenPowerLaw.Law law = new BrokenPowerLaw.Law(1.5, 30, 0.3, 0, Double.NaN, Double.NaN, false);
        Random r = new Random(6);
        int k = 12;
        double[] x = new double[k];
        double[] y = new double[k];
        int[] layers = new int[k];
        for (int i = 0; i < k; i++) {
            x[i] = Math.pow(10, 3 + 2.0 * i / (k - 1));
            layers[i] = i % 3 == 0 ? 1 : 2;
            y[i] = law.at(x[i]) * (layers[i] == 1 ? 1.03 : 1) * Math.exp(0.002 * r.nextGaussian());
        }
        Phenomena.OneLayer o = BrokenLawComparisons.oneLayer(x, y, layers);
        assertEquals(4, o.oneLayerRuns());
        assertEquals(8, o.deeperRuns());
        assertEquals(Math.log(1.03), o.meanLogResidual(), 0.004);
        assertTrue(o.deepRms() < 0.004, "the deeper runs lie on their law: " + o.deepRms());
        assertNull(BrokenLawComparisons.oneLayer(x, y, new int[k]), "no layer counts, no comparison");
    }

    @Test
    void theFrontierKeepsOnlyPointsThatBeatAllCheaperOnes() {
        List<double[]> pts = List.of(new double[] {1, 0.2}, new double[] {2, 0.1}, new double[] {3, 0.3},
                new double[] {3, 0.25}, new double[] {4, 0.4});
        List<double[]> up = MetricFits.frontier(pts, true);
        assertEquals(3, up.size());
        assertEquals(0.3, up.get(1)[1], 0, "of two points at one compute the better one");
        List<double[]> down = MetricFits.frontier(pts, false);
        assertEquals(2, down.size());
        // a frontier rising by 0.1 in its first three quarters of ln C and 0.3 in the last: 75 % late
        List<double[]> late = List.of(new double[] {1, 0}, new double[] {Math.exp(3), 0.1}, new double[] {Math.exp(4), 0.4});
        assertEquals(0.75, MetricFits.lateShare(late), 1e-12);
    }
}
