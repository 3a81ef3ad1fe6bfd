package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.engine.PeakFlops;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunPoint;

class ForecastCommandTest {
    @TempDir
    static Path tmp;
    static String fits;

    /** A fit of a planted Chinchilla-like law from a CSV (approaches 3, 2 and Kaplan's; no curves for 1). */
    @BeforeAll
    static void fit() throws IOException {
        fits = FitCli.plantedFits(tmp);
    }

    @Test
    void aFitGivesThePlanWithIntervals() {
        JsonNode j = FitCli.run("forecast", "--fit", fits, "--compute", "1e22", "--json").json();
        assertEquals("scalinglab.forecast/1", j.get("schema").asText());
        assertEquals("approach3", j.get("law").get("name").asText());
        assertTrue(j.get("law").get("description").asText().contains("(the fit's recommended law)"),
                "by default the fit's recommended law: " + j.get("law").get("description"));
        assertEquals(20, j.get("law").get("bootstrap_samples").asInt());
        double n = j.get("N").asDouble();
        double d = j.get("D").asDouble();
        assertEquals(1e22, 6 * n * d, 1e22 * 1e-9, "a CSV without shapes counts C = 6ND");
        assertEquals(d / n, j.get("tokens_per_param").asDouble(), 1e-9 * d / n);
        JsonNode ci = j.get("loss_ci");
        assertEquals(2, ci.size());
        assertTrue(ci.get(0).asDouble() <= j.get("loss").asDouble() && j.get("loss").asDouble() <= ci.get(1).asDouble(),
                j.toString());
        assertTrue(j.get("ci").get("N").get(0).asDouble() < j.get("ci").get("N").get(1).asDouble());
        assertEquals(1e22 / j.get("max_fitted_flops").asDouble(), j.get("extrapolation").asDouble(), 1e-6);
        assertTrue(j.get("notes").get(0).asText().startsWith("warning: "), "past 100x: " + j.get("notes"));
        // the inputs are echoed, and every field docs/forecast.md names is there
        assertEquals(fits, j.get("inputs").get("fit").asText());
        assertEquals(1e22, j.get("inputs").get("compute").asDouble(), 0);
        for (String k : new String[] {"flops_6nd", "gpu_hours", "wall_days", "memory_gib_per_gpu", "fits_gpu", "shape",
            "extrapolation", "notes", "hardware", "memory"}) {
            assertTrue(j.has(k), k);
        }
        for (String k : new String[] {"layers", "d_model", "heads"}) {
            assertTrue(j.get("shape").get(k).asInt() > 0, k);
        }
        assertFalse(j.has("cost"), "no --price, no cost");
    }

    @Test
    void otherApproachesAndWhatTheyCannotDo() {
        assertEquals("approach3", FitCli.run("forecast", "--fit", fits, "--approach", "recommended", "--compute", "1e20",
                "--json").json().get("law").get("name").asText());
        JsonNode a2 = FitCli.run("forecast", "--fit", fits, "--approach", "2", "--compute", "1e20", "--json").json();
        assertEquals("approach2", a2.get("law").get("name").asText());
        assertTrue(a2.get("loss").asDouble() > 0);
        JsonNode k = FitCli.run("forecast", "--fit", fits, "--approach", "kaplan", "--target-loss", "2.5", "--json")
                .json();
        assertEquals(2.5, k.get("loss").asDouble(), 1e-6);
        FitCli.run("forecast", "--fit", fits, "--approach", "2", "--params", "1e9", "--tokens", "1e10")
                .fails(ExitCode.USAGE, "--params needs L(N, D)");
        FitCli.run("forecast", "--fit", fits, "--approach", "2", "--compute", "1e20", "--inference-tokens", "1e12")
                .fails(ExitCode.USAGE, "--inference-tokens needs L(N, D)");
        FitCli.run("forecast", "--fit", fits, "--approach", "1", "--compute", "1e20")
                .fails(ExitCode.USAGE, "the fit has no approach1");
    }

