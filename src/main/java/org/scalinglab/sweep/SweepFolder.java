package org.scalinglab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;

/**
 * The layout of {@code results/<sweep>/}: {@code sweep.json} (the resolved sweep config, its run ids
 * and provenance), {@code runs.csv}, {@code probe.json}, the lock, and {@code runs/<run-id>/}, one
 * folder per run, which is the truth everything else is rebuilt from.
 */
public record SweepFolder(Path root) {
    public static final String SWEEP_JSON = "sweep.json";
    public static final String RUNS_CSV = "runs.csv";
    public static final String PROBE_JSON = "probe.json";
    public static final String LOCK = ".lock";

    public Path runs() {
        return root.resolve("runs");
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
        List<String> ids = new ArrayList<>();
        Json.readTree(sweepJson()).path("runs").forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }
}
