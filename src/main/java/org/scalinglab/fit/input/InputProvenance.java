package org.scalinglab.fit.input;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a table of runs came from, enough to redo the fit: the input path and kind, the CSV's SHA-256
 * or each run's id and result.json hash, how columns were mapped, which rows or runs were skipped or
 * dropped and why, and how many points remain. For runs on the synthetic Markov language, its exact
 * entropy rate and the loss floor of the runs' windows: the E a fit should find (null otherwise, or
 * when the runs disagree on them).
 */
public record InputProvenance(
        String path,
        String kind,
        String sha256,
        Map<String, String> columns,
        List<String> filters,
        List<RunRef> runs,
        List<Skipped> skipped,
        List<Dropped> dropped,
        int pointsUsed,
        Double entropyRate,
        Double lossFloor) {

    public static final String KIND_CSV = "csv";
    public static final String KIND_RESULTS_DIR = "results-dir";
    public static final String KIND_MEMORY = "memory";

    /** A run folder that was read: its id, path relative to the input, and SHA-256 of its result.json. */
    public record RunRef(String runId, String path, String sha256) {}

    /** A row or run left out while reading, with the reason. */
    public record Skipped(String id, String reason) {}

    /** A point removed by a rule such as {@code --drop-highest}. */
    @JsonPropertyOrder({"id", "N", "D", "C", "loss", "reason"})
    public record Dropped(
            String id,
            @JsonProperty("N") double params,
            @JsonProperty("D") double tokens,
            @JsonProperty("C") double flops,
            double loss,
            String reason) {}

    /** For tables built in code (tests, benchmarks). */
    public static InputProvenance inMemory(int points) {
        return new InputProvenance("(in memory)", KIND_MEMORY, null, Map.of(), List.of(), List.of(), List.of(),
                List.of(), points, null, null);
    }

    InputProvenance withDropped(List<Dropped> more, int points) {
        List<Dropped> all = new ArrayList<>(dropped);
        all.addAll(more);
        return new InputProvenance(path, kind, sha256, columns, filters, runs, skipped, List.copyOf(all), points,
                entropyRate, lossFloor);
    }

    InputProvenance withPointsUsed(int points) {
        return new InputProvenance(path, kind, sha256, columns, filters, runs, skipped, dropped, points,
                entropyRate, lossFloor);
    }
}
