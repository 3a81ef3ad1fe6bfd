package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.sweep.SweepFixtures.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.RunsTable.RunState;

/**
 * Sweeps with real worker processes: a sweep stopped with SIGTERM, started again and killed with
 * SIGKILL mid-way, then started again, ends with exactly the results of an uninterrupted one; its lock refuses a second sweep meanwhile;
 * diverged runs are recorded and the sweep goes on; a WSD branch equals its config trained from scratch.
 */
class SweepProcessTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedOrKilledSweepResumesToTheResultsOfAnUninterruptedOneAndItsLockRefusesASecond() throws Exception {
        long tokens = 64 * 600; // 600 steps, checkpoints every 40
        Path reference = SweepFixtures.write(dir, "a.yaml", SweepFixtures.grid(dir.resolve("A"), tokens, ""));
        SweepFixtures.Cli ref = cli("sweep", reference.toString());
        assertEquals(0, ref.code(), ref.all());
        Map<String, Double> expected = SweepFixtures.finalLosses(dir.resolve("A/tiny"));
        assertEquals(2, expected.size());

        Path config = SweepFixtures.write(dir, "b.yaml", SweepFixtures.grid(dir.resolve("B"), tokens, ""));
        Path sweepDir = dir.resolve("B/tiny");

        // 1. SIGTERM (as Ctrl-C): the shutdown hook ends the workers; nothing is recorded as failed
        Process sweep = SweepFixtures.start(dir.resolve("b1.log"), "sweep", config.toString());
        try {
            waitForCheckpoint(sweepDir, 0, 120);

            // the lock: a second sweep on the same folder is refused with exit 8, naming the holder
            SweepFixtures.Cli second = cli("sweep", config.toString());
            assertEquals(8, second.code(), second.all());
            assertTrue(second.err().contains("pid " + sweep.pid()), second.err());
            assertEquals(1, second.err().strip().lines().count(), second.err());

            sweep.destroy();
            assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
            waitUntilNoRunIsHeld(sweepDir, 10);
        } finally {
            sweep.destroyForcibly();
        }
        assertTrue(RunsTable.read(new SweepFolder(sweepDir)).stream().noneMatch(s -> s.failure() != null),
                "an interrupted run is not a failed one");

        // 2. started again, then SIGKILL mid-way: no hook runs; the workers see their stdin close
        long restarted = System.currentTimeMillis();
        sweep = SweepFixtures.start(dir.resolve("b2.log"), "sweep", config.toString());
        try {
            Path midway = waitForCheckpoint(sweepDir, restarted, 120);
            sweep.destroyForcibly();
            assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
            assertFalse(Files.exists(midway.resolve("result.json")), "killed mid-way: " + midway);
            waitUntilNoRunIsHeld(sweepDir, 30);
        } finally {
            sweep.destroyForcibly();
        }

        SweepFixtures.Cli resumed = cli("sweep", config.toString());
        assertEquals(0, resumed.code(), resumed.all() + Files.readString(dir.resolve("b2.log")));
        assertTrue(resumed.out().contains("2 runs, 0 finished") || resumed.out().contains("2 runs, 1 finished"),
                resumed.out());
        assertEquals(expected, SweepFixtures.finalLosses(sweepDir), "bit-for-bit the uninterrupted results");
        boolean someResumed = false;
        for (String id : expected.keySet()) {
            assertEquals(SweepFixtures.lossColumns(dir.resolve("A/tiny/runs").resolve(id)),
                    SweepFixtures.lossColumns(sweepDir.resolve("runs").resolve(id)));
            someResumed |= Files.readString(sweepDir.resolve("runs").resolve(id).resolve("train.log"))
                    .contains("resuming at step");
        }
        assertTrue(someResumed, "a run continued from its checkpoint");
        assertEquals(List.of("completed", "completed"),
                RunsTable.read(new SweepFolder(sweepDir)).stream().map(s -> s.status().key()).toList());

