package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.io.FolderLock;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.RunsTable.RunState;

/** runs.csv is rebuilt from the run folders: each status from what a folder holds, each column from the plan. */
class RunsTableTest {
    @TempDir
    Path dir;

    static SweepFolder prepared(Path root, SweepPlan plan) {
        SweepFolder f = new SweepFolder(root);
        plan.runs().forEach(r -> new SweepRunFolder(f.run(r.id())).prepare(r));
        Json.writeAtomically(f.sweepJson(), Map.of("runs", plan.runs().stream().map(SweepRunFolder.SweepRun::of).toList()));
        return f;
    }

    static void result(SweepFolder f, PlannedRun r, String status, double loss) throws IOException {
        Files.writeString(f.run(r.id()).resolve("result.json"), String.format(java.util.Locale.ROOT,
                "{\"run_id\": \"%s\", \"status\": \"%s\", \"message\": \"%s\", \"final_val_loss\": %s, "
                        + "\"wall_seconds\": 12.5, \"device\": \"cpu\"}", r.id(), status,
                status.equals("diverged") ? "diverged at step 7" : "", loss));
    }

    @Test
    void statusesComeFromTheFolders() throws IOException {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID);
        SweepFolder f = prepared(dir.resolve("grid"), plan);
        List<PlannedRun> runs = plan.runs();
        result(f, runs.get(0), "completed", 3.25);
        result(f, runs.get(1), "diverged", Double.NaN);
        new SweepRunFolder(f.run(runs.get(2).id())).writeFailure(137, "worker exited with code 137 (signal 9)");
        List<RunState> states;
        try (FolderLock held = FolderLock.acquire(new SweepRunFolder(f.run(runs.get(3).id())).lockFile(), "run")) {
            states = RunsTable.write(f);
        }
        assertEquals(List.of("completed", "diverged", "failed", "running"), states.stream().map(s -> s.status().key()).toList());
        assertEquals("diverged at step 7", states.get(1).message());
        assertEquals("worker exited with code 137 (signal 9)", states.get(2).message());
        assertEquals("4 runs: 1 completed, 1 diverged, 1 failed, 1 running", RunsTable.summary(states));
        assertEquals("pending", RunsTable.read(f).get(3).status().key(), "the lock is gone with its holder");