    @Test
    void anEightBillionModelOnFifteenTrillionTokens() {
        FitCli r = FitCli.run("forecast", "--law", "epoch-2024", "--params", "8e9", "--tokens", "15e12",
                "--inference-tokens", "1e13", "--gpus", "512", "--gpu", "h200", "--price", "3").ok();
        assertTrue(r.out().contains("over-training:"), r.out());
        assertTrue(r.out().contains("compute-optimal, same loss"), r.out());
        assertTrue(r.out().contains("inference-optimal"), r.out());
        assertTrue(r.out().contains("NVIDIA H200"), r.out());
        JsonNode j = FitCli.run("forecast", "--law", "epoch-2024", "--params", "8e9", "--tokens", "15e12", "--gpus",
                "512", "--gpu", "h200", "--price", "3", "--json").json();
        assertEquals(7.2e23, j.get("flops_6nd").asDouble(), 1e12);
        assertTrue(j.get("over_training").get("overhead").asDouble() > 1);
        assertEquals(3 * j.get("gpu_hours").asDouble(), j.get("cost").asDouble(), 1e-6 * j.get("cost").asDouble());
        assertEquals(PeakFlops.find("h200").orElseThrow().peak(PeakFlops.Format.BF16),
                j.get("hardware").get("peak_flops_per_s").asDouble(), 0);
        assertTrue(j.get("fits_gpu").asBoolean(), "sharded over 512 GPUs: " + j.get("memory"));
        assertFalse(j.has("loss_ci"), "a published law has no bootstrap samples");
    }

    @Test
    void gpusForDaysAndRepeatedData() {
        JsonNode j = FitCli.run("forecast", "--law", "hoffmann-2022", "--gpus", "256", "--days", "14", "--mfu", "0.35",
                "--unique-tokens", "2e11", "--json").json();
        assertEquals(14, j.get("wall_days").asDouble(), 1e-6);
        assertEquals(256 * 14 * 24, j.get("gpu_hours").asDouble(), 1e-3);
        JsonNode data = j.get("data");
        assertEquals(j.get("D").asDouble() / 2e11, data.get("epochs").asDouble(), 1e-9);
        assertTrue(data.get("loss_lost_to_repetition").asDouble() > 0);
        assertEquals(0.35, j.get("inputs").get("mfu").asDouble(), 0);
    }

    @Test
    void theMfuThisMachineMeasured() throws IOException {
        Path bench = tmp.resolve("bench.json");
        Files.writeString(bench, """
                {"provenance": {"gpu": "NVIDIA A100-SXM4-80GB"},
                 "rows": [
                  {"shape": "tiny", "precision": "fp16", "processes": 1, "tflops": 20, "mfu": 0.064, "flops_per_token": 1e7},
                  {"shape": "base", "precision": "fp32", "processes": 1, "tflops": 11, "mfu": 0.56, "flops_per_token": 7e8},
                  {"shape": "base", "precision": "fp16", "processes": 1, "tflops": 62, "mfu": 0.2, "flops_per_token": 7e8},
                  {"shape": "base", "precision": "fp16", "processes": 4, "tflops": 90, "mfu": 0.29, "flops_per_token": 7e8}
                 ]}""");
        JsonNode j = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e21", "--mfu-from", bench.toString(),
                "--json").json();
        JsonNode h = j.get("hardware");
        assertEquals("a100-80gb", h.get("gpu").asText(), "the benchmark's GPU");
        assertEquals("fp16", h.get("precision").asText(), "its fastest precision at the largest shape");
        assertEquals(0.2, h.get("mfu").asDouble(), 0);
        assertTrue(h.get("mfu_source").asText().startsWith("measured: "), h.toString());

