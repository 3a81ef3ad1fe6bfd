package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.scalinglab.sweep.RunsTable.RunState;

/**
 * A tiny CPU sweep through a real Slurm: scripts/slurm-test-cluster.sh brings up munge, slurmctld
 * and slurmd on localhost (installing Debian's slurm-wlm and munge if needed), the sweep is
 * submitted as a job array, and its final losses must equal the local executor's exactly (one
 * thread per run on both). Skipped, with the reason, where the cluster cannot come up (not root,
 * no packages). One test cluster per machine at a time: a file lock in /tmp serialises them.
 */
@Tag("slurm")
class SlurmSweepTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static Path state;
    private static FileChannel machineLock;
    private static FileLock held;
    private static String slurmConf;

    @BeforeAll
    static void bringUpTheCluster() throws Exception {
        machineLock = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "scalinglab-slurm-test.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while ((held = machineLock.tryLock()) == null && System.nanoTime() < end) {
            Thread.sleep(1000);
        }
        Assumptions.assumeTrue(held != null, "another Slurm test held the test cluster for 5 minutes");
        state = Files.createTempDirectory("scalinglab-slurm");
        Script up = script("up", 300);
        Assumptions.assumeFalse(up.code() == 77, () -> "no test cluster here: " + up.output().strip());
        assertEquals(0, up.code(), "scripts/slurm-test-cluster.sh up failed: " + up.output());
        slurmConf = up.output().lines().filter(l -> l.startsWith("SLURM_CONF=")).findFirst().orElseThrow()
                .substring("SLURM_CONF=".length());
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (state != null) {
                script("down", 60);
                ThroughputProbe.deleteTree(state);
            }
        } finally {
            if (held != null) {
                held.release();
            }
            if (machineLock != null) {
                machineLock.close();
            }
        }
    }

    record Script(int code, String output) {}

    private static Script script(String command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", ROOT.resolve("scripts/slurm-test-cluster.sh").toString(), command,
                state.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Script(1, "timed out after " + seconds + " s");
        }
        return new Script(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aSweepThroughSlurmEqualsTheLocalExecutors() throws IOException {
        String yaml = SweepFixtures.grid(state.resolve("results"), 64 * 120, "")
                + "slurm: {cpus_per_task: 1, time_limit: \"10\", poll_seconds: 1}\n";
        Path file = SweepFixtures.write(state, "tiny.yaml", yaml);

        SweepFixtures.Cli local = SweepFixtures.cli("sweep", file.toString(), "--set",
                "results_dir=" + state.resolve("local"));
        assertEquals(0, local.code(), local.all());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = sweep(file, "executor.kind=slurm", out, err);
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("submitted 2 runs as Slurm job"), out.toString());
        Path sweepDir = state.resolve("results/tiny");
        assertEquals(SweepFixtures.finalLosses(state.resolve("local/tiny")), SweepFixtures.finalLosses(sweepDir));
        List<RunState> states = RunsTable.read(new SweepFolder(sweepDir));
        assertEquals(List.of("completed", "completed"), states.stream().map(s -> s.status().key()).toList());
        for (RunState s : states) {
            String log = Files.readString(s.folder().log());
            assertTrue(log.contains("device  cpu"), log);
        }
        String csv = Files.readString(sweepDir.resolve("runs.csv"));
        assertEquals(2, csv.lines().filter(l -> l.contains(",completed,")).count(), csv);
        try (var scripts = Files.list(sweepDir.resolve("slurm"))) {
            Path sbatch = scripts.filter(p -> p.toString().endsWith(".sbatch")).findFirst().orElseThrow();
            String s = Files.readString(sbatch);
            assertTrue(s.contains("#SBATCH --array=0-1") && s.contains("#SBATCH --cpus-per-task=1")
                    && s.contains("#SBATCH --time=10"), s);
        }

        // submitting again submits nothing: every run is finished
        StringWriter again = new StringWriter();
        assertEquals(0, sweep(file, "executor.kind=slurm", again, new StringWriter()));
        assertTrue(again.toString().contains("2 runs, 2 finished, 0 to submit"), again.toString());
        StringWriter status = new StringWriter();
        assertEquals(0, new Sweeper(SweepConfig.load(file, List.of()), file, new PrintWriter(status, true),
                new PrintWriter(new StringWriter())).withSlurmEnv(Map.of("SLURM_CONF", slurmConf)).status());
        assertTrue(status.toString().contains("2 runs: 2 completed"), status.toString());
    }

    /** {@code scalinglab sweep --executor slurm --wait}, with this cluster's SLURM_CONF for sbatch and squeue. */
    private static int sweep(Path file, String set, StringWriter out, StringWriter err) {
        SweepConfig config = SweepConfig.load(file, List.of(set));
        PrintWriter o = new PrintWriter(out, true);
        Sweeper sweeper = new Sweeper(config, file, o, new PrintWriter(err, true))
                .withSlurmEnv(Map.of("SLURM_CONF", slurmConf));
        Planner.Report report = Planner.plan(config, Planner.Probe.OFF, sweeper.launcher(), o);
        return sweeper.sweep(report, true, SweepProgress.plain(o));
    }
}
