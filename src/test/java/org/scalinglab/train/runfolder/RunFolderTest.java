package org.scalinglab.train.runfolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.io.Json;
import org.scalinglab.model.Flops;
import org.scalinglab.model.ParameterCounts;
import org.scalinglab.train.RunPlan;
import org.scalinglab.train.runfolder.RunRecords.FlopCounts;
import org.scalinglab.train.runfolder.RunRecords.ModelInfo;
import org.scalinglab.train.runfolder.RunRecords.RunInfo;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

class RunFolderTest {
    @TempDir
    Path tmp;

    static RunConfig config() throws IOException {
        JsonNode tree = StrictYaml.mapper().readTree("""
                device: cpu
                model: {context: 32, d_model: 32, layers: 1, heads: 2}
                train: {batch_size: 8, steps: 10}
                """);
        return ConfigLoader.resolve(tree, List.of());
    }

    static RunResult result(String id, RunStatus status) {
        return new RunResult(id, status, status == RunStatus.COMPLETED ? "" : "diverged at step 7",
                new RunResult.Trained(new ParameterCounts(1000, 800, 900), 5120, 10, 0.5),
                new RunResult.Compute(new FlopCounts(1e9, 2e9, 3e9), new Flops.PerToken(1e5, 2e5, 3e5), null),
                new RunResult.Losses(status == RunStatus.COMPLETED ? 3.25 : null, 0.01, 2048, 3.3, 3.2),
                new RunResult.Speed(12.5, 10.0, 512.0, null),
                new RunResult.Setup(new ModelInfo(256, 32, 32, 1, 2, 4), "fp32", "cpu", "abc", null, null), 0,
                "2026-12-01T00:00:00Z", new RunResult.Evaluations(null, null, null));
    }

    @Test
    void theTrainersFilesCarryTheirSchemaVersionAndReadBackTheSame() throws IOException {
        RunFolder f = new RunFolder(tmp.resolve("run"));
        Files.createDirectories(f.dir());
        RunConfig c = config();
        RunPlan plan = RunPlan.of(c, c.data().vocabSize());
        f.writeInfo(RunInfo.of(c, plan.derived(c), Map.of("sha256", "abc"), Map.of("gpu", "H200"),
                "2026-12-01T00:00:00Z"));
        f.writeResult(result(c.id(), RunStatus.COMPLETED));

        JsonNode info = Json.readTree(f.runJson());
        assertEquals("schema_version", info.fieldNames().next(), "the first key");
        assertEquals(1, info.get("schema_version").asInt());
        assertEquals(2, info.get("metrics_schema_version").asInt());
        assertEquals(c.id(), info.get("run_id").asText());
        // the config as it was written before it became a tree: the same keys and values
        assertEquals(Json.mapper().readTree(Json.write(c)), info.get("config"));
        JsonNode result = Json.readTree(f.resultJson());
        assertEquals("schema_version", result.fieldNames().next());
        assertEquals("completed", result.get("status").asText());
        assertEquals(3e9, result.get("flops").get("chinchilla_a4").asDouble());

        assertEquals(result(c.id(), RunStatus.COMPLETED), f.result());
        assertEquals(RunStatus.COMPLETED, f.status());
        assertNotNull(f.finished(c.id()));
        assertNull(f.finished("another"), "a result of another run is not this run's");
        RunInfo back = f.info();
        assertEquals(1, back.version());
        assertEquals(32, back.configModel().get("d_model").asInt());
        assertEquals("H200", back.provenance().get("gpu"));
    }

