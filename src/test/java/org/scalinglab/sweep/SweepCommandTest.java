package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.sweep.SweepFixtures.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.io.JvmLauncher;

/** The sweep command's answers that need no training: --status, and the errors of bad folders and options. */
class SweepCommandTest {
    @TempDir
    Path dir;

    /** Every file under {@code root} with its size and modification time. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    @Test
    void statusReadsTheFoldersAndRewritesNothing() throws Exception {
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(dir.resolve("R"), 64 * 40, ""));
        SweepConfig config = SweepConfig.load(yaml, List.of());
        Planner.Report report = Planner.plan(config, Planner.Probe.OFF, JvmLauncher.current(List.of()),
                new PrintWriter(new StringWriter()));
        SweepFolder folder = new SweepFolder(config.folder());
        for (PlannedRun r : report.plan().runs()) {
            new SweepRunFolder(folder.run(r.id())).prepare(r);
        }
        // a run folder whose worker ended: its lock file names the last holder, which a probe must not rewrite
        String id = report.plan().runs().get(0).id();
        Files.writeString(folder.run(id).resolve(".lock"), "pid 1 on elsewhere since then\n");
        Thread.sleep(20); // so that a rewrite would show in the modification times
        Map<String, String> before = snapshot(folder.root());

        SweepFixtures.Cli r = cli("sweep", yaml.toString(), "--status");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("2 runs: 2 pending"), r.out());
        assertEquals(before, snapshot(folder.root()), "--status is read-only");
        assertFalse(Files.exists(folder.runsCsv()));
        assertEquals("pid 1 on elsewhere since then\n", Files.readString(folder.run(id).resolve(".lock")));
    }

    /** sweep has no --out: the hint for an unwritable results folder names what it has. */
    @Test
    void anUnwritableResultsFolderIsExitCode5WithAHintTheCommandCanFollow() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(file.resolve("results"), 64 * 40, ""));
        SweepFixtures.Cli r = cli("sweep", yaml.toString());
        assertEquals(5, r.code(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("results_dir") && !r.err().contains("--out"), r.err());
    }

    @Test
    void aSetWithoutEqualsIsExitCode2() throws IOException {
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(dir.resolve("R"), 64 * 40, ""));
        SweepFixtures.Cli r = cli("sweep", yaml.toString(), "--set", "base.train.batch_size", "--status");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("key.path=value"), r.err());
    }

    @Test
    void aKeySetTwiceInASweepConfigIsRefused() throws IOException {
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(dir.resolve("R"), 64 * 40, "")
                + "name: again\n");
        SweepFixtures.Cli r = cli("sweep", yaml.toString(), "--status");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("name"), r.err());
    }

    @Test
    void planRefusesAWarmupLongerThanARun() throws IOException {
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(dir.resolve("R"), 64 * 40,
                "schedule: {warmup_steps: 100}"));
        SweepFixtures.Cli r = cli("plan", yaml.toString(), "--no-probe");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("warmup_steps' is 100, not shorter than the run's 40 steps"), r.err());
    }
}
