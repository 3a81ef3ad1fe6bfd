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
import org.scalinglab.study.Analysis;
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
        // one line per error: the step's message carries the command that reruns it (issue 24)
        r.err().lines().forEach(l -> assertTrue(l.startsWith("scalinglab: error: "), r.err()));
        assertEquals(r.err().lines().count(), r.err().lines().distinct().count(), r.err());
        assertTrue(r.err().lines().filter(l -> l.contains("'scalinglab validate")).allMatch(l -> l.contains("only ")),
                "the validate step's error and its command are one line: " + r.err());
        assertTrue(Files.isRegularFile(sweep.resolve("report/index.html")), r.all());

        SweepFixtures.Cli status = SweepFixtures.cli("sweep", cfg.toString(), "--status");
        assertEquals(0, status.code(), status.all());
        assertTrue(status.out().contains("2 runs: 2 completed"), status.out());
        JsonNode sj = Json.mapper().readTree(SweepFixtures.cli("sweep", cfg.toString(), "--status", "--json").out());
        assertEquals("scalinglab.sweep-status/1", sj.get("schema").asText());
        assertEquals(2, sj.get("runs").size());
        assertEquals(2, sj.get("counts").get("completed").asInt());
        assertTrue(sj.get("runs").get(0).get("final_val_loss").isNumber(), sj.toString());
        assertEquals(2, SweepFixtures.cli("sweep", cfg.toString(), "--json").code(), "--json goes with --status");
        assertTrue(Files.isRegularFile(sweep.resolve("metrics.csv")), "the sweep's long-format curves");

        // run --json: the steps' text on stderr, the summary alone on stdout (the runs are done: it resumes)
        SweepFixtures.Cli again = SweepFixtures.cli("run", cfg.toString(), "--no-probe", "--json");
        JsonNode j = Json.mapper().readTree(again.out());
        assertEquals("scalinglab.run-summary/1", j.get("schema").asText());
        assertEquals(9, j.get("exit_code").asInt());
        assertEquals(9, again.code());
        assertTrue(j.get("files").get("runs.csv").isTextual(), j.toString());
        assertTrue(j.get("files").get("validation.json").isNull(), "two runs of one budget cannot be validated");
        assertTrue(again.err().contains("== fit"), again.err());
    }

    /** The default conventions: N total, C Chinchilla's. */
    private static TrainConfig train() {
        return ConfigLoader.resolve(Json.mapper().createObjectNode().set("train",
                Json.mapper().createObjectNode().put("steps", 1)), List.of()).train();
    }

    @Test
    void analysisStepsFitEveryApproachValidateOnTheTopBudgetAndReport() {
        List<String[]> steps = Analysis.of(Path.of("results/q"), train()).commands();
        assertEquals(List.of("fit", "results/q", "--approach", "all", "--out", "results/q/fits.json",
                "--param-convention", "total", "--flop-convention", "chinchilla"), List.of(steps.get(0)));
        assertEquals(List.of("validate", "results/q", "--holdout", "top-budget", "--out", "results/q/validation.json",
                "--param-convention", "total", "--flop-convention", "chinchilla"), List.of(steps.get(1)));
        TrainConfig a4 = ConfigLoader.resolve(Json.mapper().createObjectNode().set("train", Json.mapper()
                .createObjectNode().put("steps", 1).put("flops_convention", "chinchilla_a4")), List.of()).train();
        assertEquals("chinchilla-a4", Analysis.of(Path.of("results/q"), a4).commands().get(0)[9],
                "the YAML spelling becomes the command line's");
        assertEquals(List.of("report", "results/q"), List.of(Analysis.of(Path.of("results/q"), train()).reportCommand()),
                "without a fits.json the report fits what it can itself");
    }

    /** The fit, validate and phenomena steps print and write what the commands they name would. */
    @Test
    void analysisStepsDoWhatTheirCommandsDo() throws IOException {
        Path sweep = dir.resolve("planted");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 2);
        TrainConfig t = train();
        StringWriter direct = new StringWriter();
        PrintWriter o = new PrintWriter(direct);
        Analysis analysis = Analysis.of(sweep, t);
        analysis.fit(o);
        analysis.validate(o);
        analysis.phenomena(o);
        o.flush();

        Path cli = Files.createDirectories(dir.resolve("cli"));
        StringWriter viaCli = new StringWriter();
        StringWriter err = new StringWriter();
        for (String[] command : analysis.commands()) {
            String[] args = command.clone();
            int out = List.of(args).indexOf("--out") + 1;
            args[out] = cli.resolve(Path.of(args[out]).getFileName()).toString();
            assertEquals(0, ScalingLab.run(new PrintWriter(viaCli), new PrintWriter(err), args), err.toString());
        }
        assertEquals(viaCli.toString().replace(cli.toString(), sweep.toString()), direct.toString());
        for (String file : List.of("fits.json", "validation.json", "phenomena.json")) {
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

    /**
     * A sweep whose losses follow Kaplan's joint law, which approach 3's form cannot take: approach 3 is
     * not identified. That is a finding of the study, not a failure: the analysis steps fit, validate
     * the recommended law (Kaplan's), and the summary names the law to trust, its held-out error, its
     * prediction at 10x, and approach 3 as not identified; exit 0.
     */
    @Test
    void anUnidentifiedApproach3IsAFindingAndRunExitsZero() throws IOException {
        Path sweep = dir.resolve("kaplan");
        org.scalinglab.fit.approach.KaplanJointLaw law = new org.scalinglab.fit.approach.KaplanJointLaw(0.076, 0.095,
                8.8e13, 5.4e13, Double.NaN, null);
        java.util.Random rng = new java.util.Random(12);
        int i = 0;
        for (double c : Planted.budgets(1e17, 10, 4)) {
            double centre = Math.log10(law.optimalParams(c));
            for (int k = 0; k < 6; k++) {
                double n = Math.pow(10, centre - 1 + 2.0 * k / 5);
                double d = c / (6 * n);
                double loss = law.loss(n, d) * Math.exp(0.002 * rng.nextGaussian());
                Planted.writeRun(sweep.resolve("runs").resolve(String.format(java.util.Locale.ROOT, "r%03d", i++)),
                        new org.scalinglab.fit.input.RunPoint("r" + i, n, d, c, loss, c, null), "completed",
                        Planted.CHINCHILLA);
            }
        }
        TrainConfig t = train();
        StringWriter text = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(text);
        Analysis analysis = Analysis.of(sweep, t);
        analysis.fit(o);
        analysis.validate(o);
        int code = analysis.summary(o, new PrintWriter(err));
        String out = text.toString();
        assertEquals(0, code, out + err);
        String summary = out.substring(out.indexOf("== summary"));
        assertTrue(summary.contains("recommended law: kaplan"), summary);
        assertTrue(summary.contains("held out (top-budget") && summary.contains("kaplan mean |rel error|"), summary);
        assertTrue(summary.contains("at 10x (C = ") && summary.contains("loss "), summary);
        assertTrue(summary.contains("not identified by these data") && summary.contains("approach3 ("), summary);
        assertEquals("kaplan", Json.readTree(sweep.resolve("validation.json")).path("approach").asText(),
                "the recommended law is the one validated");
        JsonNode j = Json.mapper().valueToTree(analysis.summaryJson(code));
        assertEquals("kaplan", j.get("recommended").asText());
        assertEquals("kaplan", j.get("held_out").get("approach").asText());
        assertTrue(j.get("held_out").get("mean_abs_rel_error").asDouble() >= 0, j.toString());
        assertTrue(j.get("lines").get(0).asText().startsWith("recommended law: kaplan"), j.toString());
    }
}
