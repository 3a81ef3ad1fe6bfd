package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.sweep.PlannedRun;
import org.scalinglab.sweep.SweepConfig;
import org.scalinglab.sweep.SweepDesign;
import org.scalinglab.sweep.SweepFixtures;

/** {@code scalinglab plan}: the table, the probe and its cache, refusals as one-line errors. */
class PlanCommandTest {
    @TempDir
    Path dir;

    @Test
    void planPrintsEveryRunAndTotalsWithoutTraining() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, ""));
        SweepFixtures.Cli r = SweepFixtures.cli("plan", cfg.toString(), "--no-probe");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("sweep tiny: grid design, 2 runs"), r.out());
        assertTrue(r.out().contains("N total  N non-emb  N +head"), r.out());
        for (PlannedRun run : SweepDesign.plan(SweepConfig.load(cfg, List.of())).runs()) {
            assertTrue(r.out().contains(run.id() + "  " + run.label()), r.out());
        }
        assertTrue(r.out().contains("total: 2 runs, D = 6400 tokens"), r.out());
        assertFalse(Files.exists(dir.resolve("results/tiny/runs")), "plan trains nothing");

        SweepFixtures.Cli j = SweepFixtures.cli("plan", cfg.toString(), "--no-probe", "--json");
        assertEquals(0, j.code(), j.all());
        com.fasterxml.jackson.databind.JsonNode plan = org.scalinglab.io.Json.mapper().readTree(j.out());
        assertEquals("scalinglab.plan/1", plan.get("schema").asText());
        com.fasterxml.jackson.databind.JsonNode design = plan.get("stages").get(plan.get("stages").size() - 1);
        assertEquals("design", design.get("stage").asText());
        assertEquals(2, design.get("runs").size());
        assertEquals(6400, design.get("totals").get("tokens").asDouble(), 0);
        assertTrue(design.get("runs").get(0).get("params_total").asLong() > 0, design.toString());
        assertTrue(design.get("runs").get(0).get("estimated_seconds").isNull(), "no probe, no estimate: null, not NaN");
    }

    @Test
    void autoOnTheCpuUsesEveryCoreWithAFixedThreadCountAndNoProbe() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, "")
                .replace("runs_per_device: 2", "runs_per_device: auto"));
        SweepFixtures.Cli r = SweepFixtures.cli("plan", cfg.toString());
        assertEquals(0, r.code(), r.all());
        int cores = Runtime.getRuntime().availableProcessors();
        int k = org.scalinglab.sweep.PlannerAccess.cpuRunsAtOnce(cores, 1, 2);
        assertTrue(r.out().contains("runs_per_device auto on the CPU: " + cores + " cores / threads_per_run 1 = " + k),
                r.out());
        assertTrue(r.out().contains(k + " run" + (k == 1 ? "" : "s") + " at once on the CPU, 1 thread each"), r.out());
        assertEquals(16, org.scalinglab.sweep.PlannerAccess.cpuRunsAtOnce(16, 1, 40));
        assertEquals(4, org.scalinglab.sweep.PlannerAccess.cpuRunsAtOnce(16, 4, 40));
        assertEquals(3, org.scalinglab.sweep.PlannerAccess.cpuRunsAtOnce(16, 1, 3), "never more workers than runs");
        assertEquals(1, org.scalinglab.sweep.PlannerAccess.cpuRunsAtOnce(2, 4, 40), "at least one");
    }

    @Test
    void theProbeEstimatesEachRunAndIsCached() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 3200, ""));
        SweepFixtures.Cli first = SweepFixtures.cli("plan", cfg.toString());
        assertEquals(0, first.code(), first.all());
        assertTrue(first.out().contains("probe: L1-d16-h1, 2 at once on cpu (1 thread each), 12 steps"), first.out());
        assertTrue(first.out().contains("throughput probe on cpu"), first.out());
        assertTrue(first.out().matches("(?s).*about \\d+s wall.*"), first.out());
        assertTrue(Files.isRegularFile(dir.resolve("results/tiny/probe.json")));
        SweepFixtures.Cli second = SweepFixtures.cli("plan", cfg.toString());
        assertEquals(0, second.code(), second.all());
        assertFalse(second.out().contains("probe: "), "measured once: " + second.out());
        assertTrue(second.out().contains("throughput probe on cpu"), second.out());
    }

    @Test
    void impossiblePlansAreOneLineErrorsWithExitCode3() throws IOException {
        Path cfg = SweepFixtures.write(dir, "tiny.yaml", SweepFixtures.grid(dir.resolve("results"), 10, ""));
        SweepFixtures.Cli r = SweepFixtures.cli("plan", cfg.toString(), "--no-probe");
        assertEquals(3, r.code(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("fewer than one batch"), r.err());
        SweepFixtures.Cli typo = SweepFixtures.cli("plan", cfg.toString(), "--no-probe", "--set", "design.tokenz=[1]");
        assertEquals(3, typo.code());
        assertTrue(typo.err().contains("'design.tokenz'"), typo.err());
        SweepFixtures.Cli badOption = SweepFixtures.cli("sweep", cfg.toString(), "--runs-per-device", "lots");
        assertEquals(3, badOption.code(), badOption.all());
        assertTrue(badOption.err().contains("executor.runs_per_device"), badOption.err());
        assertEquals(3, SweepFixtures.cli("plan", dir.resolve("missing.yaml").toString()).code());
    }

    /** A fresh clone: every shipped sweep config plans as it is, without data or a GPU (train configs are not sweeps). */
    @Test
    void everyShippedSweepConfigPlansOnAFreshClone() throws IOException {
        List<Path> configs;
        try (var files = Files.list(Path.of("configs"))) {
            configs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        int sweeps = 0;
        for (Path c : configs) {
            if (!Files.readString(c).contains("\ndesign:") && !Files.readString(c).contains("\nextends:")) {
                continue; // a run config (train), not a sweep
            }
            sweeps++;
            SweepFixtures.Cli r = SweepFixtures.cli("plan", c.toString(), "--no-probe", "--set", "results_dir=" + dir);
            assertEquals(0, r.code(), c + ": " + r.all());
        }
        assertTrue(sweeps >= 7, "the shipped sweeps: " + configs);
        SweepFixtures.Cli mini = SweepFixtures.cli("plan", "configs/isoflop-mini.yaml", "--no-probe", "--set",
                "results_dir=" + dir);
        assertTrue(mini.err().contains("base.data.path is not set: planned on the embedded corpus"), mini.err());
        assertTrue(mini.out().contains("sweep isoflop-mini: isoflop design"), mini.out());
        assertEquals(3, SweepFixtures.cli("sweep", "configs/isoflop-mini.yaml", "--set", "results_dir=" + dir).code(),
                "training still needs the corpus");
    }

    @Test
    void gpuSweepsPlanWithoutAGpuButDoNotRunWithoutOne() throws IOException {
        String results = "results_dir=" + dir;
        String corpus = "base.data.path=" + SweepFixtures.textCorpus(dir);
        String epochs = "design.max_epochs=1000"; // the small corpus repeats: only the device checks are tested
        SweepFixtures.Cli plan = SweepFixtures.cli("plan", "configs/isoflop-mini.yaml", "--set", results,
                "--set", corpus, "--set", epochs);
        assertEquals(0, plan.code(), plan.all());
        assertTrue(plan.out().contains("target gpu:0 is not on this machine"), plan.out());
        assertTrue(plan.out().contains("estimates assume 5.00e13 FLOP/s"), plan.out());
        SweepFixtures.Cli sweep = SweepFixtures.cli("sweep", "configs/isoflop-mini.yaml", "--set", results,
                "--set", corpus, "--set", epochs);
        assertEquals(6, sweep.code(), sweep.all());
        assertTrue(sweep.err().contains("name a GPU, and libtorch sees none"), sweep.err());
        SweepFixtures.Cli cpu = SweepFixtures.cli("plan", "configs/isoflop-mini.yaml", "--devices", "cpu", "--set", results,
                "--set", corpus, "--set", epochs);
        assertEquals(3, cpu.code(), cpu.all());
        assertTrue(cpu.err().contains("'base.train.precision' is fp16, which needs a CUDA GPU"), cpu.err());
    }

    @Test
    void aShapeThatCannotFitTheDevicesMemoryIsRefused() throws IOException {
        // 503M parameters (under the 536,870,911 a run can hold) and 65,536 tokens per micro-batch
        String yaml = SweepFixtures.grid(dir.resolve("results"), 1_000_000_000, "")
                .replace("{layers: 1, d_model: 24, heads: 2}", "{layers: 40, d_model: 1024, heads: 8}")
                .replace("batch_size: 4,", "batch_size: 4096,");
        Path cfg = SweepFixtures.write(dir, "huge.yaml", yaml);
        SweepFixtures.Cli r = SweepFixtures.cli("plan", cfg.toString(), "--no-probe", "--set", "design.max_epochs=100");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("shape L40-d1024-h8-T16 does not fit: it needs about"), r.err());
        assertTrue(r.err().contains("GiB per run with 2 runs at once"), r.err());
        // a shape too big to hold at all is refused before any estimate
        Path bigger = SweepFixtures.write(dir, "bigger.yaml", SweepFixtures.grid(dir.resolve("results"), 1_000_000, "")
                .replace("{layers: 1, d_model: 24, heads: 2}", "{layers: 96, d_model: 16384, heads: 128}"));
        SweepFixtures.Cli b = SweepFixtures.cli("plan", bigger.toString(), "--no-probe");
        assertEquals(3, b.code(), b.all());
        assertTrue(b.err().contains("3.09e+11 parameters, more than the 536,870,911 a run can hold"), b.err());
    }
}
