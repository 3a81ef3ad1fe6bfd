package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.SweepFixtures;

/** {@code scalinglab run}: plan, sweep, then the analysis steps (fit, validate, report) in order. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void runPlansSweepsThenHandsTheFolderToTheAnalysisSteps() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, ""));
        SweepFixtures.Cli r = SweepFixtures.cli("run", cfg.toString(), "--no-probe");
        String out = r.out();
        assertTrue(out.indexOf("== plan") < out.indexOf("== sweep") && out.indexOf("== sweep") < out.indexOf("== fit"),
                out);
        assertTrue(out.contains("sweep tiny: 2 runs, 0 finished, 2 to train"), out);
        assertTrue(out.contains("2 runs: 2 completed"), out);
        Path sweep = dir.resolve("results/tiny");
        assertEquals(3, Files.readAllLines(sweep.resolve("runs.csv")).size());

        // two runs of one budget cannot be validated: run says so, writes the report anyway, exits 9
        for (String step : List.of("fit", "validate", "report")) {
            assertTrue(out.contains("== " + step), out);
        }
        assertTrue(r.err().contains("'scalinglab validate"), r.err());
        assertEquals(9, r.code(), r.all());
        assertTrue(Files.isRegularFile(sweep.resolve("report/index.html")), r.all());

        SweepFixtures.Cli status = SweepFixtures.cli("sweep", cfg.toString(), "--status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("2 runs: 2 completed"), status.out());
    }

    /** The default conventions: N total, C Chinchilla's. */
    private static TrainConfig train() {
        return ConfigLoader.resolve(Json.mapper().createObjectNode().set("train",
                Json.mapper().createObjectNode().put("steps", 1)), List.of()).train();
    }

    @Test
    void analysisStepsFitEveryApproachValidateOnTheTopBudgetAndReport() {
        List<String[]> steps = RunCommand.AnalysisSteps.commands(Path.of("results/q"), train());
        assertEquals(List.of("fit", "results/q", "--approach", "all", "--out", "results/q/fits.json",
                "--param-convention", "total", "--flop-convention", "chinchilla"), List.of(steps.get(0)));
        assertEquals(List.of("validate", "results/q", "--holdout", "top-budget", "--out", "results/q/validation.json",
                "--param-convention", "total", "--flop-convention", "chinchilla"), List.of(steps.get(1)));
        TrainConfig a4 = ConfigLoader.resolve(Json.mapper().createObjectNode().set("train", Json.mapper()
                .createObjectNode().put("steps", 1).put("flops_convention", "chinchilla_a4")), List.of()).train();
        assertEquals("chinchilla-a4", RunCommand.AnalysisSteps.commands(Path.of("results/q"), a4).get(0)[9],
                "the YAML spelling becomes the command line's");
        assertEquals(List.of("report", "results/q"), List.of(RunCommand.AnalysisSteps.report(Path.of("results/q"))),
                "without a fits.json the report fits what it can itself");
    }

    @Test
    void statusOfASweepNotYetRun() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, ""));
        SweepFixtures.Cli status = SweepFixtures.cli("sweep", cfg.toString(), "--status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("nothing in"), status.out());
    }
}
