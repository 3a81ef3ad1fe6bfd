package org.scalinglab.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.sweep.RunsTable.RunState;
import org.scalinglab.train.runfolder.RunFolder;

/**
 * {@code results/<sweep>/metrics.csv}: every run's training curve in one long-format table, one row per
 * (run, step, metric) that has a value, so that {@code pd.read_csv} gives the whole sweep at once
 * instead of a glob over {@code runs/*}{@code /metrics.csv}. Columns: run_id, label, status, budget,
 * params_total, step, tokens, flops_chinchilla, metric, value. Rebuilt with runs.csv (under its lock) from
 * the run folders, which stay the truth; written atomically. A running run's half-written last line is
 * left out.
 */
public final class MetricsTable {
    public static final String FILE = SweepFolder.METRICS_CSV;
    public static final List<String> COLUMNS = List.of("run_id", "label", "status", "budget", "params_total", "step",
            "tokens", "flops_chinchilla", "metric", "value");
    /** Columns of a run's metrics.csv that index a row rather than measure something. */
    private static final Set<String> INDEX = Set.of("step", "tokens", "flops_kaplan", "flops_chinchilla");

    private MetricsTable() {}

    public static Path path(SweepFolder sweep) {
        return sweep.root().resolve(FILE);
    }

    /** Writes the table for these run states (runs.csv's, in plan order). */
    static void write(SweepFolder sweep, List<RunsTable.Row> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (RunsTable.Row r : rows) {
            append(sb, r, sweep.run(r.id()).resolve(RunFolder.METRICS_CSV));
        }
        AtomicFiles.write(path(sweep), out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void append(StringBuilder sb, RunsTable.Row r, Path metrics) {
        if (!Files.isRegularFile(metrics)) {
            return;
        }
        String text;
        try {
            text = Files.readString(metrics, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ScalingLabException.output("cannot read " + metrics + ": " + e.getMessage(), null, e);
        }
        String[] lines = text.split("\n", -1);
        if (lines.length < 2) {
            return;
        }
        String[] header = lines[0].split(",", -1);
        int step = indexOf(header, "step");
        int tokens = indexOf(header, "tokens");
        int flops = indexOf(header, "flops_chinchilla");
        String prefix = csv(r.id()) + "," + csv(r.label()) + "," + csv(r.status()) + ","
                + (r.budget() == null ? "" : r.budget().toString()) + "," + r.paramsTotal() + ",";
        // the last element is what follows the final newline: empty, or a line still being written
        for (int i = 1; i < lines.length - 1; i++) {
            String[] v = lines[i].split(",", -1);
            if (v.length != header.length) {
                continue;
            }
            String index = prefix + at(v, step) + "," + at(v, tokens) + "," + at(v, flops) + ",";
            for (int c = 0; c < header.length; c++) {
                if (!INDEX.contains(header[c]) && !v[c].isEmpty()) {
                    sb.append(index).append(header[c]).append(',').append(v[c]).append('\n');
                }
            }
        }
    }

    private static int indexOf(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String at(String[] v, int i) {
        return i < 0 ? "" : v[i];
    }

    /** A text cell, quoted when it holds a comma, quote or newline (RFC 4180). */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
