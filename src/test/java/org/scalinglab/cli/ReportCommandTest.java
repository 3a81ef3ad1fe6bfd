package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.run.FitRunner;
import org.scalinglab.fit.run.HoldoutValidation;
import org.scalinglab.io.Json;

class ReportCommandTest {
    private static final ParametricFit SMALL = ParametricFit.chinchilla().withGrid(new StartGrid(
            new double[] {0.3, 0.6}, new double[] {0.3, 0.6}, new double[] {0, 1}, new double[] {0, 10},
            new double[] {0, 10}));

    /** What {@code scalinglab run} does when a sweep finishes: fits.json in the sweep, then the report. */
    @Test
    void reportsASweepWithItsFitAndPrintsThePath(@TempDir Path tmp) throws IOException {
        Path sweep = tmp.resolve("sweep");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 5, 1.5, 0.003, 21);
        RunTable t = RunTableReader.readResultsDir(sweep, ReadOptions.defaults());
        FitsJson.write(sweep.resolve("fits.json"), new FitRunner(FitSettings.defaults().withBootstrap(20))
                .withParametricFit(SMALL).run(t));
        Json.writeAtomically(tmp.resolve("v.json"), new HoldoutValidation(Approach.PARAMETRIC, "top-budget",
                FitSettings.defaults().withBootstrap(20)).withParametricFit(SMALL).validate(t));

        FitCli r = FitCli.run("report", sweep.toString(), "--fit", sweep.resolve("fits.json").toString(),
                "--validation", tmp.resolve("v.json").toString()).ok();
        List<String> lines = r.out().strip().lines().toList();
        Path index = sweep.resolve("report/index.html").toAbsolutePath().normalize();
        assertEquals("wrote " + index, lines.get(lines.size() - 1), r.out());
        // the planted runs have no metrics beyond the loss and no noise scale: figures 11a, 11b, 13a and 13b are
        // notes; the files counted are the page and a PNG and an SVG of each drawn figure (phenomena.json besides)
        assertTrue(r.out().contains("report: 13 figures drawn, 4 replaced by a note, 27 files in "
                + sweep.resolve("report")), r.out());
        assertTrue(Files.isRegularFile(sweep.resolve("phenomena.json")), "made first, in the results folder");
        assertTrue(Files.size(index) > 500_000);
        assertTrue(Files.isRegularFile(sweep.resolve("report/figures/2-isoflop-profiles.svg")));
        assertEquals("", r.err());
    }

    @Test
    void writesWhereItIsToldTo(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        Planted.writeRun(run, new RunPoint("x", 1e8, 2e9, 1.2e18, 2.6, Double.NaN, null), "completed",
                Planted.CHINCHILLA);
        FitCli r = FitCli.run("report", run.toString(), "--out", tmp.resolve("elsewhere").toString()).ok();
        assertTrue(Files.isRegularFile(tmp.resolve("elsewhere/index.html")));
        assertTrue(r.out().contains("note: no fit: "), r.out());
        assertTrue(r.out().strip().endsWith("wrote " + tmp.resolve("elsewhere/index.html").toAbsolutePath()));
    }

    @Test
    void noCompletedRunsIsAOneLineError(@TempDir Path tmp) throws IOException {
        Planted.writeRun(tmp.resolve("runs/a"), new RunPoint("a", 1e8, 1e9, 6e17, 3, 1e18, null), "diverged",
                Planted.CHINCHILLA);
        FitCli.run("report", tmp.toString()).fails(ExitCode.DATA, "no completed runs in " + tmp);
        FitCli.run("report", tmp.resolve("missing").toString()).fails(ExitCode.DATA, "no such folder");
        Files.createDirectories(tmp.resolve("empty"));
        FitCli.run("report", tmp.resolve("empty").toString()).fails(ExitCode.DATA, "no runs in");
    }

    @Test
    void aBadFitsFileOrOptionIsAOneLineError(@TempDir Path tmp) throws IOException {
        Planted.writeRun(tmp.resolve("runs/a"), new RunPoint("a", 1e8, 1e9, 6e17, 3, 1e18, null), "completed",
                Planted.CHINCHILLA);
        FitCli.run("report", tmp.toString(), "--fit", tmp.resolve("nope.json").toString())
                .fails(ExitCode.DATA, "no such fits file");
        Files.writeString(tmp.resolve("v.json"), "{\"schema\": \"something else\"}");
        FitCli.run("report", tmp.toString(), "--validation", tmp.resolve("v.json").toString())
                .fails(ExitCode.DATA, "is not a scalinglab validation file");
        FitCli.run("report", tmp.toString(), "--bootstrap", "-1").fails(ExitCode.USAGE, "--bootstrap must be >= 0");
        assertEquals(ExitCode.USAGE.code(), ScalingLab.run(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), "report"));
    }

    @Test
    void helpListsTheOptions() {
        FitCli r = FitCli.run("report", "--help").ok();
        for (String o : List.of("--fit", "--validation", "--out", "--bootstrap", "index.html")) {
            assertTrue(r.out().contains(o), o);
        }
    }
}