        // a CPU sweep recorded no MFU: nothing to use
        Path cpu = tmp.resolve("cpu-sweep");
        Planted.writeRun(cpu.resolve("runs/a"), new RunPoint("a", 1e6, 1e8, 6e14, 3, 6e14, null), "completed",
                Planted.CHINCHILLA);
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e21", "--mfu-from", cpu.toString())
                .fails(ExitCode.DATA, "recorded an MFU");
    }

    @Test
    void theSweepsLadderSuggestsTheShape() throws IOException {
        Path sweep = tmp.resolve("sweep");
        Files.createDirectories(sweep);
        Files.writeString(sweep.resolve("sweep.json"), """
                {"name": "s", "runs": [], "shape_family": {"vocab": 256, "context": 128,
                 "rule": {"width_per_layer": 64, "head_dim": 64, "mlp_ratio": 4},
                 "shapes": [{"layers": 2, "d_model": 128, "heads": 2, "mlp_ratio": 4}]}}""");
        JsonNode s = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e21", "--sweep", sweep.toString(),
                "--json").json().get("shape");
        assertEquals(64 * s.get("layers").asInt(), s.get("d_model").asInt());
        assertEquals(128, s.get("context").asInt());
        assertTrue(s.get("rule").asText().startsWith("the sweep's ladder rule"), s.toString());
        JsonNode std = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e21", "--context", "4096", "--json")
                .json().get("shape");
        assertEquals(4096, std.get("context").asInt());
        assertTrue(std.get("rule").asText().startsWith("standard aspect ratio"), std.toString());
    }

    /** fits.json whose inputs say it was fitted on the results folder {@code recorded} (as 'fit' was given it). */
    static Path fitOfSweep(Path where, String recorded) throws IOException {
        Files.createDirectories(where);
        com.fasterxml.jackson.databind.node.ObjectNode j = (com.fasterxml.jackson.databind.node.ObjectNode)
                org.scalinglab.io.Json.readTree(Path.of(fits));
        ((com.fasterxml.jackson.databind.node.ObjectNode) j.get("inputs")).put("kind", "results-dir").put("path", recorded);
        Path out = where.resolve("fits.json");
        Files.writeString(out, org.scalinglab.io.Json.write(j));
        return out;
    }

    static void sweepJson(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("sweep.json"), """
                {"name": "s", "runs": [], "shape_family": {"vocab": 256, "context": 128,
                 "rule": {"width_per_layer": 64, "head_dim": 64, "mlp_ratio": 4},
                 "shapes": [{"layers": 2, "d_model": 128, "heads": 2, "mlp_ratio": 4}]}}""");
    }

    @Test
    void aFitFindsItsSweepFromAnyFolderAndSaysWhenItFallsBack() throws IOException {
        // 'run' wrote results/sw/fits.json after fitting "results/sw" from the project folder
        Path study = tmp.resolve("study");
        sweepJson(study.resolve("results/sw"));
        Path inSweep = fitOfSweep(study.resolve("results/sw"), "results/sw");
        // 'fit results/sw --out fits.json' run in the project folder
        Path beside = fitOfSweep(study, "results/sw");
        for (Path f : new Path[] {inSweep, beside}) {
            JsonNode j = FitCli.run("forecast", "--fit", f.toString(), "--compute", "1e21", "--json").json();
            assertTrue(j.get("shape").get("rule").asText().startsWith("the sweep's ladder rule"), f + ": " + j.get("shape"));
            assertEquals(256, j.get("shape").get("vocab").asInt());
            assertFalse(j.get("notes").toString().contains("falls back"), j.get("notes").toString());
        }
        Path lost = fitOfSweep(tmp.resolve("lost"), "results/gone");
        JsonNode j = FitCli.run("forecast", "--fit", lost.toString(), "--compute", "1e21", "--json").json();
        assertTrue(j.get("shape").get("rule").asText().startsWith("standard aspect ratio"), j.get("shape").toString());
        assertTrue(j.get("notes").toString().contains("falls back to a standard aspect ratio"), j.get("notes").toString());

        JsonNode v = FitCli.run("forecast", "--fit", inSweep.toString(), "--compute", "1e21", "--vocab", "50304",
                "--json").json().get("shape");
        assertEquals(50304, v.get("vocab").asInt());
        assertTrue(v.get("rule").asText().contains("vocabulary 50304 (--vocab)"), v.toString());
    }

    @Test
    void warningsTravelWithTheLaw() {
        JsonNode h = FitCli.run("forecast", "--law", "hoffmann-2022", "--compute", "1e24", "--json").json();
        assertTrue(h.get("notes").get(0).asText().contains("Besiroglu et al. 2024"), h.get("notes").toString());
        JsonNode e = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e24", "--json").json();
        assertFalse(e.get("notes").toString().contains("inconsistent"), e.get("notes").toString());
    }

    @Test
    void goodputCurrencyAndTrainingSettings() {
        JsonNode one = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e23", "--price", "2", "--json").json();
        JsonNode half = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e23", "--price", "2", "--goodput",
                "0.5", "--currency", "EUR", "--json").json();
        assertEquals(2 * one.get("gpu_hours").asDouble(), half.get("gpu_hours").asDouble(), 1e-6 * one.get("gpu_hours").asDouble());
        assertEquals("EUR", half.get("hardware").get("currency").asText());
        assertEquals(0.5, half.get("hardware").get("goodput").asDouble(), 0);
        // a published law: DeepSeek LLM 2024's compute rules, eq. 1
        JsonNode t = one.get("training");
        double c = one.get("compute").asDouble();
        assertEquals(0.2920 * Math.pow(c, 0.3271), t.get("batch_tokens").asDouble(), 1e-6 * t.get("batch_tokens").asDouble());
        assertEquals(0.3118 * Math.pow(c, -0.125), t.get("lr").asDouble(), 1e-12);
        long tokensPerStep = t.get("batch_sequences").asLong() * one.get("shape").get("context").asLong();
        assertEquals(Math.ceil(one.get("D").asDouble() / tokensPerStep), t.get("steps").asDouble(), 0);
        assertTrue(t.get("batch_source").asText().startsWith("DeepSeek LLM 2024"), t.toString());

        String text = FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e23", "--price", "2", "--currency",
                "EUR").out();
        assertTrue(text.contains("B parameters"), text);
        assertTrue(text.contains("B tokens"), text);
        assertTrue(text.matches("(?s).*cost\\s+\\d[\\d.]*[kMB]? EUR.*"), text);
        assertTrue(text.contains("h100-sxm-hours"), text);
        assertTrue(text.contains("peak learning rate"), text);
    }

    @Test
    void theStudysOwnLrRuleAndCriticalBatchWhenTheFitsSweepHasThem() throws IOException {
        Path sw = tmp.resolve("measured/results/sw");
        sweepJson(sw);
        Files.writeString(sw.resolve("tuning.json"), """
                {"rule": {"form": "lr = c N^p", "coefficient": 0.5, "exponent": -0.25}}""");
        Files.writeString(sw.resolve("phenomena.json"), """
                {"critical_batch": {"b_star": 20000, "alpha_b": 0.5}}""");
        Path f = fitOfSweep(sw, "results/sw");
        JsonNode j = FitCli.run("forecast", "--fit", f.toString(), "--compute", "1e21", "--json").json();
        JsonNode t = j.get("training");
        assertEquals(0.5 * Math.pow(j.get("N").asDouble(), -0.25), t.get("lr").asDouble(), 1e-12);
        assertEquals(20000 * Math.pow(j.get("loss").asDouble(), -2), t.get("batch_tokens").asDouble(), 1e-6);
        assertTrue(t.get("lr_source").asText().startsWith("the study's tune rule"), t.toString());
        assertTrue(t.get("batch_source").asText().startsWith("the study's B_crit(L)"), t.toString());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "-1e20").fails(ExitCode.USAGE,
                "--compute must be a positive number");
        FitCli.run("forecast", "--law", "epoch-2024", "--tokens", "0").fails(ExitCode.USAGE,
                "--tokens must be a positive number");
        // the law and the MFU are picocli ArgGroups: one of --fit/--law, at most one of --mfu/--mfu-from
        FitCli.run("forecast", "--law", "epoch-2024", "--fit", fits, "--compute", "1e20").fails(ExitCode.USAGE,
                "mutually exclusive");
        FitCli.run("forecast", "--compute", "1e20").fails(ExitCode.USAGE, "--fit=<fits.json> | --law=");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--mfu", "0.4", "--mfu-from", fits)
                .fails(ExitCode.USAGE, "mutually exclusive");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--goodput", "0").fails(ExitCode.USAGE,
                "--goodput must be in (0, 1]");
        FitCli.run("forecast", "--law", "kaplan-2020", "--compute", "1e20").fails(ExitCode.USAGE, "unknown law");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--gpu", "tpu-v5").fails(ExitCode.USAGE,
                "unknown GPU 'tpu-v5'");
        FitCli.run("forecast", "--law", "hoffmann-2022", "--target-loss", "1.5").fails(ExitCode.USAGE,
                "is not above the law's irreducible loss E = 1.69");
        FitCli.run("forecast", "--law", "epoch-2024", "--days", "3").fails(ExitCode.USAGE, "--days needs --gpus");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--target-loss", "2.5")
                .fails(ExitCode.USAGE, "give one target");
        FitCli.run("forecast", "--law", "epoch-2024").fails(ExitCode.USAGE, "give one target");
        FitCli.run("forecast", "--law", "epoch-2024", "--params", "1e9").fails(ExitCode.USAGE,
                "--params needs exactly one of");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--mfu", "40").fails(ExitCode.USAGE,
                "--mfu must be in (0, 1]");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--gpu", "v100", "--precision", "bf16")
                .fails(ExitCode.USAGE, "v100 has no bf16");
        FitCli.run("forecast", "--law", "epoch-2024", "--compute", "1e20", "--gpus", "0").fails(ExitCode.USAGE,
                "--gpus must be at least 1");
        FitCli.run("forecast", "--law", "epoch-2024", "--tokens", "1e12", "--inference-tokens", "1e12")
                .fails(ExitCode.USAGE, "cannot keep --tokens fixed");
        FitCli.run("forecast", "--law", "epoch-2024", "--params", "1e6", "--target-loss", "1.9")
                .fails(ExitCode.USAGE, "never reaches loss 1.9");
        FitCli.run("forecast", "--fit", tmp.resolve("missing.json").toString(), "--compute", "1e20")
                .fails(ExitCode.DATA, "no such fits file");
    }
}
