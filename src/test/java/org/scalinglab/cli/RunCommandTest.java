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
import picocli.CommandLine;

/**
 * {@code scalinglab run} up to the sweep, then the analysis steps: each either runs (the fit and
 * report commands of a full build) or is skipped with a notice where this build lacks it.
 */
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

        // run's exit code is the first failing analysis step's, each step skipped where this build lacks it
        var commands = new CommandLine(new ScalingLab()).getSubcommands().keySet();
        int expected = 0;
        for (String[] step : RunCommand.AnalysisSteps.commands(sweep, train())) {
            if (!commands.contains(step[0])) {
                assertTrue(out.contains("== " + step[0] + "\nskipped: this build has no '" + step[0] + "' command yet"),
                        out);
                continue;
            }
            int code = SweepFixtures.cli(step).code();
            if (code != 0) {
                expected = code;
                break;
            }
        }
        assertEquals(expected, r.code(), r.all());

        SweepFixtures.Cli status = SweepFixtures.cli("sweep", cfg.toString(), "--status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("2 runs: 2 completed"), status.out());
    }

    /** The default conventions: N non-embedding, C Chinchilla's. */
    private static TrainConfig train() {
        return ConfigLoader.resolve(Json.mapper().createObjectNode().set("train",
                Json.mapper().createObjectNode().put("steps", 1)), List.of()).train();
    }

    @Test
    void analysisStepsFitEveryApproachValidateOnTheTopBudgetAndReport() {
        List<String[]> steps = RunCommand.AnalysisSteps.commands(Path.of("results/q"), train());
        assertEquals(List.of("fit", "results/q", "--approach", "all", "--out", "results/q/fits.json",
                "--param-convention", "non-embedding", "--flop-convention", "chinchilla"), List.of(steps.get(0)));
        assertEquals(List.of("validate", "results/q", "--holdout", "top-budget", "--param-convention", "non-embedding",
                "--flop-convention", "chinchilla"), List.of(steps.get(1)));
        assertEquals(List.of("report", "results/q", "--fit", "results/q/fits.json"), List.of(steps.get(2)));
    }

    @Test
    void statusOfASweepNotYetRun() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, ""));
        SweepFixtures.Cli status = SweepFixtures.cli("sweep", cfg.toString(), "--status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("nothing in"), status.out());
    }
}
