package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.io.Hashing;
import org.scalinglab.sweep.SweepFixtures;

/**
 * {@code fit}, {@code report} and {@code run} killed with SIGKILL: early, while the report writes
 * its figures, and in the middle of writing fits.json or the page itself (the moment its temporary
 * file appears). After every kill the fits.json and report in place are whole, the previous ones
 * when the kill came before the rename (every file is written to a temporary name and renamed), and
 * the next command succeeds despite what the kill left behind.
 */
class AnalysisKillTest {
    private static final byte[] PNG_END = {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    @TempDir
    Path dir;

    /** Starts a command in its own JVM and kills it after {@code millis}. */
    static void killAfter(Path log, long millis, String... args) throws Exception {
        Process p = SweepFixtures.start(log, args);
        try {
            p.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            p.destroyForcibly();
            p.waitFor();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Starts a command in its own JVM and kills it the moment {@code tmp} (the temporary file of an
     * atomic write) appears, so in the middle of that write; returns whether that moment was caught.
     */
    static boolean killMidWrite(Path log, Path tmp, String... args) throws Exception {
        Process p = SweepFixtures.start(log, args);
        try {
            while (p.isAlive()) {
                if (Files.exists(tmp)) {
                    p.destroyForcibly();
                    p.waitFor();
                    return true;
                }
                Thread.onSpinWait();
            }
            return false;
        } finally {
            p.destroyForcibly();
        }
    }

    /** The report folder holds a whole page, and whole figures (of this report or the one before). */
    static void assertWholeReport(Path report) throws IOException {
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.endsWith("</body>\n</html>\n"), "index.html is whole");
        try (Stream<Path> s = Files.list(report.resolve("figures"))) {
            for (Path f : s.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // a temporary file a kill left behind: never read
                }
                byte[] b = Files.readAllBytes(f);
                if (name.endsWith(".png")) {
                    assertTrue(Arrays.equals(PNG_END, Arrays.copyOfRange(b, b.length - 8, b.length)), name + " is whole");
                } else {
                    assertTrue(new String(b, StandardCharsets.UTF_8).strip().endsWith("</svg>"), name + " is whole");
                }
            }
        }
    }

    @Test
    void fitAndReportKilledMidWayLeaveTheirPreviousFilesWhole() throws Exception {
        Path sweep = dir.resolve("sweep");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 5, 1.5, 0.003, 21);
        Path fits = sweep.resolve("fits.json");
        FitCli.run("fit", sweep.toString(), "--bootstrap", "20", "--out", fits.toString()).ok();
        FitCli.run("report", sweep.toString()).ok();

        // fit killed early (bootstrapping), then in the middle of writing fits.json
        killAfter(dir.resolve("fit-early.log"), 1500, "fit", sweep.toString(), "--bootstrap", "50", "--seed", "1",
                "--out", fits.toString());
        FitsJson.read(fits);
        String before = Hashing.sha256(fits);
        boolean caught = killMidWrite(dir.resolve("fit-mid.log"), sweep.resolve(".fits.json.tmp"), "fit",
                sweep.toString(), "--bootstrap", "50", "--seed", "7", "--out", fits.toString());
        FitsJson.read(fits); // whole and valid
        if (caught) {
            assertEquals(before, Hashing.sha256(fits), "killed mid-write: the previous fits.json");
        }

        // report killed while it writes its figures, before the page, then while it writes the page
        String page = Files.readString(sweep.resolve("report/index.html"));
        long started = System.currentTimeMillis();
        Process report = SweepFixtures.start(dir.resolve("report.log"), "report", sweep.toString());
        try {
            while (report.isAlive() && !newerFigure(sweep.resolve("report/figures"), started)) {
                Thread.sleep(5);
            }
            report.destroyForcibly();
            report.waitFor();
        } finally {
            report.destroyForcibly();
        }
        assertWholeReport(sweep.resolve("report"));
        assertEquals(page, Files.readString(sweep.resolve("report/index.html")), "the previous page, untouched");
        boolean pageCaught = killMidWrite(dir.resolve("report-mid.log"), sweep.resolve("report/.index.html.tmp"),
                "report", sweep.toString());
        assertWholeReport(sweep.resolve("report"));
        if (pageCaught) {
            assertEquals(page, Files.readString(sweep.resolve("report/index.html")), "killed mid-write: the previous page");
        }

        FitCli.run("predict", "--fit", fits.toString(), "--compute", "1e21").ok(); // the left-over .tmp is never read
        System.out.println("AnalysisKillTest: killed mid-write of fits.json: " + caught + ", of index.html: "
                + pageCaught);
    }

    /** {@code run} on a finished sweep goes straight to its analysis: killed there, it leaves the runs and the report whole. */
    @Test
    void runKilledDuringItsAnalysisLeavesTheRunsAndTheReportWhole() throws Exception {
        Path yaml = SweepFixtures.write(dir, "s.yaml", SweepFixtures.grid(dir.resolve("R"), 64 * 40, ""));
        Path sweep = dir.resolve("R/tiny");
        SweepFixtures.Cli first = SweepFixtures.cli("run", yaml.toString(), "--no-probe");
        assertEquals(9, first.code(), "two runs are too few to fit, but the report is written: " + first.all());
        assertWholeReport(sweep.resolve("report"));
        Map<String, String> results = resultHashes(sweep);
        assertEquals(2, results.size());
        String page = Files.readString(sweep.resolve("report/index.html"));

        boolean caught = killMidWrite(dir.resolve("run.log"), sweep.resolve("report/.index.html.tmp"), "run",
                yaml.toString(), "--no-probe");
        assertEquals(results, resultHashes(sweep), "finished runs are never touched");
        assertWholeReport(sweep.resolve("report"));
        if (caught) {
            assertEquals(page, Files.readString(sweep.resolve("report/index.html")), "killed mid-write: the previous page");
        }
        assertEquals(9, SweepFixtures.cli("run", yaml.toString(), "--no-probe").code()); // over what the kill left
        assertWholeReport(sweep.resolve("report"));
        System.out.println("AnalysisKillTest: run killed mid-write of its report: " + caught);
    }

    private static boolean newerFigure(Path figures, long sinceMillis) throws IOException {
        try (Stream<Path> s = Files.list(figures)) {
            for (Path f : s.toList()) {
                if (!f.getFileName().toString().startsWith(".") && Files.getLastModifiedTime(f).toMillis() > sinceMillis) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, String> resultHashes(Path sweep) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            for (Path run : s.toList()) {
                m.put(run.getFileName().toString(), Hashing.sha256(run.resolve("result.json")));
            }
        }
        return m;
    }
}
