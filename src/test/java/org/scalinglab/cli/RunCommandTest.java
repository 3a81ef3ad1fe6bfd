package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.fit.Planted;
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

    /** The fit and validate steps print and write what the commands they name would. */
    @Test
    void analysisStepsDoWhatTheirCommandsDo() throws IOException {
        Path sweep = dir.resolve("planted");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 2);
        TrainConfig t = train();
        StringWriter direct = new StringWriter();
        PrintWriter o = new PrintWriter(direct);
        RunCommand.AnalysisSteps.fit(sweep, t, o);
        RunCommand.AnalysisSteps.validate(sweep, t, o);
        o.flush();

        Path cli = Files.createDirectories(dir.resolve("cli"));
        StringWriter viaCli = new StringWriter();
        StringWriter err = new StringWriter();
        for (String[] command : RunCommand.AnalysisSteps.commands(sweep, t)) {
            String[] args = command.clone();
            assertEquals("--out", args[4]);
            args[5] = cli.resolve(Path.of(args[5]).getFileName()).toString();
            assertEquals(0, ScalingLab.run(new PrintWriter(viaCli), new PrintWriter(err), args), err.toString());
        }
        assertEquals(viaCli.toString().replace(cli.toString(), sweep.toString()), direct.toString());
        for (String file : List.of("fits.json", "validation.json")) {
            JsonNode a = Json.readTree(sweep.resolve(file));
            JsonNode b = Json.readTree(cli.resolve(file));
            for (String clock : List.of("created_at", "seconds")) { // when, and how long each fit took
                ((ObjectNode) a).remove(clock);
                ((ObjectNode) b).remove(clock);
            }
            List<String> differ = new java.util.ArrayList<>();
            b.fieldNames().forEachRemaining(k -> {
                if (!b.get(k).equals(a.get(k))) {
                    differ.add(k);
                }
            });
            assertEquals(List.of(), differ, file);
            assertEquals(b, a, file);
        }
    }

    @Test
    void statusOfASweepNotYetRun() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, ""));
        SweepFixtures.Cli status = SweepFixtures.cli("sweep", cfg.toString(), "--status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("nothing in"), status.out());
    }
}