    @Test
    void resultJsonIsOneFlatObjectWhoseKeysKeepTheirOrder() throws IOException {
        // RunResult's groups are written unwrapped: the file is the same as when its fields were flat
        RunFolder f = new RunFolder(tmp.resolve("flat"));
        Files.createDirectories(f.dir());
        f.writeResult(result("flat", RunStatus.COMPLETED));
        List<String> keys = new ArrayList<>();
        Json.readTree(f.resultJson()).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("schema_version", "run_id", "status", "message", "params", "tokens", "steps", "epochs",
                "flops", "flops_per_token", "budget", "final_val_loss", "final_val_loss_se", "val_tokens",
                "final_train_loss", "best_val_loss", "wall_seconds", "train_seconds", "tokens_per_s", "mfu", "model",
                "precision", "device", "data_sha256", "entropy_rate", "loss_floor", "skipped_steps", "finished_at",
                "final_metrics", "eval_seconds", "decode_seconds"), keys);
    }

    @Test
    void aFolderWrittenBeforeTheSchemaVersionIsVersionOne() throws IOException {
        RunFolder f = new RunFolder(tmp.resolve("old"));
        Files.createDirectories(f.dir());
        Files.writeString(f.runJson(), "{\"run_id\": \"old\", \"config\": {\"model\": {\"d_model\": 64}}, "
                + "\"derived\": {\"tokens\": 100, \"flops\": {\"kaplan\": 1.0, \"chinchilla\": 2.0}}}");
        Files.writeString(f.resultJson(), "{\"run_id\": \"old\", \"status\": \"diverged\", \"message\": \"m\", "
                + "\"flops\": {\"kaplan\": 1.0, \"chinchilla\": 2.0}, \"final_val_loss\": null, \"wall_seconds\": 3}");
        RunInfo info = f.info();
        assertEquals(1, info.version());
        assertEquals(1, info.metricsVersion());
        assertEquals(64, info.configModel().get("d_model").asInt());
        RunResult r = f.result();
        assertEquals(1, r.version());
        assertEquals(RunStatus.DIVERGED, r.status());
        assertNull(r.compute().flops().chinchillaA4(), "recorded before chinchilla_a4 existed");
        assertEquals(2.0, r.compute().flops().get(FlopConvention.CHINCHILLA));
        assertNull(r.compute().flops().get(FlopConvention.CHINCHILLA_A4));
        assertNotNull(f.finished("old"), "diverged is finished");
    }

    @Test
    void statusesFromTheFiles() throws IOException {
        RunFolder f = new RunFolder(tmp.resolve("r"));
        Files.createDirectories(f.dir());
        assertFalse(f.isRun());
        Files.writeString(f.runJson(), "{\"run_id\": \"r\"}");
        assertTrue(f.isRun());
        assertEquals(RunStatus.RUNNING, f.status(), "no result.json yet");
        Files.writeString(f.resultJson(), "{\"run_id\": \"r\", \"status\": \"failed\", \"message\": \"oom\"}");
        assertEquals(RunStatus.FAILED, f.status());
        assertNull(f.finished("r"), "a failed run is trained again");
        Files.writeString(f.resultJson(), "{\"run_id\": \"r\", \"status\": \"exploded\"}");
        assertEquals(RunStatus.UNKNOWN, f.status());
        Files.writeString(f.resultJson(), "{\"run_id\": \"r\"}");
        assertEquals(RunStatus.UNKNOWN, f.status());
        assertEquals("", f.result().message());
        for (RunStatus s : RunStatus.values()) {
            assertEquals(s, RunStatus.parse(s.key()));
            assertEquals(s.key(), s.toString());
        }
    }

    @Test
    void metricsAsWrittenAndAsRead() throws IOException {
        RunFolder f = new RunFolder(tmp.resolve("m"));
        Files.createDirectories(f.dir());
        try (MetricsLog log = f.openMetrics(-1)) {
            log.append(new MetricsRow(0, 0, 0, 0, null, 5.5, 0.1, 0, null, 1, null, null, null, 0.5, null));
            log.append(new MetricsRow(10, 640, 1e6, 2e6, 5.0, null, null, 1e-3, 1.5, 1, 1000.0, null, 12.0, 1.5,
                    Map.of("b_simple", 300.0)));
        }
        List<String> lines = Files.readAllLines(f.metricsCsv());
        assertEquals("step,tokens,flops_kaplan,flops_chinchilla,train_loss,val_loss,val_loss_se,lr,grad_norm,"
                + "loss_scale,tokens_per_s,mfu,mem_mb,elapsed_s," + String.join(",", MetricsRow.EXTRA_COLUMNS),
                lines.get(0), "the columns pandas reads");
        assertTrue(lines.get(0).endsWith(",val_edit_16_se,eval_s,decode_s,gns_g2,gns_trace,b_simple"));
        assertEquals(10, f.lastStep());
        MetricsCsv m = f.metrics();
        assertNull(m.error());
        assertEquals(2, m.size());
        assertArrayEquals(new double[] {0, 640}, m.doubles("tokens"));
        double[] val = m.doubles("val_loss");
        assertEquals(5.5, val[0]);
        assertTrue(Double.isNaN(val[1]), "not evaluated at that row");
        assertTrue(Double.isNaN(m.doubles("no_such_column")[0]));
        assertArrayEquals(new double[] {Double.NaN, 300}, m.doubles("b_simple"), "an extra column, empty where unset");

        org.scalinglab.ScalingLabException old = org.junit.jupiter.api.Assertions.assertThrows(
                org.scalinglab.ScalingLabException.class, () -> {
                    Files.writeString(f.metricsCsv(), "step,tokens\n10,640\n");
                    f.openMetrics(11).close();
                }, "resuming a metrics.csv of other columns would write rows its header does not name");
        assertTrue(old.getMessage().contains("other columns than this version writes"), old.getMessage());
        Files.writeString(f.metricsCsv(), "step,tokens\n10,640\n2");
        assertEquals(10, f.lastStep(), "a half-written last row is not a step");
        assertNull(new RunFolder(tmp.resolve("none")).metrics());
    }

    @Test
    void theWalkerFindsASweepsPlannedRunsOrEveryRunFolderBelow() throws IOException {
        Path sweep = tmp.resolve("sweep");
        for (String id : List.of("a", "b", "stale")) {
            Files.createDirectories(sweep.resolve("runs").resolve(id));
            Files.writeString(sweep.resolve("runs").resolve(id).resolve("run.json"), "{}");
        }
        Files.writeString(sweep.resolve("sweep.json"), "{\"runs\": [{\"id\": \"b\"}, {\"id\": \"a\"}, {\"id\": \"c\"}]}");
        assertEquals(List.of("a", "b"), RunFolders.under(sweep).stream().map(RunFolder::id).toList(),
                "the plan's runs that have a folder, sorted; not a folder left from an earlier plan");

        Path study = tmp.resolve("study");
        Files.createDirectories(study.resolve("x/y/run1"));
        Files.writeString(study.resolve("x/y/run1/result.json"), "{}");
        Files.createDirectories(study.resolve("tune/runs/t1"));
        Files.writeString(study.resolve("tune/sweep.json"), "{\"runs\": [{\"id\": \"t1\"}]}");
        Files.writeString(study.resolve("tune/runs/t1/run.json"), "{}");
        Files.createDirectories(study.resolve("a/b/c/d/deep"));
        Files.writeString(study.resolve("a/b/c/d/deep/run.json"), "{}");
        assertEquals(List.of(study.resolve("x/y/run1")), RunFolders.under(study).stream().map(RunFolder::dir).toList(),
                "not inside a nested sweep (tune/), nor more than three levels down");
        assertEquals(List.of(study.resolve("x/y/run1")),
                RunFolders.under(study.resolve("x/y/run1")).stream().map(RunFolder::dir).toList(), "a run folder: itself");
    }
}