        List<String> lines = Files.readAllLines(f.runsCsv());
        assertEquals("id,label,status,budget,layers,d_model,heads,context,params_total,params_non_embedding,"
                + "params_non_embedding_with_head,tokens,steps,flops_kaplan,flops_chinchilla,tokens_per_param,epochs,lr,seed,"
                + "final_val_loss,final_val_loss_se,final_train_loss,best_val_loss,wall_seconds,tokens_per_s,device,branch_of,message,path",
                lines.get(0));
        assertEquals(5, lines.size());
        String[] row = lines.get(1).split(",");
        List<String> header = List.of(lines.get(0).split(","));
        PlannedRun r0 = runs.get(0);
        assertEquals(r0.id(), row[0]);
        assertEquals("completed", row[2]);
        assertEquals("1", row[4]);
        assertEquals("16", row[5]);
        assertEquals(Long.toString(r0.plan().params().total()), row[8]);
        assertEquals(Long.toString(r0.plan().tokens()), row[11]);
        assertEquals(r0.plan().flopsChinchilla(), Double.parseDouble(row[14]));
        assertEquals(3.25, Double.parseDouble(row[header.indexOf("final_val_loss")]));
        assertEquals("12.5", row[header.indexOf("wall_seconds")]);
        assertEquals("runs/" + r0.id(), row[header.indexOf("path")]);
    }

    @Test
    void wsdBranchesWaitForTheirTrunkAndAreBlockedWhenItEndsWithoutTheirCheckpoint() throws IOException {
        SweepPlan plan = SweepDesignTest.plan("""
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}]}
                design: {kind: wsd, tokens: [3200, 6400, 12800]}
                """);
        SweepFolder f = prepared(dir.resolve("wsd"), plan);
        PlannedRun trunk = plan.runs().get(2);
        Files.writeString(f.run(trunk.id()).resolve("checkpoint.bin"), "x");
        assertEquals(List.of("pending", "pending", "partial"), statuses(f));

        Files.delete(f.run(trunk.id()).resolve("checkpoint.bin"));
        Files.writeString(new SweepRunFolder(f.run(trunk.id())).keptCheckpoint(80), "x");
        result(f, trunk, "completed", 3.0);
        assertEquals(List.of("blocked", "pending", "completed"), statuses(f));
        RunState blocked = RunsTable.read(f).get(0);
        assertEquals("trunk " + trunk.id() + " finished without its checkpoint at step 40", blocked.message());
        assertEquals(trunk.id(), blocked.info().branchOf());
        assertNull(blocked.result());
        RunsTable.write(f);
        assertTrue(Files.readAllLines(f.runsCsv()).get(1).contains("," + trunk.id() + ","), "branch_of column");
    }

    @Test
    void metricsCsvHoldsEveryRunsCurveInLongFormat() throws IOException {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID);
        SweepFolder f = prepared(dir.resolve("grid"), plan);
        List<PlannedRun> runs = plan.runs();
        result(f, runs.get(0), "completed", 3.25);
        Files.writeString(f.run(runs.get(0).id()).resolve("metrics.csv"), """
                step,tokens,flops_kaplan,flops_chinchilla,train_loss,val_loss,val_loss_se
                0,0,0.0,0.0,,5.53,0.003
                10,5120,1.0E9,2.0E9,4.2,,
                20,10240,2.0E9,4.0E9,3.9,3.3,0.002
                """);
        // a run still training: its last line is half-written
        Files.writeString(f.run(runs.get(1).id()).resolve("metrics.csv"), """
                step,tokens,flops_kaplan,flops_chinchilla,train_loss,val_loss,val_loss_se
                0,0,0.0,0.0,,5.6,0.004
                10,5120,1.0E9,2.0E9,4.""");
        RunsTable.write(f);

        PandasCsv t = PandasCsv.read(MetricsTable.path(f));
        assertEquals(MetricsTable.COLUMNS, t.columns());
        assertEquals(8, t.rows().size(), "6 values of run 0, 2 of run 1, none from its half-written line");
        assertEquals(List.of(runs.get(0).id(), "0", "val_loss", "5.53"), List.of(t.cell(0, "run_id"), t.cell(0, "step"),
                t.cell(0, "metric"), t.cell(0, "value")));
        assertEquals("completed", t.cell(0, "status"));
        assertEquals(Long.toString(runs.get(0).plan().params().total()), t.cell(0, "params_total"));
        assertEquals("4.0E9", t.cell(5, "flops_chinchilla"));
        assertEquals("pending", t.cell(7, "status"));
        // the dtypes pandas would infer, as docs/file-formats.md lists them
        assertEquals("object", t.dtype("run_id"));
        assertEquals("object", t.dtype("metric"));
        assertEquals("int64", t.dtype("step"));
        assertEquals("int64", t.dtype("tokens"));
        assertEquals("int64", t.dtype("params_total"));
        assertEquals("float64", t.dtype("value"));
        assertEquals("float64", t.dtype("flops_chinchilla"));
        assertEquals("float64", t.dtype("budget"));
        // pivoting back to one run's wide table: t.pivot_table(index=[run_id, step], columns=metric, values=value)
        assertEquals(List.of("val_loss", "val_loss_se"), t.rows().stream()
                .filter(r -> r.get(0).equals(runs.get(0).id()) && r.get(5).equals("0")).map(r -> r.get(8)).toList());

        PandasCsv runsCsv = PandasCsv.read(f.runsCsv());
        assertEquals("object", runsCsv.dtype("id"));
        assertEquals("int64", runsCsv.dtype("params_total"));
        assertEquals("int64", runsCsv.dtype("tokens"));
        assertEquals("float64", runsCsv.dtype("flops_chinchilla"));
        assertEquals("float64", runsCsv.dtype("final_val_loss"), "empty cells of unfinished runs are NaN");
    }

    private static List<String> statuses(SweepFolder f) {
        return RunsTable.read(f).stream().map(s -> s.status().key()).toList();
    }
}
