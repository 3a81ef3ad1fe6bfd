package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.sweep.SweepFixtures.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.RunsTable.RunState;

/**
 * A warmup-stable-decay sweep (a trunk and a branch that starts from the trunk's checkpoint at its
 * cooldown) killed with SIGKILL again and again at random moments, trunk and branch alike, then run
 * to the end: it ends bit for bit where an uninterrupted sweep does, so no branch ever started from
 * a trunk checkpoint that was not complete (or from none).
 */
class WsdKillTest {
    @TempDir
    Path dir;

    static String wsd(Path results) {
        return """
                name: wsd
                results_dir: %s
                base:
                  device: cpu
                  model: {context: 16}
                  train: {batch_size: 4, log_every: 5, eval_every: 25, eval_batches: 2, checkpoint_every: 10}
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}]}
                design: {kind: wsd, tokens: [6400, 12800]}
                executor: {devices: cpu, runs_per_device: 2, threads_per_run: 1}
                """.formatted(results);
    }

    @Test
    void aWsdSweepKilledAtRandomMomentsEndsAsAnUninterruptedOne() throws Exception {
        Path reference = SweepFixtures.write(dir, "a.yaml", wsd(dir.resolve("A")));
        SweepFixtures.Cli ref = cli("sweep", reference.toString());
        assertEquals(0, ref.code(), ref.all());
        Path refDir = dir.resolve("A/wsd");
        Map<String, Double> expected = SweepFixtures.finalLosses(refDir);
        assertEquals(2, expected.size());

        Path config = SweepFixtures.write(dir, "b.yaml", wsd(dir.resolve("B")));
        Path sweepDir = dir.resolve("B/wsd");
        SweepFolder folder = new SweepFolder(sweepDir);
        Random random = new Random(13);
        List<String> kills = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            long started = System.currentTimeMillis();
            Process sweep = SweepFixtures.start(dir.resolve("b" + k + ".log"), "sweep", config.toString());
            try {
                if (!waitForTraining(sweep, sweepDir, started, 120)) {
                    assertEquals(0, sweep.exitValue(), Files.readString(dir.resolve("b" + k + ".log")));
                    break; // it had nothing left to train
                }
                Thread.sleep(random.nextInt(1000));
                if (!sweep.isAlive()) {
                    break; // it finished first
                }
                sweep.destroyForcibly();
                assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
                waitUntilNoRunIsHeld(folder, 30);
                kills.add(describe(folder));
            } finally {
                sweep.destroyForcibly();
            }
        }
        System.out.println("WsdKillTest: killed at " + kills); // where the kills landed, for the record
        SweepFixtures.Cli end = cli("sweep", config.toString());
        assertEquals(0, end.code(), end.all() + " after kills at " + kills);
        assertEquals(expected, SweepFixtures.finalLosses(sweepDir), "bit for bit, after kills at " + kills);
        List<RunState> states = RunsTable.read(folder);
        for (RunState s : states) {
            assertEquals("completed", s.status().key(), s.id());
            assertEquals(SweepFixtures.lossColumns(refDir.resolve("runs").resolve(s.id())),
                    SweepFixtures.lossColumns(s.folder().dir()), s.label() + " after kills at " + kills);
        }
        RunState branch = states.stream().filter(s -> s.info().branchOf() != null).findFirst().orElseThrow();
        assertEquals(80L, branch.info().branchStep());
        assertEquals(80, Json.readTree(branch.folder().dir().resolve("run.json")).path("provenance")
                .path("branched_from").path("step").asLong());
        assertTrue(kills.size() >= 3, "the sweep was killed mid-way several times: " + kills);
    }

    /** Where the runs stood when the sweep was killed: each run's last metrics step and checkpoints. */
    private static String describe(SweepFolder folder) {
        List<String> parts = new ArrayList<>();
        for (String id : folder.runIds()) {
            SweepRunFolder f = new SweepRunFolder(folder.run(id));
            parts.add(id.substring(0, 6) + "@" + f.lastStep() + (f.finished() != null ? " done" : "")
                    + (Files.exists(f.keptCheckpoint(80)) ? " kept80" : ""));
        }
        return String.join(" / ", parts);
    }

    /**
     * Until some run's metrics.csv grows after {@code sinceMillis} (its worker is training, not
     * starting): true; false when the sweep ended first.
     */
    private static boolean waitForTraining(Process sweep, Path sweepDir, long sinceMillis, int seconds)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (!sweep.isAlive()) {
                return false;
            }
            if (Files.isDirectory(sweepDir.resolve("runs"))) {
                try (var s = Files.list(sweepDir.resolve("runs"))) {
                    for (Path run : s.toList()) {
                        try {
                            if (Files.getLastModifiedTime(run.resolve("metrics.csv")).toMillis() > sinceMillis) {
                                return true;
                            }
                        } catch (java.nio.file.NoSuchFileException e) {
                            // not yet
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no run trained within " + seconds + " s in " + sweepDir);
    }

    private static void waitUntilNoRunIsHeld(SweepFolder f, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (f.runIds().stream().noneMatch(id -> new SweepRunFolder(f.run(id)).running())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("a worker outlived its killed sweep by " + seconds + " s");
    }
}
