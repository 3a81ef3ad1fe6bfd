package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan's comparison of each run's batch with the critical batch its sweep measured. */
class CriticalBatchCheckTest {
    /**
     * A finished run folder whose noise-scale rows follow B_simple = bStar L^(-1/alpha_B) with the loss falling
     * from 4 to its final loss.
     */
    static void finishedRun(Path dir, double finalLoss, double bStar, double alphaB) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), String.format(Locale.ROOT, """
                {"run_id": "%s", "status": "completed", "params": {"total": 1000}, "tokens": 64000, "steps": 1000,
                 "flops": {"chinchilla": 1e9}, "flops_per_token": {"chinchilla": 15625}, "final_val_loss": %s,
                 "model": {"layers": 1}}
                """, dir.getFileName(), finalLoss));
        StringBuilder m = new StringBuilder("step,tokens,flops_chinchilla,train_loss,val_loss,b_simple\n");
        for (int s = 100; s <= 1000; s += 100) {
            double loss = 4 + (finalLoss - 4) * s / 1000.0;
            m.append(String.format(Locale.ROOT, "%d,%d,%s,%s,,%s%n", s, s * 64, s * 64 * 15625.0, loss,
                    bStar * Math.pow(loss, -1 / alphaB)));
        }
        Files.writeString(dir.resolve("metrics.csv"), m.toString());
    }

    @Test
    void aBatchFarAboveTheMeasuredCriticalBatchIsReported(@TempDir Path tmp) throws IOException {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID, "results_dir=" + tmp);
        Path folder = plan.sweep().folder();
        // B_crit(L) = 200 L^-4: at loss 2.0 it is 12.5 tokens, and every run's batch is 64 (4 x 16)
        finishedRun(folder.resolve("runs").resolve(plan.runs().get(0).id()), 2.0, 200, 0.25);
        finishedRun(folder.resolve("runs").resolve(plan.runs().get(1).id()), 2.5, 200, 0.25);
        List<String> notes = CriticalBatchCheck.notes(plan, folder);
        assertTrue(notes.get(0).startsWith("critical batch: B_crit(L) = 2.00e2 / L^(1/0.250) tokens, from the noise "
                + "scale of 2 runs"), notes.get(0));
        assertTrue(notes.get(0).contains("2 of 4 runs train with a batch more than 4x B_crit"), notes.get(0));
        assertEquals(3, notes.size(), notes.toString());
        assertTrue(notes.get(1).contains("64 tokens = 5.1x B_crit 12.5 at loss 2.000 (finished; about 3.1x"),
                notes.get(1));
    }

    @Test
    void nothingIsSaidWithoutAMeasurement(@TempDir Path tmp) {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID, "results_dir=" + tmp);
        assertEquals(List.of(), CriticalBatchCheck.notes(plan, plan.sweep().folder()));
    }

    @Test
    void batchesWithinReachAreSaidToBe(@TempDir Path tmp) throws IOException {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID, "results_dir=" + tmp);
        Path folder = plan.sweep().folder();
        finishedRun(folder.resolve("runs").resolve(plan.runs().get(0).id()), 2.0, 5000, 0.25);
        List<String> notes = CriticalBatchCheck.notes(plan, folder);
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("no run's batch is more than 4x it at its expected loss (1 of 4 runs have one"),
                notes.get(0));
    }
}
