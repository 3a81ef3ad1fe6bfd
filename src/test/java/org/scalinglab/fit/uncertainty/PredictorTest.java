package org.scalinglab.fit.uncertainty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.run.FitRunner;
import org.scalinglab.io.Json;

/** Predictions from a fit report, and fits.json's shape and round trip. */
class PredictorTest {
    static final StartGrid SMALL = new StartGrid(new double[] {0.5, 1}, new double[] {0.5, 1}, new double[] {0, 1},
            new double[] {0, 10}, new double[] {0, 10});
    static FitReport report;

    @BeforeAll
    static void fit() {
        RunTable t = Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 5), 7, 1.5, 0.003, 3);
        FitSettings s = FitSettings.defaults().withBootstrap(40);
        report = new FitRunner(s).withParametricFit(ParametricFit.chinchilla().withGrid(SMALL)).run(t);
    }

    static Map<String, Prediction> byApproach(List<Prediction> ps) {
        return ps.stream().collect(Collectors.toMap(Prediction::approach, Function.identity()));
    }

    @Test
    void approachesThatCannotFitAreRecordedNotFatal() {
        assertTrue(report.notFitted().containsKey("approach1"), "no curves in a planted table");
        assertTrue(report.approach2() != null && report.approach3() != null && report.kaplan() != null);
        assertArrayEquals(SMALL.alpha(), report.settings().grid().get("alpha"), "settings record the grid used");
    }

    @Test
    void computeOptimalPredictionsFollowTheClosedFormWithIntervals() {
        double c = 1e23;
        Map<String, Prediction> p = byApproach(new Predictor(report).atCompute(c));
        Prediction p3 = p.get("approach3");
        ParametricLaw law = report.approach3().law();
        assertEquals(law.optimalParams(c), p3.nOpt(), 1e-6 * p3.nOpt(), "a planted table knows no shapes: C = 6ND");
        assertEquals(c, 6 * p3.nOpt() * p3.dOpt(), 1e-9 * c, "C = 6ND");
        assertEquals(law.loss(p3.nOpt(), p3.dOpt()), p3.loss(), 1e-12);
        for (String k : List.of("N_opt", "D_opt", "tokens_per_param", "loss")) {
            double[] ci = p3.ci().get(k);
            assertTrue(ci[0] <= ci[1], k);
        }
        double[] lossCi = p3.ci().get("loss");
        assertTrue(lossCi[0] < p3.loss() && p3.loss() < lossCi[1]);
        assertTrue(p3.note().contains("extrapolates"), p3.note());
        Prediction p2 = p.get("approach2");
        assertEquals(Planted.CHINCHILLA.optimalParams(c), p2.nOpt(), 0.5 * p2.nOpt());
        assertTrue(p2.ci().get("N_opt")[0] < p2.nOpt() && p2.nOpt() < p2.ci().get("N_opt")[1]);
        assertTrue(p.containsKey("kaplan"));
    }

    @Test
    void lossAtAGivenSize() {
        Map<String, Prediction> p = byApproach(new Predictor(report).atSize(1e9, 2e10));
        assertEquals(report.approach3().law().loss(1e9, 2e10), p.get("approach3").loss(), 1e-12);
        assertEquals(6 * 1e9 * 2e10, p.get("approach3").flops(), 1e-12 * 6 * 1e9 * 2e10);
        assertNull(p.get("approach2").loss(), "approach 2 does not model L(N, D)");
    }

    @Test
    void fitsJsonHasTheDocumentedShape() {
        JsonNode j = Json.mapper().valueToTree(report);
        assertEquals(FitReport.SCHEMA, j.get("schema").asText());
        for (String k : List.of("E", "A", "B", "alpha", "beta", "a", "b", "objective", "n_points", "ci", "diagnostics",
            "residuals", "bootstrap")) {
            assertTrue(j.get("approach3").has(k), "approach3." + k);
        }
        assertEquals(2, j.get("approach3").get("ci").get("E").size());
        assertTrue(j.get("approach3").get("diagnostics").has("starts_converged"));
        JsonNode budget = j.get("approach2").get("budgets").get(0);
        for (String k : List.of("C", "N_opt", "D_opt", "loss_opt", "edge", "parabola_N", "points")) {
            assertTrue(budget.has(k), "approach2.budgets[0]." + k);
        }
        assertTrue(j.get("approach2").has("a") && j.get("approach2").has("b"));
        assertTrue(j.get("kaplan").has("alpha_N") && j.get("kaplan").get("joint").has("N_c"));
        assertTrue(j.get("inputs").has("points_used") && j.get("settings").has("seed"));
        assertTrue(j.has("created_at"));
    }

    @Test
    void fitsJsonRoundTripsAndPredictsTheSame(@TempDir Path tmp) {
        Path f = tmp.resolve("fits.json");
        FitsJson.write(f, report);
        FitReport back = FitsJson.read(f);
        assertEquals(report.approach3().objective(), back.approach3().objective());
        assertArrayEquals(report.approach3().ci().get("alpha"), back.approach3().ci().get("alpha"));
        assertEquals(report.approach2().budgets().size(), back.approach2().budgets().size());
        Prediction a = byApproach(new Predictor(report).atCompute(1e22)).get("approach3");
        Prediction b = byApproach(new Predictor(back).atCompute(1e22)).get("approach3");
        assertEquals(a.nOpt(), b.nOpt());
        assertArrayEquals(a.ci().get("loss"), b.ci().get("loss"));
        Prediction k1 = byApproach(new Predictor(report).atCompute(1e22)).get("kaplan");
        Prediction k2 = byApproach(new Predictor(back).atCompute(1e22)).get("kaplan");
        assertArrayEquals(k1.ci().get("N_opt"), k2.ci().get("N_opt"));
    }
}