        // started again with nothing left to do, it trains nothing
        SweepFixtures.Cli again = cli("sweep", config.toString());
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("2 runs, 2 finished, 0 to train"), again.out());
    }

    /** A run folder with a checkpoint written after {@code sinceMillis} and no result yet. */
    private static Path waitForCheckpoint(Path sweepDir, long sinceMillis, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.isDirectory(sweepDir.resolve("runs"))) {
                try (var s = Files.list(sweepDir.resolve("runs"))) {
                    for (Path run : s.toList()) {
                        Path ckpt = run.resolve("checkpoint.bin");
                        try {
                            if (Files.getLastModifiedTime(ckpt).toMillis() > sinceMillis
                                    && !Files.exists(run.resolve("result.json"))) {
                                return run;
                            }
                        } catch (java.nio.file.NoSuchFileException e) {
                            // not yet, or just replaced
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint within " + seconds + " s in " + sweepDir);
    }

    private static void waitUntilNoRunIsHeld(Path sweepDir, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        SweepFolder f = new SweepFolder(sweepDir);
        while (System.nanoTime() < end) {
            if (f.runIds().stream().noneMatch(id -> new SweepRunFolder(f.run(id)).running())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("a worker outlived its killed sweep by " + seconds + " s");
    }

    @Test
    void divergedRunsAreRecordedAndTheSweepGoesOn() throws IOException {
        String yaml = SweepFixtures.grid(dir.resolve("D"), 64 * 40, "optimizer: {lr: 50, grad_clip: 0}")
                .replace("runs_per_device: 2", "runs_per_device: 1");
        Path config = SweepFixtures.write(dir, "d.yaml", yaml);
        SweepFixtures.Cli r = cli("sweep", config.toString());
        assertEquals(0, r.code(), "a diverged run is a result, not a failure: " + r.all());
        assertTrue(r.err().contains("warning: 2 run(s) diverged"), r.err());
        List<RunState> states = RunsTable.read(new SweepFolder(dir.resolve("D/tiny")));
        assertEquals(List.of("diverged", "diverged"), states.stream().map(s -> s.status().key()).toList(),
                "the second ran after the first diverged");
        for (RunState s : states) {
            assertTrue(s.message().startsWith("diverged at step"), s.message());
        }
        String csv = Files.readString(dir.resolve("D/tiny/runs.csv"));
        assertEquals(2, csv.lines().filter(l -> l.contains(",diverged,")).count(), csv);
        assertTrue(r.out().contains("[2/2] diverged"), r.out());
    }

    @Test
    void aWsdBranchEqualsItsConfigTrainedFromScratch() throws IOException {
        Path config = SweepFixtures.write(dir, "w.yaml", """
                name: wsd
                results_dir: %s
                base:
                  device: cpu
                  model: {context: 16}
                  train: {batch_size: 4, log_every: 5, eval_every: 10, eval_batches: 2}
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}]}
                design: {kind: wsd, tokens: [1280, 2560]}
                executor: {devices: cpu, runs_per_device: 2, threads_per_run: 1}
                """.formatted(dir.resolve("W")));
        SweepFixtures.Cli r = cli("sweep", config.toString());
        assertEquals(0, r.code(), r.all());
        SweepFolder f = new SweepFolder(dir.resolve("W/wsd"));
        List<RunState> states = RunsTable.read(f);
        RunState branch = states.get(0);
        RunState trunk = states.get(1);
        assertEquals(trunk.id(), branch.info().branchOf());
        assertEquals(16L, branch.info().branchStep(), "20 steps, the last 20% cooling down");
        assertTrue(Files.exists(trunk.folder().keptCheckpoint(16)));
        assertEquals(trunk.id(), Json.readTree(branch.folder().dir().resolve("run.json"))
                .path("provenance").path("branched_from").path("run_id").asText());

        Path scratch = dir.resolve("scratch");
        SweepFixtures.Cli train = cli("train", branch.folder().dir().resolve("config.yaml").toString(),
                "--set", "threads=1", "--out", scratch.toString());
        assertEquals(0, train.code(), train.all());
        assertEquals(SweepFixtures.lossColumns(scratch), SweepFixtures.lossColumns(branch.folder().dir()));
        assertEquals(SweepFixtures.finalLosses(f.root()).get(branch.id()),
                Json.readTree(scratch.resolve("result.json")).path("final_val_loss").asDouble());
    }
}
