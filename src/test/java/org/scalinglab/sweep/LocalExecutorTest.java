package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.JvmLauncher;

/** The local executor's slots when the sweep itself cannot write (a full disk), with stand-in workers. */
class LocalExecutorTest {
    /**
     * Stands in for a worker JVM: marks its run folder started; the first to start waits (up to 10 s) until
     * the other slot's worker has started too, so that the count below does not depend on which process a
     * loaded machine schedules first, then makes runs.csv unwritable (a folder where its temporary file goes)
     * and exits 0; the others train "forever".
     */
    private static final String WORKER = """
            #!/bin/sh
            for a in "$@"; do case "$a" in /*) run="$a" ;; esac; done
            root="$(dirname "$(dirname "$run")")"
            touch "$run/started"
            if mkdir "$root/.first" 2>/dev/null; then
              i=0
              while [ "$(ls "$(dirname "$run")"/*/started 2>/dev/null | wc -l)" -lt 2 ] && [ $i -lt 100 ]; do
                sleep 0.1; i=$((i + 1))
              done
              mkdir -p "$root/.runs.csv.tmp/blocker"
              exit 0
            fi
            exec sleep 60
            """;

    @Test
    void aWriteFailureOfTheSweepStopsEverySlotAndIsReportedOnce(@TempDir Path dir) throws Exception {
        Path worker = Files.writeString(dir.resolve("worker.sh"), WORKER);
        Files.setPosixFilePermissions(worker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(dir.resolve("R"), 64 * 40, "")
                .replace("ladder: {shapes: [", "ladder: {shapes: [{layers: 1, d_model: 32, heads: 2}, "
                        + "{layers: 2, d_model: 16, heads: 1}, "));
        SweepConfig config = SweepConfig.load(yaml, List.of());
        JvmLauncher fake = new JvmLauncher(worker.toString(), List.of(), "");
        Planner.Report report = Planner.plan(config, Planner.Probe.OFF, fake, new PrintWriter(new StringWriter()));
        SweepFolder folder = new SweepFolder(config.folder());
        Map<String, Double> work = new LinkedHashMap<>();
        for (PlannedRun r : report.plan().runs()) {
            new SweepRunFolder(folder.run(r.id())).prepare(r);
            work.put(r.id(), 1.0);
        }
        assertEquals(4, work.size());
        assertEquals(2, report.slots().size());

        List<Throwable> uncaught = new ArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        StringWriter shown = new StringWriter();
        long t0 = System.nanoTime();
        ScalingLabException e;
        try {
            e = assertThrows(ScalingLabException.class, () -> new LocalExecutor(folder, report.slots(), fake,
                    SweepProgress.plain(new PrintWriter(shown))).run(report.plan().runs(), work));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(ExitCode.OUTPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("sweep stopped: cannot write " + folder.runsCsv()), e.getMessage());
        assertTrue(e.hint().contains("running the sweep again resumes"), e.hint());
        assertEquals(List.of(), uncaught, "no slot thread died with a stack trace");
        assertTrue(seconds < 30, "the running worker was stopped, not waited for: " + seconds + " s");
        long started = work.keySet().stream().filter(id -> Files.exists(folder.run(id).resolve("started"))).count();
        assertEquals(2, started, "the queue stopped: no run started after the failure");
        assertTrue(work.keySet().stream().noneMatch(id -> Files.exists(folder.run(id).resolve("failure.json"))),
                "a worker stopped by the sweep is not a failed run");
    }
}
