package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.SweepFixtures;

/**
 * A whole study on a tiny sweep: learning-rate tuning, the design trained at the tuned rule, the fit of
 * the design alone, the check budget beyond it trained after the fit and compared with it, the report.
 */
class StudyRunTest {
    @TempDir
    Path dir;

    static String study(Path results) {
        return """
                name: study
                results_dir: %s
                base:
                  device: cpu
                  data: {source: embedded}
                  model: {context: 16}
                  train: {batch_size: 8, log_every: 50, eval_every: 200, eval_batches: 2, final_eval_batches: 16,
                          checkpoint_every: 0}
                ladder: {rule: {depths: [2, 3, 4, 5, 6], width_per_layer: 4, head_dim: 4}}
                design: {kind: isoflop, budgets: [4e9, 8e9, 1.6e10], sizes_per_budget: 3, spread: 2,
                         optimum_tokens_per_param: 20, min_steps: 0, min_tokens_per_param: 0}
                tune: {lrs: [0.005, 0.01, 0.02, 0.04], sizes_per_budget: 2}
                check: {compute_factor: 2, sizes: 3}
                executor: {devices: cpu, runs_per_device: 2, threads_per_run: 1}
                """.formatted(results);
    }

    @Test
    void tuneDesignFitCheckReport() throws IOException {
        Path cfg = SweepFixtures.write(dir, "study.yaml", study(dir.resolve("results")));
        SweepFixtures.Cli r = SweepFixtures.cli("run", cfg.toString(), "--no-probe");
        String out = r.out();
        Path s = dir.resolve("results/study");
        assertTrue(out.indexOf("-- tune") < out.indexOf("-- design") && out.indexOf("-- design") < out.indexOf("== fit")
                && out.indexOf("== fit") < out.indexOf("== check") && out.indexOf("== check") < out.indexOf("== report"),
                out);

        // the rule, and every design run trained at its value for the run's N
        JsonNode tuning = Json.readTree(s.resolve("tuning.json"));
        double c = tuning.path("rule").path("coefficient").asDouble();
        double p = tuning.path("rule").path("exponent").asDouble();
        assertEquals(8, Files.readAllLines(s.resolve("tune/runs.csv")).size() - 1);
        JsonNode sweep = Json.readTree(s.resolve("sweep.json"));
        assertEquals(9, sweep.path("runs").size());
        for (JsonNode run : sweep.path("runs")) {
            JsonNode result = Json.readTree(s.resolve("runs").resolve(run.path("id").asText()).resolve("run.json"));
            double n = result.path("derived").path("params").path("total").asDouble();
            double lr = result.path("config").path("train").path("optimizer").path("lr").asDouble();
            assertEquals(c * Math.pow(n, p), lr, 1e-3 * lr, "lr of " + run.path("label").asText());
        }

        // the fit read the design alone: tune and check runs are sweeps of their own
        JsonNode fits = Json.readTree(s.resolve("fits.json"));
        assertEquals(9, fits.path("inputs").path("points_used").asInt());
        assertTrue(fits.path("flops_per_token").path("source").asText().contains("shape family"));

        // the check: three sizes at twice the largest budget, each compared with the fit
        // the check has its own file, whether or not the holdout validation could fit
        JsonNode check = Json.readTree(s.resolve("check.json"));
        assertEquals(3.2e10, check.path("budget").asDouble(), 1);
        assertEquals(3, check.path("runs").size());
        for (JsonNode run : check.path("runs")) {
            JsonNode p3 = run.path("predicted").path("approach3");
            assertTrue(p3.path("low").asDouble() <= p3.path("predicted").asDouble()
                    && p3.path("predicted").asDouble() <= p3.path("high").asDouble(), run.toString());
        }
        assertEquals(3, check.path("summary").path("approach3").path("n").asInt());
        assertTrue(check.path("compute_optimal").has("approach3"));
        assertTrue(out.contains("check at C = 3.2e10"), out);

        // the report draws both stages
        for (String f : new String[] {"8a-lr-tuning.png", "8b-lr-rule.png", "9a-check-predictions.png",
                "9b-check-profile.png"}) {
            assertTrue(Files.isRegularFile(s.resolve("report/figures").resolve(f)), f + "\n" + r.all());
        }
        assertTrue(r.code() == 0 || r.code() == 9, r.all());
    }
}
