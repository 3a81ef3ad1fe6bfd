package org.scalinglab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.scalinglab.ScalingLabException;
import org.scalinglab.train.runfolder.RunFolders;

/**
 * The layout of {@code results/<sweep>/}: {@code sweep.json} (the resolved sweep config, its run ids
 * and provenance), {@code runs.csv}, {@code probe.json}, the lock, and {@code runs/<run-id>/}, one
 * folder per run ({@link SweepRunFolder}), which is the truth everything else is rebuilt from. The names
 * of sweep.json and runs/ are {@link RunFolders}', which finds a sweep's run folders for fit and report.
 * The study's results sit beside them, and their names are here too, for every reader and writer:
 * {@code tuning.json} (the tuned learning-rate rule), {@code fits.json}, {@code validation.json} and
 * {@code check.json} (the check stage against the fit), {@code metrics.csv} (every run's curves),
 * {@code design-vs-tune.json}, {@code phenomena.json} (metrics, broken power laws, the critical batch), and
 * the report's folder {@code report/}.
 */
public record SweepFolder(Path root) {
    public static final String SWEEP_JSON = RunFolders.SWEEP_JSON;
    public static final String RUNS_CSV = "runs.csv";
    public static final String PROBE_JSON = "probe.json";
    public static final String LOCK = ".lock";
    public static final String TUNING_JSON = "tuning.json";
    public static final String FITS_JSON = "fits.json";
    public static final String VALIDATION_JSON = "validation.json";
    public static final String CHECK_JSON = "check.json";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String DESIGN_VS_TUNE_JSON = "design-vs-tune.json";
    public static final String PHENOMENA_JSON = "phenomena.json";
    public static final String REPORT = "report";

    public Path runs() {
        return root.resolve(RunFolders.RUNS);
    }

    public Path run(String id) {
        return runs().resolve(id);
    }

    public Path sweepJson() {
        return root.resolve(SWEEP_JSON);
    }

    public Path runsCsv() {
        return root.resolve(RUNS_CSV);
    }

    public Path probeJson() {
        return root.resolve(PROBE_JSON);
    }

    public Path tuningJson() {
        return root.resolve(TUNING_JSON);
    }

    public Path fitsJson() {
        return root.resolve(FITS_JSON);
    }

    public Path validationJson() {
        return root.resolve(VALIDATION_JSON);
    }

    public Path checkJson() {
        return root.resolve(CHECK_JSON);
    }

    public Path metricsCsv() {
        return root.resolve(METRICS_CSV);
    }

    public Path designVsTuneJson() {
        return root.resolve(DESIGN_VS_TUNE_JSON);
    }

    public Path report() {
        return root.resolve(REPORT);
    }

    public Path phenomenaJson() {
        return root.resolve(PHENOMENA_JSON);
    }

    public Path lock() {
        return root.resolve(LOCK);
    }

    public Path slurm() {
        return root.resolve("slurm");
    }

    /** The ids of every run folder, sorted. */
    public List<String> runIds() {
        if (!Files.isDirectory(runs())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw ScalingLabException.data("cannot list " + runs() + ": " + e.getMessage(), null);
        }
    }

    /** The run ids sweep.json lists (the current plan), or every run folder when there is no sweep.json. */
    public List<String> plannedIds() {
        if (!Files.isRegularFile(sweepJson())) {
            return runIds();
        }
        return RunFolders.plannedIds(sweepJson());
    }
}
