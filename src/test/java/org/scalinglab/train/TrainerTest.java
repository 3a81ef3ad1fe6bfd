package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.data.TokenData;
import org.scalinglab.io.Json;
import org.scalinglab.train.runfolder.MetricsRow;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.runfolder.RunStatus;

class TrainerTest {
    /** A model small enough to train in seconds on two cores. */
    static final String TINY = """
            device: cpu
            threads: 2
            model: {context: 32, d_model: 32, layers: 1, heads: 2}
            train:
              batch_size: 8
              optimizer: {lr: 0.01}
              eval_batches: 4
            """;

    static RunConfig config(String yaml, String... sets) {
        try {
            JsonNode tree = StrictYaml.mapper().readTree(TINY);
            StrictYaml.merge((com.fasterxml.jackson.databind.node.ObjectNode) tree, StrictYaml.mapper().readTree(yaml));
            return ConfigLoader.resolve(tree, List.of(sets));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lossColumns(Path runDir) throws IOException {
        // step .. loss_scale: everything but the timing and memory columns
        return Files.readAllLines(runDir.resolve(RunFolder.METRICS_CSV)).stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, 9)))
                .collect(Collectors.toList());
    }

    @Test
    void validationLossFallsBelowTheUnigramEntropy(@TempDir Path dir) {
        RunConfig c = config("train: {steps: 150, eval_every: 50, schedule: {warmup_fraction: 0.02}}"); // a short run: 3 warmup steps
        RunResult r = new Trainer(c, dir, TrainingListener.SILENT).run();
        double unigram;
        try (TokenData data = TokenData.open(c.data())) {
            unigram = data.unigramEntropy();
        }
        assertEquals(RunStatus.COMPLETED, r.status());
        assertTrue(r.losses().finalValLoss() < unigram - 0.3,
                "val loss " + r.losses().finalValLoss() + " should be well below the unigram entropy " + unigram);
        assertEquals(150, r.trained().steps());
        assertEquals(150L * 8 * 32, r.trained().tokens());
        RunResult.Compute compute = r.compute();
        assertEquals(r.trained().tokens() * compute.flopsPerToken().chinchilla(), compute.flops().chinchilla(), 1);
        assertEquals(r.trained().tokens() * compute.flopsPerToken().chinchillaA4(), compute.flops().chinchillaA4(), 1);
        assertTrue(compute.flops().chinchillaA4() < compute.flops().chinchilla(),
                "Table A4's count leaves out embeddings and logits");
        assertTrue(Files.isRegularFile(dir.resolve(RunFolder.RUN_JSON)));
        assertFalse(Files.exists(dir.resolve(Checkpoint.FILE)), "a completed run drops its checkpoint");
        JsonNode run = Json.readTree(dir.resolve(RunFolder.RUN_JSON));
        assertEquals(c.id(), run.path("run_id").asText());
        assertEquals(64, run.path("data").path("sha256").asText().length());
        assertTrue(run.path("provenance").has("git_commit"));
        assertEquals(r.trained().params().nonEmbedding(),
                run.path("derived").path("params").path("non_embedding").asLong());
    }

    /** With eval_per_decade a short run evaluates at log-spaced steps, so it has a validation curve. */
    @Test
    void aShortRunEvaluatesAtLogSpacedStepsAndTrainsTheSame(@TempDir Path dir) throws IOException {
        String yaml = "train: {steps: 40, eval_every: 1000, log_every: 1000}";
        RunResult plain = new Trainer(config(yaml), dir.resolve("plain"), TrainingListener.SILENT).run();
        RunResult logged = new Trainer(config(yaml, "train.eval_per_decade=4"), dir.resolve("log"),
                TrainingListener.SILENT).run();
        List<String> evaluated = Files.readAllLines(dir.resolve("log").resolve(RunFolder.METRICS_CSV)).stream().skip(1)
                .map(l -> l.split(",", -1)).filter(c -> !c[5].isEmpty()).map(c -> c[0]).toList();
        assertEquals(List.of("0", "1", "2", "3", "6", "10", "18", "32", "40"), evaluated);
        // the final train loss is the mean since the last row, so it depends on the rows; the model does not
        assertEquals(plain.losses().finalValLoss(), logged.losses().finalValLoss(), 0,
                "evaluating more often leaves the training as it was");
    }

    @Test
    void lossApproachesTheEntropyRateOfTheSyntheticLanguageFromAbove(@TempDir Path dir) {
        RunConfig c = config("""
                data: {source: markov, vocab_size: 16, markov: {vocab: 16, order: 1, branching: 3, tokens: 200000}}
                train: {steps: 250, eval_every: 50}
                """);
        List<Double> vals = new ArrayList<>();
        RunResult r = new Trainer(c, dir, new TrainingListener() {
            @Override
            public void row(MetricsRow row, RunPlan plan) {
                if (row.valLoss() != null) {
                    vals.add(row.valLoss());
                }
            }
        }).run();
        double h = r.setup().entropyRate();
        double loss = r.losses().finalValLoss();
        assertTrue(loss > h - 0.02, "cannot beat the entropy rate: " + loss + " vs " + h);
        assertTrue(loss < h + 0.1, "should come close to it: " + loss + " vs " + h);
        assertTrue(vals.get(0) > vals.get(vals.size() - 1) + 0.5, "from above: " + vals);
    }

    /** Every metrics.csv column but those of time and memory, by header name. */
    static List<String> measuredColumns(Path runDir) throws IOException {
        List<String> lines = Files.readAllLines(runDir.resolve(RunFolder.METRICS_CSV));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> timing = List.of("tokens_per_s", "mfu", "mem_mb", "elapsed_s", "eval_s", "decode_s");
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String[] cells = l.split(",", -1);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                if (!timing.contains(header.get(i))) {
                    sb.append(cells[i]).append(',');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void resumedRunReproducesTheUninterruptedLossesExactly(@TempDir Path dir) throws IOException {
        // grad_accum 2 measures the noise scale, whose sums a checkpoint between rows (step 22) must carry
        String yaml = "train: {steps: 60, batch_size: 4, grad_accum: 2, log_every: 5, eval_every: 20, "
                + "checkpoint_every: 22}";
        Path straight = dir.resolve("straight");
        new Trainer(config(yaml), straight, TrainingListener.SILENT).run();

        Path broken = dir.resolve("broken");
        class Kill extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }
        assertThrows(Kill.class, () -> new Trainer(config(yaml), broken, new TrainingListener() {
            @Override
            public void row(MetricsRow row, RunPlan plan) {
                if (row.step() == 50) {
                    throw new Kill(); // after the step-40 checkpoint and two more rows
                }
            }
        }).run());
        assertTrue(Files.exists(broken.resolve(Checkpoint.FILE)));
        assertFalse(new RunFolder(broken).hasResult());
        List<Long> resumedAt = new ArrayList<>();
        RunResult r = new Trainer(config(yaml), broken, new TrainingListener() {
            @Override
            public void started(RunConfig c, RunPlan p, String data, String device, long at) {
                resumedAt.add(at);
            }
        }).run();
        assertEquals(List.of(44L), resumedAt);
        assertEquals(lossColumns(straight), lossColumns(broken));
        assertEquals(measuredColumns(straight), measuredColumns(broken), "the metrics and the noise scale too");
        assertTrue(Files.readAllLines(straight.resolve(RunFolder.METRICS_CSV)).get(0).endsWith(",b_simple"));
        assertEquals(new RunFolder(straight).result().losses().finalValLoss(), r.losses().finalValLoss());
    }

    @Test
    void aFinishedRunIsNotTrainedAgain(@TempDir Path dir) {
        RunConfig c = config("train: {steps: 10}");
        RunResult first = new Trainer(c, dir, TrainingListener.SILENT).run();
        List<String> events = new ArrayList<>();
        RunResult again = new Trainer(c, dir, new TrainingListener() {
            @Override
            public void started(RunConfig cc, RunPlan p, String d, String dev, long at) {
                events.add("started");
            }
        }).run();
        assertEquals(List.of(), events);
        assertEquals(first.finishedAt(), again.finishedAt());
    }

    @Test
    void divergenceEndsTheRunWithAStatusAndAdvice(@TempDir Path dir) {
        RunConfig c = config("train: {steps: 60, log_every: 5, optimizer: {lr: 30.0, grad_clip: 0}}");
        RunResult r = new Trainer(c, dir, TrainingListener.SILENT).run();
        assertEquals(RunStatus.DIVERGED, r.status());
        assertTrue(r.message().contains("train.optimizer.lr (now 30.0)"), r.message());
        assertTrue(r.message().contains("train.optimizer.grad_clip 1.0 (now off)"), r.message());
        assertFalse(r.message().contains("fp32"), "it runs in fp32 already: " + r.message());
        assertEquals(RunStatus.DIVERGED, new RunFolder(dir).result().status());
        assertEquals(null, r.losses().finalValLoss(), "no final loss, not the step-0 evaluation");
        assertTrue(Json.readTree(dir.resolve(RunFolder.RESULT_JSON)).path("final_val_loss").isNull());
    }

    @Test
    void divergenceAdviceLeavesOutWhatIsAlreadySet(@TempDir Path dir) {
        RunConfig c = config("train: {steps: 60, log_every: 5, optimizer: {lr: 300.0, grad_clip: 1.0}}");
        RunResult r = new Trainer(c, dir, TrainingListener.SILENT).run();
        assertEquals(RunStatus.DIVERGED, r.status(), r.message());
        assertFalse(r.message().contains("grad_clip"), "clipping at 1.0 is set: " + r.message());
        assertFalse(r.message().contains("fp32"), r.message());
        assertTrue(r.message().contains("a longer warmup (train.schedule.warmup_steps, now 6 steps)"), r.message());
    }

    @Test
    void aFolderOfAnotherRunIsRefused(@TempDir Path dir) {
        new Trainer(config("train: {steps: 5}"), dir, TrainingListener.SILENT).run();
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> new Trainer(config("train: {steps: 6}"), dir, TrainingListener.SILENT).run());
        assertEquals(ExitCode.OUTPUT, e.exitCode());
        assertTrue(e.getMessage().contains("different config"), e.getMessage());
    }

    @Test
    void anUnwritableFolderIsAnOutputError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> new Trainer(config("train: {steps: 5}"), file.resolve("run"), TrainingListener.SILENT).run());
        assertEquals(ExitCode.OUTPUT, e.exitCode());
    }

    @Test
    void mixedPrecisionNeedsAGpu(@TempDir Path dir) {
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> new Trainer(config("train: {steps: 5, precision: fp16}"), dir, TrainingListener.SILENT).run());
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("needs a CUDA GPU"), e.getMessage());
    }

    @Test
    void gradientAccumulationAveragesMicroBatches(@TempDir Path dir) {
        RunResult r = new Trainer(config("train: {steps: 20, batch_size: 4, grad_accum: 2}"), dir,
                TrainingListener.SILENT).run();
        assertEquals(20L * 2 * 4 * 32, r.trained().tokens());
        assertNotNull(r.losses().finalTrainLoss());
        assertTrue(r.losses().finalTrainLoss() < Math.log(256), "the loss is a mean, not a sum: "
                + r.losses().finalTrainLoss());
        RunResult.Evaluations e = r.evaluations();
        assertNotNull(e.finalMetrics().get("val_em_16"), "result.json has the final metrics: " + e.finalMetrics());
        assertTrue(e.evalSeconds() > 0 && e.decodeSeconds() > 0 && e.decodeSeconds() < e.evalSeconds());
    }

    @Test
    void theNoiseScaleIsRecordedWithMicroBatchesAndLeftEmptyWithout(@TempDir Path dir) throws IOException {
        new Trainer(config("train: {steps: 30, batch_size: 4, grad_accum: 2, log_every: 10}"), dir.resolve("two"),
                TrainingListener.SILENT).run();
        new Trainer(config("train: {steps: 30, batch_size: 8, log_every: 10}"), dir.resolve("one"),
                TrainingListener.SILENT).run();
        for (String run : List.of("two", "one")) {
            List<String> lines = Files.readAllLines(dir.resolve(run).resolve(RunFolder.METRICS_CSV));
            List<String> header = List.of(lines.get(0).split(",", -1));
            int b = header.indexOf("b_simple");
            int g2 = header.indexOf("gns_g2");
            for (String l : lines.subList(1, lines.size())) {
                String[] cells = l.split(",", -1);
                boolean first = l.startsWith("0,");
                if (run.equals("two") && !first) { // step 0's row has no step to measure
                    assertTrue(Double.isFinite(Double.parseDouble(cells[g2])), l);
                } else {
                    assertEquals("", cells[b], "one micro-batch gives one batch size: no estimate");
                }
            }
            if (run.equals("two")) {
                String[] last = lines.get(lines.size() - 1).split(",", -1);
                assertTrue(Double.parseDouble(last[b]) > 0, "B_simple in tokens: " + lines.get(lines.size() - 1));
            }
        }
    }

    /**
     * A WSD trunk killed after its checkpoint at a branch point but before the kept copy of it: the
     * resumed run starts after that step, so it must keep the copy when it resumes, or its branches
     * could never start.
     */
    @Test
    void aTrunkKilledBeforeKeepingItsBranchCheckpointKeepsItWhenResumed(@TempDir Path dir) throws IOException {
        String yaml = "train: {steps: 40, log_every: 4, eval_every: 20, checkpoint_every: 16, keep_final_checkpoint: false}";
        class Kill extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }
        assertThrows(Kill.class, () -> new Trainer(config(yaml), dir, new TrainingListener() {
            @Override
            public void row(MetricsRow row, RunPlan plan) {
                if (row.step() == 20) {
                    throw new Kill(); // after the step-16 checkpoint and its kept copy
                }
            }
        }).keepingCheckpointsAt(List.of(16L)).run());
        Path kept = Trainer.keptCheckpoint(dir, 16);
        byte[] expected = Files.readAllBytes(kept);
        Files.delete(kept); // as if killed between the two writes
        new Trainer(config(yaml), dir, TrainingListener.SILENT).keepingCheckpointsAt(List.of(16L)).run();
        assertTrue(Files.isRegularFile(kept), "the branch point's checkpoint was kept on resume");
        assertTrue(java.util.Arrays.equals(expected, Files.readAllBytes(kept)), "the same checkpoint");
    }
}
